"""The case page's SVG maps (actors, risks), drawn by policy/charts/."""
from django import template
from django.utils.safestring import mark_safe

from .. import charts

register = template.Library()


@register.simple_tag
def actor_map_svg(actors, width: int = 760):
    # charts escapes every text it writes.
    return mark_safe(charts.actor_map(actors, width=int(width)))


@register.simple_tag
def risk_heatmap_svg(risks, width: int = 560):
    return mark_safe(charts.risk_heatmap(risks, width=int(width)))
