"""Saving one cell of the grid, with htmx (the cell's status swaps in place) or without
(a plain POST that redirects back, or re-shows the page with the refused value kept)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..workshops import actions
from ..workshops.forms import ScoreForm
from ..workshops.grid import Cell, cell_count, grid_view, view_query
from ..models import Criterion, Option
from ..permissions import membership_for, require_scorer
from ..workshops.progress import analyst_progress
from ..workshops.pages import workshop_context


@login_required
@require_POST
def score_cell(request, pk, option_id, criterion_id):
    membership = membership_for(request.user, pk)
    require_scorer(membership)
    workshop = membership.workshop
    option = get_object_or_404(Option, pk=option_id, case_id=workshop.case_id)
    criterion = get_object_or_404(Criterion, pk=criterion_id, case_id=workshop.case_id)

    form = ScoreForm(request.POST, criterion=criterion)
    cell = Cell(
        option, criterion,
        rationale=request.POST.get("rationale", "")[:2000],
        entered=request.POST.get("value", "")[:50],
    )
    if form.is_valid():
        data = form.cleaned_data
        cell.value, cell.entered = data["value"], None
        try:
            actions.save_score(
                workshop.pk, request.user, option, criterion,
                round=data["round"], value=data["value"], rationale=data["rationale"],
            )
            cell.saved = True
        except actions.ActionRefused as refused:
            cell.error = str(refused)
    else:
        cell.error = " ".join(e for errors in form.errors.values() for e in errors)

    if request.htmx:
        mine = analyst_progress(workshop, request.user, cell_count(workshop))
        return render(
            request, "policy/workshop.html#cell_status",
            {"cell": cell, "my_progress": mine, "oob": True},
        )
    # Back to the view the cell was saved from (the form's action carries ?view=).
    paced = workshop.paced_criterion_id is not None
    view = grid_view(request.GET.get("view"), paced)
    if cell.saved:
        messages.success(request, f"Saved: {option.title} on {criterion.title}.")
        query = view_query(view, paced)
        return redirect(reverse("workshop_detail", args=[pk]) + f"{query}#cell-{cell.dom_id}")
    context = workshop_context(
        membership, request.build_absolute_uri("/"), overrides={(option.pk, criterion.pk): cell},
        view=view,
    )
    return render(request, "policy/workshop.html", context, status=400)
