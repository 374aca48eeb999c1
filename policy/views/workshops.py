"""The workshop page, creating and joining a workshop, and the live poll."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..workshops import actions, live
from ..workshops.forms import WorkshopCreateForm
from ..workshops.grid import analyst_grid, cell_count
from ..models import Case, Membership, Workshop
from ..workshops.permissions import (
    can_score,
    can_see_group,
    is_facilitator,
    membership_for,
    require_facilitator,
)
from ..workshops.progress import progress_of, workshop_progress
from ..workshops.readiness import case_gaps
from .results import results_context


def panels_context(membership: Membership) -> dict:
    """The live panels (progress, results) as the member may see them."""
    workshop = membership.workshop
    cells = cell_count(workshop)
    progress = workshop_progress(workshop, cells)
    context = {
        "workshop": workshop,
        "membership": membership,
        "progress": progress,
        "cells": cells,
        "is_facilitator": is_facilitator(membership),
        "can_score": can_score(membership),
        "can_see_group": can_see_group(membership),
        "state": live.page_state(workshop),
    }
    if context["can_see_group"]:
        context.update(results_context(workshop))
    if can_score(membership):
        context["my_progress"] = progress_of(progress, membership.user.username)
    return context


def workshop_context(request, membership: Membership, overrides: dict | None = None) -> dict:
    context = panels_context(membership)
    workshop = membership.workshop
    if context["can_score"]:
        context["options"], context["rows"] = analyst_grid(workshop, request.user, overrides)
    if context["is_facilitator"] and workshop.join_token:
        context["join_url"] = request.build_absolute_uri(
            reverse("workshop_join", args=[workshop.join_token])
        )
    return context


@login_required
@require_GET
def workshop_detail(request, pk):
    membership = membership_for(request.user, pk)
    return render(request, "policy/workshop.html", workshop_context(request, membership))


@login_required
@require_GET
def workshop_poll(request, pk):
    """204 while nothing changed; the fresh panels when something did; a full reload when
    the workshop's state moved (a round closed, scores revealed)."""
    # The common cases read one row in one indexed query: nothing changed, or the panels
    # for this member's audience are in the shared cache (policy/workshops/live.py).
    state = live.live_state(pk, request.user)
    if state is None:
        raise Http404
    seen = request.GET.get("revision")
    if seen == str(state.revision):
        return HttpResponse(status=204)
    if request.GET.get("state") != live.page_state(state):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response

    def render_panels():
        # No request: the panels are shared by the audience, so nothing of this user's
        # may go in. The state is the one just compared, so the page never takes a new
        # state without the reload above.
        context = {
            **panels_context(membership_for(request.user, pk)),
            "state": live.page_state(state),
            "oob": True,
        }
        return render_to_string("policy/workshop.html#live", context)

    html = live.panels_html(pk, state, seen, render_panels)
    return HttpResponse(status=204) if html is None else HttpResponse(html)


@login_required
@require_http_methods(["GET", "POST"])
def workshop_create(request, slug):
    case = get_object_or_404(Case, slug=slug)
    form = WorkshopCreateForm(
        request.POST or None, initial={"title": f"{case.title}: options workshop"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            workshop = actions.create_workshop(case, request.user, **form.cleaned_data)
        except actions.ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Workshop created. Invite analysts with its join link.")
            return redirect("workshop_detail", workshop.pk)
    return render(request, "policy/workshop_create.html",
                  {"case": case, "form": form, "gaps": case_gaps(case)})


@login_required
@require_http_methods(["GET", "POST"])
def workshop_join(request, token):
    workshop = get_object_or_404(Workshop, join_token=token)
    if request.method == "POST":
        actions.join(workshop, request.user)
        messages.success(request, f"You joined “{workshop.title}”.")
        return redirect("workshop_detail", workshop.pk)
    return render(request, "policy/workshop_join.html", {"workshop": workshop})


@login_required
@require_POST
def workshop_invite(request, pk):
    require_facilitator(membership_for(request.user, pk))
    if request.POST.get("action") == "revoke":
        actions.revoke_join_token(pk)
        messages.success(request, "The join link is revoked: it no longer admits anyone.")
    else:
        actions.new_join_token(pk)
        messages.success(request, "A new join link is ready; any earlier link no longer works.")
    return redirect("workshop_detail", pk)
