from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, None when absent (result dicts are keyed by codes)."""
    return mapping.get(key) if mapping else None


@register.filter
def percent(share):
    """0.4237 -> '42%'; None stays a dash."""
    return "—" if share is None else f"{round(100 * share)}%"
