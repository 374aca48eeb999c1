"""The facilitator's memo pages: the settings (the memo's addressee, FROM and SUBJECT lines,
handling marking, decision deadline, drafted-by and cleared-by lines) and the round's memo text
(the bottom line, reasoning and discussion in the facilitator's words). Each works as a plain
form; with htmx the form swaps itself in place with the errors or the saved state."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..memo.content import memo_context
from ..memo.forms import MemoSettingsForm
from ..memo.settings import settings_for
from ..memo.texts import PARTS
from ..memo.writing import drafted_for, text_page
from ..scoring import ScoringError
from ..workshops.actions import ActionRefused, set_memo_settings, set_memo_text
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
                set_memo_settings(pk, by=request.user, **form.cleaned_data)
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


TEXT_SAVED = "Memo text saved: the preview, the PDF and the Word copy use it."


@login_required
@require_http_methods(["GET", "POST"])
def memo_text(request, pk):
    """The round's own words for the memo's bottom line, reasoning and discussion, and the
    option the team recommends (policy/memo/texts.py)."""
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    workshop = membership.workshop
    try:
        context = text_page(workshop, request.POST if request.method == "POST" else None)
    except ScoringError as error:
        return render(request, "memo/text.html", {"workshop": workshop, "error": str(error)},
                      status=409)
    form, status = context["form"], 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                set_memo_text(
                    pk, data["round"], recommended=data["recommended"], by=request.user,
                    texts={part: data[part] for part in PARTS},
                    drafted=drafted_for(workshop, data["recommended"]),
                )
            except ActionRefused as refused:
                form.add_error(None, str(refused))
            else:
                if not request.htmx:
                    messages.success(request, TEXT_SAVED)
                    return redirect("workshop_memo_text", pk)
                workshop.refresh_from_db()
                context = {**text_page(workshop), "message": TEXT_SAVED}
        status = 400 if form.errors else 200
    if request.htmx:
        return render(request, "memo/text.html#text_form", context)
    return render(request, "memo/text.html", context, status=status)
