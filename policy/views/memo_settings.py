"""The facilitator's memo settings page: the memo's addressee, FROM and SUBJECT lines, handling
marking, decision deadline, drafted-by and cleared-by lines. Works as a plain form; with htmx
the form swaps itself in place with the errors or the saved state."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..memo.content import memo_context
from ..memo.forms import MemoSettingsForm
from ..memo.settings import save_settings, settings_for
from ..workshops.actions import ActionRefused
from ..permissions import membership_for, require_facilitator

SAVED = "Memo settings saved: the next memo, its preview and its Word copy use them."


@login_required
@require_http_methods(["GET", "POST"])
def memo_settings(request, pk):
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    workshop = membership.workshop
    drafted = memo_context(workshop)["drafted"]  # what an empty field prints
    locked = workshop.status == workshop.Status.LOCKED
    saved = False
    if request.method == "POST":
        form = MemoSettingsForm(request.POST, drafted=drafted, locked=locked)
        if form.is_valid():
            try:
                save_settings(pk, **form.cleaned_data)
            except ActionRefused as refused:
                form.add_error(None, str(refused))
            else:
                if not request.htmx:
                    messages.success(request, SAVED)
                    return redirect("workshop_memo_settings", pk)
                workshop.refresh_from_db()
                saved = True
    if request.method == "GET" or saved:
        form = MemoSettingsForm(
            initial=MemoSettingsForm.initial_for(workshop, settings_for(workshop)),
            drafted=drafted, locked=locked,
        )
    context = {"workshop": workshop, "form": form, "saved": SAVED if saved else "",
               "locked": locked}
    if request.htmx:
        return render(request, "memo/settings.html#settings_form", context)
    return render(request, "memo/settings.html", context, status=400 if form.errors else 200)
