"""Writing a case in the browser: create it, edit its parts inline, generate criteria, say who
may edit it (the case file's upload and download are in casefiles.py).

Every view works as a plain form POST that redirects (or re-shows a page with its errors); with
htmx the same view answers with the partial the template names. Each view checks the user's
rights itself, since any partial can be fetched alone.
"""
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import cases
from ..cases import PART_KINDS, PartKind
from ..cases.forms import PART_FORMS, CaseForm, GenerateForm, PersonForm
from ..models import Case

# The sections of the edit page, in the order an author fills them in.
SECTION_ORDER = ["principles", "actors", "events", "risks", "options", "criteria", "sources"]
EDIT_PAGE = "policy/authoring/case_edit.html"


@dataclass
class Row:
    part: object
    first: bool = False
    last: bool = False
    form: object = None  # set while the part is being edited
    confirm: object = None  # cases.Consequences, while its deletion is being confirmed
    error: str = ""
    focus: str = ""  # which control takes focus after a swap: "edit", "up", "down"


@dataclass
class Section:
    kind: PartKind
    rows: list[Row]
    add_form: object
    add_open: bool = False
    warning: str = ""  # workshops a change of criteria touches
    oob: bool = False
    focus_heading: bool = False

    @property
    def slug(self) -> str:
        return self.kind.slug


def _add_form(case: Case, kind: PartKind, data=None):
    return PART_FORMS[kind.slug](
        data, case=case, prefix=f"new-{kind.slug}",
        initial={"code": cases.next_code(case, kind)},
    )


def _edit_form(case: Case, kind: PartKind, part, data=None):
    return PART_FORMS[kind.slug](data, case=case, instance=part, prefix=f"{kind.slug}-{part.pk}")


def _focus(form):
    """Put the keyboard where the author works next: the first field in error, or the
    first field (htmx focuses an autofocus element it swaps in)."""
    names = [name for name in form.fields if name in form.errors] or list(form.fields)
    form.fields[names[0]].widget.attrs["autofocus"] = True
    return form


def build_section(case: Case, kind: PartKind, *, add_form=None, rows: dict | None = None,
                  **flags) -> Section:
    """A section of the edit page; `rows` replaces the plain row of some parts (by pk)."""
    parts = list(cases.parts_of(case, kind))
    replaced = rows or {}
    built = []
    for i, part in enumerate(parts):
        row = replaced.get(part.pk) or Row(part)
        row.part, row.first, row.last = part, i == 0, i == len(parts) - 1
        built.append(row)
    warning = cases.criteria_warning(case) if kind.slug == "criteria" else ""
    return Section(kind, built, add_form or _add_form(case, kind), warning=warning, **flags)


def edit_context(case: Case, user, sections: dict | None = None) -> dict:
    sections = sections or {}
    return {
        "case": case,
        "case_form": CaseForm(instance=case, prefix="case"),
        "sections": [sections.get(s) or build_section(case, PART_KINDS[s]) for s in SECTION_ORDER],
        "is_owner": cases.is_owner(user, case),
        "owners": case.owners.order_by("username"),
        "editors": case.editors.order_by("username"),
        "person_form": PersonForm(),
        "workshops_warning": cases.criteria_warning(case),
    }


def _sections_response(request, case: Case, main: Section, status: str = ""):
    """The changed section, and (out of band) the sections that show its kind's parts, whose
    rows and choices may have changed with it, and the page's status line."""
    others = [
        build_section(case, PART_KINDS[slug], oob=True) for slug in main.kind.shown_in
    ]
    return render(request, f"{EDIT_PAGE}#sections", {
        "case": case, "sections": [main, *others], "status": status,
    })


def _edit_url(case: Case, anchor: str = "") -> str:
    return reverse("case_edit", args=[case.slug]) + (f"#{anchor}" if anchor else "")


def _needs_confirmation(request, case: Case, kind: PartKind) -> str:
    """The warning to show before a change to the criteria of a case workshops use, unless the
    author has seen it and confirmed."""
    if kind.slug != "criteria" or request.POST.get("confirmed") == "1":
        return ""
    return cases.criteria_warning(case)


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
    case = cases.editable_case(request.user, slug)
    if request.method == "GET":
        return render(request, EDIT_PAGE, edit_context(case, request.user))
    form = CaseForm(request.POST, instance=case, prefix="case")
    saved = form.is_valid()
    if saved:
        form.save()
    if request.htmx:
        return render(request, f"{EDIT_PAGE}#case_form", {
            "case": case, "case_form": form,
            "status": "The question and context are saved." if saved else "",
        })
    if saved:
        messages.success(request, "The question and context are saved.")
        return redirect(_edit_url(case, "case-h"))
    return render(request, EDIT_PAGE, {**edit_context(case, request.user), "case_form": form})


# -- Parts: add, edit, delete, move --------------------------------------------------------


@login_required
@require_POST
def part_create(request, slug, kind):
    case = cases.editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    form = _add_form(case, kind, request.POST)
    warning = ""
    if form.is_valid():
        warning = _needs_confirmation(request, case, kind)
        if not warning:
            part = form.save(commit=False)
            cases.save_part(part, then=form.save_m2m)
            done = f"Added {kind.singular} {part.code}."
            if request.htmx:
                fresh = _focus(_add_form(case, kind))
                section = build_section(case, kind, add_form=fresh, add_open=True)
                return _sections_response(request, case, section, done)
            messages.success(request, done)
            return redirect(_edit_url(case, f"{kind.slug}-{part.pk}"))
    _focus(form)
    if request.htmx:
        section = build_section(case, kind, add_form=form, add_open=True)
        section.warning = warning or section.warning
        return render(request, f"{EDIT_PAGE}#sections", {
            "case": case, "sections": [section], "confirm_warning": warning,
        })
    return _form_page(request, case, kind, form, warning,
                      reverse("part_create", args=[case.slug, kind.slug]))


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request, slug, kind, pk):
    case = cases.editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    part = cases.get_part(case, kind, pk)
    old_code = part.code
    warning = ""
    if request.method == "POST":
        form = _edit_form(case, kind, part, request.POST)
        if form.is_valid():
            warning = _needs_confirmation(request, case, kind)
            if not warning:
                part = form.save(commit=False)
                cases.save_part(part, old_code=old_code, then=form.save_m2m)
                done = f"Saved {kind.singular} {part.code}."
                if request.htmx:
                    row = Row(part, focus="edit")
                    section = build_section(case, kind, rows={part.pk: row})
                    return _row_response(request, case, section, row, done, refresh_others=True)
                messages.success(request, done)
                return redirect(_edit_url(case, f"{kind.slug}-{part.pk}"))
    else:
        form = _edit_form(case, kind, part)
    _focus(form)
    if request.htmx:
        row = Row(part, form=form)
        section = build_section(case, kind, rows={part.pk: row})
        return _row_response(request, case, section, row, confirm_warning=warning)
    return _form_page(request, case, kind, form, warning,
                      reverse("part_edit", args=[case.slug, kind.slug, part.pk]), part)


def _form_page(request, case, kind, form, warning, action, part=None):
    """A part's form on a page of its own: the edit page without JavaScript."""
    if kind.slug == "criteria":
        warning = warning or cases.criteria_warning(case)
    return render(request, "policy/authoring/part_form.html", {
        "case": case, "kind": kind, "form": form, "part": part, "confirm_warning": warning,
        "action": action,
    })


def _row_response(request, case, section: Section, row: Row, status: str = "",
                  refresh_others: bool = False, confirm_warning: str = ""):
    """One row of a section (the target), with the sections that show its kind out of band."""
    others = []
    if refresh_others:
        others = [build_section(case, PART_KINDS[s], oob=True) for s in section.kind.shown_in]
    return render(request, f"{EDIT_PAGE}#row_response", {
        "case": case, "section": section, "row": row, "others": others, "status": status,
        "confirm_warning": confirm_warning,
    })


@login_required
@require_GET
def part_row(request, slug, kind, pk):
    """A part's plain row: what "Cancel" brings back."""
    case = cases.editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    part = cases.get_part(case, kind, pk)
    if not request.htmx:
        return redirect(_edit_url(case, f"{kind.slug}-{part.pk}"))
    row = Row(part, focus="edit")
    section = build_section(case, kind, rows={part.pk: row})
    return _row_response(request, case, section, row)


@login_required
@require_http_methods(["GET", "POST"])
def part_delete(request, slug, kind, pk):
    case = cases.editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    part = cases.get_part(case, kind, pk)
    consequences = cases.delete_consequences(part, kind)
    if request.method == "POST":
        refused = cases.delete_part(part, kind)
        if not refused:
            done = f"Deleted {kind.singular} {part.code}. " + " ".join(consequences.lines)
            if request.htmx:
                section = build_section(case, kind, focus_heading=True)
                return _sections_response(request, case, section, done)
            messages.success(request, done)
            return redirect(_edit_url(case, f"{kind.slug}-h"))
        consequences.blocked = refused
    if request.htmx:
        row = Row(part, confirm=consequences)
        section = build_section(case, kind, rows={part.pk: row})
        return _row_response(request, case, section, row)
    return render(request, "policy/authoring/part_delete.html", {
        "case": case, "kind": kind, "part": part, "consequences": consequences,
    })


@login_required
@require_POST
def part_move(request, slug, kind, pk):
    case = cases.editable_case(request.user, slug)
    kind = cases.part_kind(kind)
    if not kind.orderable:
        return HttpResponse(status=400)
    part = cases.get_part(case, kind, pk)
    direction = request.POST.get("direction", "")
    moved = cases.move_part(part, direction)
    if not request.htmx:
        if moved:
            messages.success(request, f"Moved {part.code} {direction}.")
        return redirect(_edit_url(case, f"{kind.slug}-{part.pk}"))
    row = Row(part, focus=direction)
    section = build_section(case, kind, rows={part.pk: row})
    # Keep focus on the button pressed, or on its twin when the part reached an end.
    if row.first and direction == "up" or row.last and direction == "down":
        row.focus = "down" if direction == "up" else "up"
        if row.first and row.last:
            row.focus = "edit"
    status = f"Moved {part.code} {direction}." if moved else f"{part.code} is already at the end."
    return render(request, f"{EDIT_PAGE}#sections", {
        "case": case, "sections": [section], "status": status,
    })


# -- Generating criteria -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def criteria_generate(request, slug):
    case = cases.editable_case(request.user, slug)
    source = request.POST if request.method == "POST" else request.GET
    form = GenerateForm(source if "min_severity" in source else None)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {
        name: field.initial for name, field in form.fields.items()
    }
    proposals = cases.propose_criteria(case, **params) if not form.errors else []
    warning = cases.criteria_warning(case)
    if request.method == "POST" and not form.errors:
        kept_keys = set(request.POST.getlist("keep"))
        kept = [p for p in proposals if p.key in kept_keys]
        if warning and request.POST.get("confirmed") != "1":
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
                        f"Added {len(created)} criteri{'on' if len(created) == 1 else 'a'}: "
                        + ", ".join(c.code for c in created) + ". Edit their wording below.",
                    )
                else:
                    messages.info(request, "No criteria were added.")
                return redirect(_edit_url(case, "criteria-h"))
    context = {"case": case, "form": form, "proposals": proposals, "warning": warning}
    if request.htmx:
        return render(request, "policy/authoring/criteria_generate.html#proposals", context)
    return render(request, "policy/authoring/criteria_generate.html", context)


# -- Who may edit --------------------------------------------------------------------------


@login_required
@require_POST
def case_people(request, slug):
    case = cases.owned_case(request.user, slug)
    if request.POST.get("action") == "remove":
        from django.contrib.auth import get_user_model

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
    context = {**edit_context(case, request.user), "person_form": form}
    return render(request, EDIT_PAGE, context)
