from django import template

from ..memo.wording import coverage as coverage_line
from ..scoring import names
from ..scoring.ahp import scale_label

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, None when absent (result dicts are keyed by codes)."""
    return mapping.get(key) if mapping else None


@register.filter
def percent(share):
    """0.4237 -> '42%'; None stays a dash."""
    return "—" if share is None else f"{round(100 * share)}%"


@register.filter
def setting_label(key, setting):
    """An engine setting's value on its own: "topsis"|setting_label:"method" -> "TOPSIS"."""
    name = names.SETTINGS[setting].get(key)
    return name.label if name else key


@register.filter
def setting_phrase(key, setting):
    """The same inside a sentence: "trimmed_mean"|setting_phrase:"aggregation" -> "20%
    trimmed mean"."""
    return names.phrase(setting, key)


@register.filter
def coverage(result):
    """'Incomplete: 12 of 378 expected scores (3%) are in.', or '' when every score is in:
    the same words as the memo's bottom line."""
    return coverage_line(result) if result else ""


@register.filter
def judgement(value):
    """An AHP judgement as people write it: 0.3333 -> '1/3'."""
    return scale_label(value)
