"""The workshop page, creating and joining a workshop, and the live poll."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..accounts import sessions
from ..workshops import actions, live
from ..workshops.forms import WorkshopCreateForm
from ..models import Case, Workshop
from ..permissions import (
    can_score, can_see_group, is_facilitator, membership_for, require_facilitator,
)
from ..workshops.grid import grid_view
from ..workshops.pages import panels_context, workshop_context
from ..workshops.readiness import case_gaps


@login_required
@require_GET
def workshop_detail(request, pk):
    membership = membership_for(request.user, pk)
    view = grid_view(request.GET.get("view"), membership.workshop.paced_criterion_id is not None)
    context = workshop_context(membership, request.build_absolute_uri("/"), view=view)
    return render(request, "policy/workshop.html", context)


@sessions.passive  # automatic: an open page must not keep its session alive
@require_GET
@sessions.login_required_with(live.STATE)
def workshop_poll(request, pk, found):
    """204 while nothing changed; the fresh panels when something did; a full reload when
    the workshop's state moved (a round closed, scores revealed)."""
    # The common cases make one query, the session's check, which also reads the workshop's
    # state: nothing changed, or the panels for this member's audience are in the shared
    # cache (policy/workshops/live.py).
    state = live.live_state(found)
    if state is None:
        raise Http404
    seen = request.GET.get("revision")
    if seen == str(state.revision):
        return HttpResponse(status=204)
    if request.GET.get("state") != live.page_state(state):
        return live.reload(request.GET.get("state"), state)

    def render_panels():
        # No request: the panels are shared by the audience, so nothing of this user's
        # may go in. The state is the one just compared, so the page never takes a new
        # state without the reload above.
        context = {
            **panels_context(membership_for(request.user, pk)),
            "state": live.page_state(state),
            "audience": live.audience(state),
            "oob": True,
        }
        return render_to_string("policy/workshop.html#live", context)

    html = live.panels_html(pk, state, seen, render_panels)
    if html is None:
        return HttpResponse(status=204)
    if request.GET.get("audience") != live.audience(state):
        # A reveal or a hide: beside the audience's panels, the parts of this member's page
        # that depend on it. Once per page, so rendered for this member and never cached.
        membership = membership_for(request.user, pk)
        context = {"workshop": membership.workshop, "oob": True,
                   "can_see_group": can_see_group(membership),
                   "is_facilitator": is_facilitator(membership)}
        html += render_to_string("policy/workshop.html#memo_link", context)
        if can_score(membership):
            html += render_to_string("policy/workshop.html#privacy_notice", context)
    return HttpResponse(html)


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
        actions.revoke_join_token(pk, by=request.user)
        messages.success(request, "The join link is revoked: it no longer admits anyone.")
    else:
        actions.new_join_token(pk, by=request.user)
        messages.success(request, "A new join link is ready; any earlier link no longer works.")
    return redirect("workshop_detail", pk)
