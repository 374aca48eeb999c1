"""A workshop's scores as a file (CSV or XLSX), for members who may see the group's scores."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from ..workshops.exports import EXPORTERS
from ..permissions import membership_for, require_group_view


@login_required
@require_GET
def workshop_export(request, pk, fmt):
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404
    membership = membership_for(request.user, pk)  # 404 for non-members
    require_group_view(membership)  # 403 before the facilitator reveals
    filename, content_type, content = exporter(membership.workshop)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
