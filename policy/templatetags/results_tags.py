from django import template

from ..scoring import names

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
