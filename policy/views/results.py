"""The group results: the ranking, the chart, disagreement, sensitivity, red lines."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..permissions import membership_for, require_group_view
from ..workshops.pages import chosen_round, results_page


@login_required
@require_GET
def workshop_results(request, pk):
    membership = membership_for(request.user, pk)
    require_group_view(membership)
    round = chosen_round(request.GET.get("round"), membership.workshop.round)
    return render(request, "policy/results.html", results_page(membership, round))
