"""Invitations by email, reminders and the round's deadline: the facilitator's page for them."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ..workshops import actions
from ..workshops.forms import DeadlineForm, InvitationForm
from ..workshops.invitations import send_invitations, send_reminders, unfinished_analysts
from ..permissions import membership_for, require_facilitator
from ..scoring.names import word_for



@login_required
@require_http_methods(["GET", "POST"])
def workshop_invitations(request, pk):
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    workshop = membership.workshop
    invite_form = InvitationForm()
    deadline_form = DeadlineForm(initial={"deadline": workshop.round_deadline and
                                          timezone.localtime(workshop.round_deadline)})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite":
                invite_form = InvitationForm(request.POST)
                if invite_form.is_valid():
                    token = actions.join_token(pk, by=request.user)
                    url = request.build_absolute_uri(reverse("workshop_join", args=[token]))
                    sent = send_invitations(workshop, invite_form.cleaned_data["addresses"], url,
                                            request.user)
                    messages.success(request, f"Sent {sent} {word_for(sent, 'invitation')}.")
                    return redirect("workshop_invitations", pk)
            elif action == "remind":
                url = request.build_absolute_uri(reverse("workshop_detail", args=[pk]))
                sent = send_reminders(workshop, url, request.user)
                messages.success(request, f"Sent {sent} {word_for(sent, 'reminder')}.")
                return redirect("workshop_invitations", pk)
            elif action == "deadline":
                deadline_form = DeadlineForm(request.POST)
                if deadline_form.is_valid():
                    actions.set_round_deadline(pk, deadline_form.cleaned_data["deadline"],
                                              by=request.user)
                    messages.success(request, "The round's deadline is set." if
                                     deadline_form.cleaned_data["deadline"] else
                                     "The round has no deadline now.")
                    return redirect("workshop_invitations", pk)
            else:
                return HttpResponseBadRequest("Unknown action.")
        except actions.ActionRefused as refused:
            messages.error(request, str(refused))
            return redirect("workshop_invitations", pk)
        status = 400
    return render(request, "policy/invitations.html", {
        "workshop": workshop,
        "invite_form": invite_form,
        "deadline_form": deadline_form,
        "unfinished": unfinished_analysts(workshop),
    }, status=status)
