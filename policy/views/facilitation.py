"""The facilitator's controls: scoring open or closed, reveal, rounds, lock."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ..workshops import actions
from ..permissions import membership_for, require_facilitator

STATUS_MESSAGES = {
    "open": "Scoring is open.",
    "closed": "Scoring is closed.",
    "locked": "The workshop is locked: nothing in it can change now.",
}


def _run(request, pk, action, done_message):
    """Run a facilitator's action and say how it went on the workshop page."""
    require_facilitator(membership_for(request.user, pk))
    try:
        action()
        messages.success(request, done_message)
    except actions.ActionRefused as refused:
        messages.error(request, str(refused))
    return redirect("workshop_detail", pk)


@login_required
@require_POST
def workshop_status(request, pk):
    status = request.POST.get("status", "")
    return _run(
        request, pk, lambda: actions.set_status(pk, status), STATUS_MESSAGES.get(status, "")
    )


@login_required
@require_POST
def workshop_reveal(request, pk):
    revealed = request.POST.get("revealed") == "1"
    return _run(
        request, pk,
        lambda: actions.set_revealed(pk, revealed),
        "The group's scores are revealed to the team." if revealed else "Scores are hidden again.",
    )


@login_required
@require_POST
def workshop_round(request, pk):
    return _run(
        request, pk, lambda: actions.start_next_round(pk),
        "A new round has started: analysts see the last round's spread and reasons.",
    )
