"""Saving one cell of the grid, with htmx (the cell's status swaps in place) or without
(a plain POST that redirects back, or re-shows the page with the refused value kept)."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..accounts import sessions
from ..permissions import membership_for, require_scorer
from ..workshops import actions, saving
from ..workshops.forms import ScoreForm
from ..workshops.grid import Cell, grid_view, view_query
from ..workshops.pages import workshop_context
from ..workshops.progress import AnalystProgress, scored_cells


@require_POST
@sessions.login_required_with(saving.TARGET)
def score_cell(request, pk, option_id, criterion_id, found):
    # The membership, the workshop's state and the cell are read with the session's check
    # (policy/workshops/saving.py): the save is the app's commonest write.
    target = saving.target(request.user, pk, found)
    if target is None:
        raise Http404  # not a member (as membership_for), or not a cell of this workshop
    require_scorer(target.membership)
    option, criterion = target.option, target.criterion

    form = ScoreForm(request.POST, criterion=criterion)
    cell = Cell(
        option, criterion,
        rationale=request.POST.get("rationale", "")[:2000],
        entered=request.POST.get("value", "")[:50],
    )
    scored = None
    if form.is_valid():
        data = form.cleaned_data
        cell.value, cell.entered = data["value"], None
        try:
            scored = actions.save_score(
                pk, request.user, option, criterion,
                round=data["round"], value=data["value"], rationale=data["rationale"],
            )
            cell.saved = True
        except actions.ActionRefused as refused:
            cell.error = str(refused)
    else:
        cell.error = " ".join(e for errors in form.errors.values() for e in errors)

    if request.htmx:
        if scored is None:  # refused: what the analyst has scored is unchanged
            scored = scored_cells(pk, target.round, request.user)
        mine = AnalystProgress(request.user.pk, request.user.username, scored, target.cells)
        return render(
            request, "policy/workshop.html#cell_status",
            {"cell": cell, "my_progress": mine, "oob": True},
        )
    # Back to the view the cell was saved from (the form's action carries ?view=).
    view = grid_view(request.GET.get("view"), target.paced)
    if cell.saved:
        messages.success(request, f"Saved: {option.title} on {criterion.title}.")
        query = view_query(view, target.paced)
        return redirect(reverse("workshop_detail", args=[pk]) + f"{query}#cell-{cell.dom_id}")
    context = workshop_context(
        membership_for(request.user, pk), request.build_absolute_uri("/"),
        overrides={(option.pk, criterion.pk): cell}, view=view,
    )
    return render(request, "policy/workshop.html", context, status=400)
