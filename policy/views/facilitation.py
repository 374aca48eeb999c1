"""The facilitator's steps: open or close scoring, reveal or hide, a new round, lock or
unlock. Each is a GET that says what will happen and a POST (from that page) that does it,
so nothing others see happens on one click, with or without JavaScript. Paced mode's moves
are the exception: one click each, since the facilitator takes them in front of the room at
the pace of its discussion, and each shows no more than one item."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..permissions import membership_for, require_facilitator
from ..workshops import actions, members, paced, steps


def _step(request, pk, choose, run):
    """Confirm (GET) or take (POST) the step `choose(workshop)` names; `run(by)` takes it."""
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    workshop = membership.workshop
    if request.method == "POST":
        name = choose(workshop)
        try:
            run(request.user)
            messages.success(request, steps.STEPS[name].done)
        except actions.ActionRefused as refused:
            messages.error(request, str(refused))
        return redirect("workshop_detail", pk)
    name = choose(workshop)
    if name is None:
        raise Http404
    step = steps.STEPS[name]
    return render(request, "policy/step_confirm.html", {
        "workshop": workshop,
        "membership": membership,
        "step": step,
        "label": steps.label(step, workshop),
        "explanation": steps.explanation(name, workshop),
        "refusal": steps.why_not(name, workshop),
    })


def _param(request, name):
    return (request.POST if request.method == "POST" else request.GET).get(name, "")


@login_required
@require_http_methods(["GET", "POST"])
def workshop_status(request, pk):
    status = _param(request, "status")
    return _step(
        request, pk,
        lambda workshop: steps.for_status(workshop.status, status),
        lambda by: actions.set_status(pk, status, by=by),
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_reveal(request, pk):
    revealed = _param(request, "revealed") == "1"
    return _step(
        request, pk,
        lambda workshop: "reveal" if revealed else "hide",
        lambda by: actions.set_revealed(pk, revealed, by=by),
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_round(request, pk):
    return _step(
        request, pk, lambda workshop: "round", lambda by: actions.start_next_round(pk, by=by)
    )


@login_required
@require_POST
def workshop_member_role(request, pk, user_id):
    """Make a member an analyst or an observer; first a page that says what happens to the
    scores of an analyst who has scored."""
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    target = members.member_of(membership.workshop, user_id)  # 404 for a non-member
    role = request.POST.get("role", "")
    if members.needs_confirmation(target, role) and request.POST.get("confirmed") != "1":
        return render(request, "policy/role_confirm.html", {
            "workshop": membership.workshop, "membership": membership, "target": target,
            "role": role, "role_label": members.Role(role).label.lower(),
            "explanation": members.consequences(target, role),
        })
    try:
        changed = actions.set_role(pk, user_id, role, by=request.user)
    except actions.ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        role_name = changed.get_role_display().lower()
        messages.success(request, f"{changed.user.username} is now an {role_name}.")
    return redirect("workshop_detail", pk)


@login_required
@require_POST
def workshop_paced(request, pk):
    """A move of paced mode (start, previous, reveal, next, end), then back to the page."""
    require_facilitator(membership_for(request.user, pk))
    move = request.POST.get("move", "")
    try:
        actions.pace(pk, move, by=request.user)
    except actions.ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, paced.MOVES[move][2])
    return redirect("workshop_detail", pk)
