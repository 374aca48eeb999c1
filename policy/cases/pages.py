"""What the case editor shows: the edit page, its sections and rows, and the pieces an htmx
request swaps in (a section with those that list its kind out of band, a row, a status line).
Built from the case and the views' outcome, never from a request: the views in
policy/views/authoring.py check rights, change the case, and render what these return.
"""
from dataclasses import dataclass

from ..models import Case
from .forms import PART_FORMS, CaseForm, GenerateForm, PersonForm
from .parts import (
    PART_KINDS, PartKind, active_workshops, criteria_warning, next_code, parts_of,
)
from .proposals import propose_criteria

# The sections of the edit page, in the order an author fills them in.
SECTION_ORDER = ["principles", "actors", "events", "risks", "options", "criteria", "sources"]


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


def new_part_form(case: Case, kind: PartKind, data=None):
    return PART_FORMS[kind.slug](
        data, case=case, prefix=f"new-{kind.slug}", initial={"code": next_code(case, kind)},
    )


def part_form(case: Case, kind: PartKind, part, data=None):
    return PART_FORMS[kind.slug](data, case=case, instance=part, prefix=f"{kind.slug}-{part.pk}")


def focus(form):
    """Put the keyboard where the author works next: the first field in error, or the
    first field (htmx focuses an autofocus element it swaps in)."""
    names = [name for name in form.fields if name in form.errors] or list(form.fields)
    form.fields[names[0]].widget.attrs["autofocus"] = True
    return form


def needs_confirmation(case: Case, user, kind: PartKind, confirmed: bool) -> str:
    """The warning to show before a change to the criteria of a case workshops use, unless the
    author has seen it and confirmed."""
    if kind.slug != "criteria" or confirmed or not active_workshops(case):
        return ""  # a locked workshop keeps its record: nothing to confirm for it
    return criteria_warning(case, user)


def build_section(case: Case, user, kind: PartKind, *, add_form=None, rows: dict | None = None,
                  **flags) -> Section:
    """A section of the edit page; `rows` replaces the plain row of some parts (by pk)."""
    parts = list(parts_of(case, kind))
    replaced = rows or {}
    built = []
    for i, part in enumerate(parts):
        row = replaced.get(part.pk) or Row(part)
        row.part, row.first, row.last = part, i == 0, i == len(parts) - 1
        built.append(row)
    warning = criteria_warning(case, user) if kind.slug == "criteria" else ""
    return Section(kind, built, add_form or new_part_form(case, kind), warning=warning, **flags)


# -- Whole pages ---------------------------------------------------------------------------


def edit_context(case: Case, user, is_owner: bool, *, case_form=None, person_form=None) -> dict:
    """The edit page; `case_form` or `person_form` when one comes back with its errors."""
    sections = [build_section(case, user, PART_KINDS[slug]) for slug in SECTION_ORDER]
    return {
        "case": case,
        "case_form": case_form or CaseForm(instance=case, prefix="case"),
        "sections": sections,
        "is_owner": is_owner,
        "owners": case.owners.order_by("username"),
        "editors": case.editors.order_by("username"),
        "person_form": person_form or PersonForm(),
        # The criteria section's: the same workshops, asked once.
        "workshops_warning": next(s.warning for s in sections if s.slug == "criteria"),
    }


def part_form_context(case: Case, user, kind: PartKind, form, warning: str, action: str,
                      part=None) -> dict:
    """A part's form on a page of its own: the edit page without JavaScript."""
    if kind.slug == "criteria":
        warning = warning or criteria_warning(case, user)
    return {
        "case": case, "kind": kind, "form": focus(form), "part": part,
        "confirm_warning": warning, "action": action,
    }


def generate_context(case: Case, user, form: GenerateForm) -> dict:
    """The proposed criteria for the form's settings (its initial ones while unbound)."""
    params = form.cleaned_data if form.is_bound and form.is_valid() else {
        name: field.initial for name, field in form.fields.items()
    }
    return {
        "case": case, "form": form,
        "proposals": propose_criteria(case, **params) if not form.errors else [],
        "warning": criteria_warning(case, user),
    }


# -- What an htmx request swaps in ---------------------------------------------------------


def sections_context(case: Case, user, main: Section, status: str = "") -> dict:
    """The changed section, and (out of band) the sections that show its kind's parts, whose
    rows and choices may have changed with it, and the page's status line."""
    others = [build_section(case, user, PART_KINDS[slug], oob=True) for slug in main.kind.shown_in]
    return {"case": case, "sections": [main, *others], "status": status}


def row_context(case: Case, user, kind: PartKind, row: Row, status: str = "",
                refresh_others: bool = False, confirm_warning: str = "") -> dict:
    """One row of a section (the target), with the sections that show its kind out of band."""
    section = build_section(case, user, kind, rows={row.part.pk: row})
    others = []
    if refresh_others:
        others = [build_section(case, user, PART_KINDS[s], oob=True) for s in kind.shown_in]
    return {
        "case": case, "section": section, "row": row, "others": others, "status": status,
        "confirm_warning": confirm_warning,
    }


def added_context(case: Case, user, kind: PartKind, form, done: str, warning: str) -> dict:
    """After an add: a fresh, open add form and the status when `done`; else the form with its
    errors or the warning to confirm."""
    if done:
        fresh = focus(new_part_form(case, kind))
        section = build_section(case, user, kind, add_form=fresh, add_open=True)
        return sections_context(case, user, section, done)
    section = build_section(case, user, kind, add_form=focus(form), add_open=True)
    section.warning = warning or section.warning
    return {"case": case, "sections": [section], "confirm_warning": warning}


def edited_context(case: Case, user, kind: PartKind, part, form, done: str, warning: str) -> dict:
    """After an edit: the saved row (and the sections listing its kind) when `done`; else the
    row's form, with its errors or the warning to confirm."""
    if done:
        return row_context(case, user, kind, Row(part, focus="edit"), done, refresh_others=True)
    return row_context(case, user, kind, Row(part, form=focus(form)), confirm_warning=warning)


def deleted_context(case: Case, user, kind: PartKind, part, consequences, done: str) -> dict:
    """After a delete: the section without the part when `done`; else the row asking to
    confirm, with what the deletion takes with it (or why it is refused)."""
    if done:
        section = build_section(case, user, kind, focus_heading=True)
        return sections_context(case, user, section, done)
    return row_context(case, user, kind, Row(part, confirm=consequences))


def moved_context(case: Case, user, kind: PartKind, part, direction: str, status: str) -> dict:
    row = Row(part, focus=direction)
    section = build_section(case, user, kind, rows={part.pk: row})
    # Keep focus on the button pressed, or on its twin when the part reached an end.
    if row.first and direction == "up" or row.last and direction == "down":
        row.focus = "down" if direction == "up" else "up"
        if row.first and row.last:
            row.focus = "edit"
    return {"case": case, "sections": [section], "status": status}
