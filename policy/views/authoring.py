"""Writing a case in the browser: create it, edit its parts inline, generate criteria, say who
may edit it (the case file's upload and download are in casefiles.py).

Every view works as a plain form POST that redirects (or re-shows a page with its errors); with
htmx the same view answers, at its end, with the partial the template names. Each view checks
the user's rights itself, since any partial can be fetched alone. What the pages show is built
in policy/cases/pages.py.
"""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import cases
from ..cases import pages
from ..cases.forms import CaseForm, GenerateForm, PersonForm
from ..models import Case
from ..scoring.names import word_for
from ..permissions import editable_case, is_case_owner, owned_case

EDIT_PAGE = "policy/authoring/case_edit.html"
CASE_SAVED = "The question and context are saved."


def _edit_url(case: Case, anchor: str = "") -> str:
    return reverse("case_edit", args=[case.slug]) + (f"#{anchor}" if anchor else "")


def _confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


# -- The case itself -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = cases.create_case(request.user, **form.cleaned_data)
        messages.success(request, f"Case “{case.title}” created. Add its parts below.")
        return redirect("case_edit", case.slug)
    return render(request, "policy/authoring/case_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, slug):
    case = editable_case(request.user, slug)
    if request.method == "GET":
        context = pages.edit_context(case, request.user, is_case_owner(request.user, case))
        return render(request, EDIT_PAGE, context)
    form = CaseForm(request.POST, instance=case, prefix="case")
    saved = form.is_valid()
    if saved:
        form.save()
    if request.htmx:
        return render(request, f"{EDIT_PAGE}#case_form", {
            "case": case, "case_form": form, "status": CASE_SAVED if saved else "",
        })
    if saved:
        messages.success(request, CASE_SAVED)
        return redirect(_edit_url(case, "case-h"))
    context = pages.edit_context(
        case, request.user, is_case_owner(request.user, case), case_form=form
    )
    return render(request, EDIT_PAGE, context)


# -- Parts: add, edit, delete, move --------------------------------------------------------


@login_required
@require_POST
def part_create(request, slug, kind):
    case = editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    form = pages.new_part_form(case, kind, request.POST)
    warning = done = ""
    if form.is_valid():
        warning = pages.needs_confirmation(case, request.user, kind, _confirmed(request))
        if not warning:
            part = form.save(commit=False)
            cases.save_part(part, then=form.save_m2m)
            done = f"Added {kind.singular} {part.code}."
    if request.htmx:
        context = pages.added_context(case, request.user, kind, form, done, warning)
        return render(request, f"{EDIT_PAGE}#sections", context)
    if done:
        messages.success(request, done)
        return redirect(_edit_url(case, f"{kind.slug}-{part.pk}"))
    action = reverse("part_create", args=[case.slug, kind.slug])
    return render(request, "policy/authoring/part_form.html",
                  pages.part_form_context(case, request.user, kind, form, warning, action))


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request, slug, kind, pk):
    case = editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    part = cases.get_part(case, kind, pk)
    old_code = part.code
    form = pages.part_form(case, kind, part, request.POST if request.method == "POST" else None)
    warning = done = ""
    if form.is_bound and form.is_valid():
        warning = pages.needs_confirmation(case, request.user, kind, _confirmed(request))
        if not warning:
            part = form.save(commit=False)
            cases.save_part(part, old_code=old_code, then=form.save_m2m)
            done = f"Saved {kind.singular} {part.code}."
    if request.htmx:
        context = pages.edited_context(case, request.user, kind, part, form, done, warning)
        return render(request, f"{EDIT_PAGE}#row_response", context)
    if done:
        messages.success(request, done)
        return redirect(_edit_url(case, f"{kind.slug}-{part.pk}"))
    action = reverse("part_edit", args=[case.slug, kind.slug, part.pk])
    return render(request, "policy/authoring/part_form.html",
                  pages.part_form_context(case, request.user, kind, form, warning, action, part))


@login_required
@require_GET
def part_row(request, slug, kind, pk):
    """A part's plain row: what "Cancel" brings back."""
    case = editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    part = cases.get_part(case, kind, pk)
    if request.htmx:
        context = pages.row_context(case, request.user, kind, pages.Row(part, focus="edit"))
        return render(request, f"{EDIT_PAGE}#row_response", context)
    return redirect(_edit_url(case, f"{kind.slug}-{part.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def part_delete(request, slug, kind, pk):
    case = editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    part = cases.get_part(case, kind, pk)
    consequences = cases.delete_consequences(part, kind, request.user)
    done = ""
    if request.method == "POST":
        refused = cases.delete_part(part, kind)
        if refused:
            consequences.blocked = refused
        else:
            done = f"Deleted {kind.singular} {part.code}. " + " ".join(consequences.lines)
    if request.htmx:
        # A deleted part leaves its section; one still here keeps its row.
        partial = "sections" if done else "row_response"
        context = pages.deleted_context(case, request.user, kind, part, consequences, done)
        return render(request, f"{EDIT_PAGE}#{partial}", context)
    if done:
        messages.success(request, done)
        return redirect(_edit_url(case, f"{kind.slug}-h"))
    return render(request, "policy/authoring/part_delete.html", {
        "case": case, "kind": kind, "part": part, "consequences": consequences,
    })


@login_required
@require_POST
def part_move(request, slug, kind, pk):
    case = editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    if not kind.orderable:
        return HttpResponse(status=400)
    part = cases.get_part(case, kind, pk)
    direction = request.POST.get("direction", "")
    moved = cases.move_part(part, direction)
    status = f"Moved {part.code} {direction}." if moved else f"{part.code} is already at the end."
    if request.htmx:
        context = pages.moved_context(case, request.user, kind, part, direction, status)
        return render(request, f"{EDIT_PAGE}#sections", context)
    if moved:
        messages.success(request, status)
    return redirect(_edit_url(case, f"{kind.slug}-{part.pk}"))


# -- Generating criteria -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def criteria_generate(request, slug):
    case = editable_case(request.user, slug)
    source = request.POST if request.method == "POST" else request.GET
    form = GenerateForm(source if "min_severity" in source else None)
    context = pages.generate_context(case, request.user, form)
    if request.method == "POST" and not form.errors:
        kept_keys = set(request.POST.getlist("keep"))
        kept = [p for p in context["proposals"] if p.key in kept_keys]
        if context["warning"] and not _confirmed(request):
            messages.error(request, "Confirm first: these criteria change workshops in progress.")
        else:
            try:
                created = cases.add_proposed(case, kept)
            except ValidationError as refusal:
                # Past the case's limit of criteria: stay, so the author can keep fewer.
                messages.error(request, refusal.message)
            else:
                if created:
                    messages.success(
                        request,
                        f"Added {len(created)} {word_for(len(created), 'criterion', 'criteria')}: "
                        + ", ".join(c.code for c in created) + ". Edit their wording below.",
                    )
                else:
                    messages.info(request, "No criteria were added.")
                return redirect(_edit_url(case, "criteria-h"))
    if request.htmx:
        return render(request, "policy/authoring/criteria_generate.html#proposals", context)
    return render(request, "policy/authoring/criteria_generate.html", context)


# -- Who may edit --------------------------------------------------------------------------


@login_required
@require_POST
def case_people(request, slug):
    case = owned_case(request.user, slug)
    if request.POST.get("action") == "remove":
        # A non-numeric id was a 500 (ValueError in the lookup): refuse it as not found.
        user_id = request.POST.get("user", "")
        if not (user_id.isascii() and user_id.isdigit()):
            raise Http404
        user = get_object_or_404(get_user_model(), pk=user_id)
        refused = cases.remove_person(case, user)
        if refused:
            messages.error(request, refused)
        else:
            messages.success(request, f"{user.get_username()} can no longer edit this case.")
        if user == request.user and not refused:
            return redirect("case_detail", case.slug)
        return redirect(_edit_url(case, "people-h"))
    form = PersonForm(request.POST)
    if form.is_valid():
        role = form.cleaned_data["role"]
        cases.add_person(case, form.user, role)
        messages.success(request, f"{form.user.get_username()} is now an {role} of this case.")
        return redirect(_edit_url(case, "people-h"))
    # owned_case let only an owner this far.
    context = pages.edit_context(case, request.user, is_owner=True, person_form=form)
    return render(request, EDIT_PAGE, context)
