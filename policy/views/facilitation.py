"""The facilitator's steps: open or close scoring, reveal or hide, a new round, lock or
unlock. Each is a GET that says what will happen and a POST (from that page) that does it,
so nothing others see happens on one click, with or without JavaScript."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..permissions import membership_for, require_facilitator
from ..workshops import actions, steps


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
