"""The workshop's history as a timeline, for its facilitator."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..workshops import history
from ..permissions import membership_for, require_facilitator

PER_PAGE = 100


@login_required
@require_GET
def workshop_history(request, pk):
    membership = membership_for(request.user, pk)  # 404 for outsiders
    require_facilitator(membership)  # 403 for other members
    workshop = membership.workshop
    steps_only = request.GET.get("show") == "steps"
    page = Paginator(history.timeline(workshop, steps_only), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "policy/history.html", {
        "workshop": workshop,
        "membership": membership,
        "page": page,
        "entries": history.described(workshop, page.object_list),
        "steps_only": steps_only,
    })
