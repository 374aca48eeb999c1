"""The memo settings form: plain text only (the memo escapes it), no control characters, and
the drafted-by and cleared-by lines typed one a line as "name; office; date", each line's
mistake named by its number."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from ..models import MemoSettings
from ..models.workshop import Workshop
from ..workshops.forms import refuse_control_characters
from .texts import PARTS, same_text

SIGNOFF_LINES = 12
NAME_MAX = 100
OFFICE_MAX = 150
SIGNOFF_HELP = (
    "One person a line: name; office; date (the office and the date may be left out), "
    "for example “Jane Doe; S/P; 2026-11-30”."
)


def parse_signoffs(text: str) -> list[dict]:
    """"name; office; date" lines -> [{"name", "office", "date" (ISO or "")}], or a
    ValidationError listing every faulty line."""
    rows, errors = [], []
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line]
    if len(lines) > SIGNOFF_LINES:
        raise ValidationError(f"Give at most {SIGNOFF_LINES} lines (this has {len(lines)}).")
    dates = forms.DateField(required=False)
    for number, line in lines:
        parts = [part.strip() for part in line.split(";")]
        if len(parts) > 3:
            errors.append(f"Line {number}: write at most three parts, name; office; date "
                          f"(this line has {len(parts)}).")
            continue
        name, office, when = parts + [""] * (3 - len(parts))
        if not name:
            errors.append(f"Line {number}: start the line with a name.")
        elif len(name) > NAME_MAX:
            errors.append(f"Line {number}: keep the name to {NAME_MAX} characters.")
        if len(office) > OFFICE_MAX:
            errors.append(f"Line {number}: keep the office to {OFFICE_MAX} characters.")
        try:
            date = dates.clean(when)
        except ValidationError:
            errors.append(f"Line {number}: “{when[:30]}” is not a date; write it as 2026-11-30.")
            continue
        rows.append({"name": name, "office": office, "date": date.isoformat() if date else ""})
    if errors:
        raise ValidationError(errors)
    return rows


def signoff_lines(rows: list[dict]) -> str:
    """The rows as the form shows them again (empty trailing parts left out)."""
    lines = []
    for row in rows:
        parts = [row["name"], row["office"], row["date"]]
        while not parts[-1]:
            parts.pop()
        lines.append("; ".join(parts))
    return "\n".join(lines)


class MemoSettingsForm(forms.Form):
    addressee = forms.CharField(
        label="Addressee (ACTION MEMO FOR)", required=False,
        max_length=MemoSettings._meta.get_field("addressee").max_length,
    )
    from_line = forms.CharField(
        label="From", required=False,
        max_length=MemoSettings._meta.get_field("from_line").max_length,
    )
    subject = forms.CharField(
        label="Subject", required=False,
        max_length=MemoSettings._meta.get_field("subject").max_length,
    )
    handling = forms.CharField(
        label="Handling marking (top and bottom of every page)", required=False,
        max_length=Workshop._meta.get_field("handling").max_length,
    )
    decision_deadline = forms.DateField(
        label="Decision needed by", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Printed on the memo’s “Decision needed by” line; empty leaves a blank line.",
    )
    drafted_by = forms.CharField(
        label="Drafted by", required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=SIGNOFF_HELP,
    )
    cleared_by = forms.CharField(
        label="Cleared by", required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}), help_text=SIGNOFF_HELP,
    )

    def __init__(self, *args, drafted: dict | None = None, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)
        if drafted:
            # Help texts are printed unescaped (templates/policy/_field.html): format_html
            # escapes the drafted lines, which carry the case's and the members' own text.
            for name in ("addressee", "from_line", "subject", "handling"):
                key = "memo_for" if name == "addressee" else name
                self.fields[name].help_text = format_html(
                    "Empty prints the drafted line: “{}”.", drafted[key]
                )
            self.fields["drafted_by"].help_text = format_html(
                "{} Empty prints “{}”.", SIGNOFF_HELP, drafted["drafted_lines"][0]
            )
        for field in self.fields.values():
            field.disabled = locked  # a locked workshop's memo is a record

    def clean_drafted_by(self):
        return parse_signoffs(self.cleaned_data["drafted_by"])

    def clean_cleared_by(self):
        return parse_signoffs(self.cleaned_data["cleared_by"])

    @classmethod
    def initial_for(cls, workshop: Workshop, saved: MemoSettings) -> dict:
        return {
            "addressee": saved.addressee, "from_line": saved.from_line, "subject": saved.subject,
            "handling": workshop.handling, "decision_deadline": saved.decision_deadline,
            "drafted_by": signoff_lines(saved.drafted_by),
            "cleared_by": signoff_lines(saved.cleared_by),
        }


TEXT_MAX = {"bottom_line": 1200, "reasoning": 1500, "discussion": 5000}


class MemoTextForm(forms.Form):
    """The round's own words for the memo: each part prefilled with the written text, or else
    the drafted one (saved unchanged, drafted text stays drafted and follows the result), and
    the option the team recommends."""

    round = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    recommended = forms.ChoiceField(label="The team recommends", required=False)
    bottom_line = forms.CharField(
        label="Bottom line", required=False, max_length=TEXT_MAX["bottom_line"],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reasoning = forms.CharField(
        label="The recommendation’s reasoning", required=False,
        max_length=TEXT_MAX["reasoning"], widget=forms.Textarea(attrs={"rows": 5}),
    )
    discussion = forms.CharField(
        label="Discussion", required=False, max_length=TEXT_MAX["discussion"],
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Replaces the discussion’s prose; the ranking table and the caveats stay.",
    )

    def __init__(self, *args, workshop: Workshop, drafted: dict, winner: dict | None,
                 locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)
        self.drafted = drafted
        self.options = {o.code: o for o in workshop.case.options.order_by("position", "code")}
        first = f"{winner['option']}, {winner['title']}" if winner else "none yet"
        self.fields["recommended"].choices = [
            ("", f"The comparison’s first option ({first})"),
            *((code, f"{code}, {option.title}") for code, option in self.options.items()),
        ]
        self.fields["recommended"].help_text = (
            "Name another option and the memo says so, with where the comparison ranks it.")
        for field in self.fields.values():
            field.disabled = locked  # a locked workshop's memo is a record

    def clean(self):
        data = super().clean()
        for part in PARTS:
            # The drafted text sent back as it was is not the facilitator's own; a part's
            # "Use the drafted text" button clears it.
            if part in data and (same_text(data[part], self.drafted[part])
                                 or self.data.get("use_drafted") == part):
                data[part] = ""
        if "recommended" in data:
            data["recommended"] = self.options.get(data["recommended"])
        return data
