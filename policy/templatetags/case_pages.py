"""What the case page asks of authoring and charts: whether the reader may edit, and the maps.

The case page's view belongs to the case pages; these tags let its template add the author's
controls and the SVG maps without the view knowing about them."""
from django import template
from django.utils.safestring import mark_safe

from .. import cases, charts

register = template.Library()


@register.simple_tag(takes_context=True)
def can_edit_case(context, case) -> bool:
    request = context.get("request")
    return bool(request) and cases.can_edit(request.user, case)


@register.simple_tag
def actor_map_svg(actors, width: int = 760):
    # charts escapes every text it writes.
    return mark_safe(charts.actor_map(actors, width=int(width)))


@register.simple_tag
def risk_heatmap_svg(risks, width: int = 560):
    return mark_safe(charts.risk_heatmap(risks, width=int(width)))
