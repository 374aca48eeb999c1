import re

from django import forms
from django.core.exceptions import ValidationError

from ..models import Criterion, Workshop

RATIONALE_MAX = 2000

# Control characters (bar tab and newlines) and the bidirectional overrides and isolates:
# never part of honest text, and able to garble or disguise what a page or the memo shows.
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def no_control_characters(value) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError("Remove the control characters from this text.", code="control")


def refuse_control_characters(form: forms.BaseForm) -> None:
    """Give every text field of the form the check above."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            field.validators.append(no_control_characters)


class ScoreForm(forms.Form):
    """One cell of the grid: a value on the criterion's scale and why."""

    value = forms.FloatField(required=False)
    rationale = forms.CharField(
        required=False, max_length=RATIONALE_MAX, strip=True, validators=[no_control_characters]
    )
    # A round number fits a small integer (the models' field): the save compares it in SQL.
    round = forms.IntegerField(min_value=1, max_value=32767, widget=forms.HiddenInput)

    def __init__(self, *args, criterion: Criterion, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion = criterion

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None:
            self.criterion.check_value(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("value") is None and data.get("rationale") and "value" not in self.errors:
            self.add_error("value", "Give a score as well as a rationale.")
        return data


class WorkshopCreateForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "hide_scores", "anonymous", "aggregation", "method", "handling"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)


AHP_SCALE = [9, 7, 5, 3, 1, 1 / 3, 1 / 5, 1 / 7, 1 / 9]


def ahp_label(value: float) -> str:
    return f"{value:g}" if value >= 1 else f"1/{round(1 / value)}"


class WeightsForm(forms.Form):
    """The facilitator's weight inputs, in the workshop's chosen weighting method (or an
    analyst's own, `method` then fixed to the workshop's).

    Direct points, swing values (0-100) and ranks are one number per criterion; AHP is one
    Saaty judgement per pair of criteria ("C1 is 3 times as important as C2")."""

    weighting = forms.ChoiceField(choices=Workshop.Weighting.choices)

    def __init__(self, *args, criteria: list[Criterion], method: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        if method is not None:
            # An analyst's own weights: in the workshop's method, not theirs to choose.
            del self.fields["weighting"]
        method = method or self.data.get("weighting") or self.initial.get("weighting")
        self.method = method if method in Workshop.Weighting.values else Workshop.Weighting.DIRECT
        if self.method == Workshop.Weighting.AHP:
            choices = [(ahp_label(v), ahp_label(v)) for v in AHP_SCALE]
            for i, a in enumerate(criteria):
                for b in criteria[i + 1:]:
                    self.fields[f"ahp_{a.code}|{b.code}"] = forms.ChoiceField(
                        choices=choices, initial="1", label=f"{a.code} against {b.code}"
                    )
            return
        limits = {
            Workshop.Weighting.DIRECT: (0, 1000, "Points (0 or more)"),
            Workshop.Weighting.SWING: (0, 100, "Swing value (0-100, the most important 100)"),
            Workshop.Weighting.RANK: (1, len(criteria), f"Rank (1 most important to {len(criteria)})"),
        }
        low, high, help_text = limits[self.method]
        field_class = forms.IntegerField if self.method == Workshop.Weighting.RANK else forms.FloatField
        for criterion in criteria:
            self.fields[f"w_{criterion.code}"] = field_class(
                min_value=low, max_value=high, label=f"{criterion.code} {criterion.title}",
                help_text=help_text,
            )

    def clean(self):
        data = super().clean()
        if self.method == Workshop.Weighting.AHP:
            return data
        values = [data.get(f"w_{c.code}") for c in self.criteria]
        if not self.errors and not any(values):
            raise forms.ValidationError("At least one criterion needs a weight above zero.")
        return data

    def weight_values(self) -> dict[str, float]:
        return {c.code: float(self.cleaned_data[f"w_{c.code}"]) for c in self.criteria}

    def judgements(self) -> dict[str, float]:
        def value(label: str) -> float:
            return 1 / float(label[2:]) if label.startswith("1/") else float(label)

        return {
            name[4:]: value(label)
            for name, label in self.cleaned_data.items()
            if name.startswith("ahp_")
        }

    def weight_fields(self):
        return [self[name] for name in self.fields if name.startswith("w_")]

    def pair_fields(self):
        return [self[name] for name in self.fields if name.startswith("ahp_")]


class InvitationForm(forms.Form):
    addresses = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000,
        label="Email addresses", help_text="One or more, separated by commas, spaces or lines.",
    )

    def clean_addresses(self) -> list[str]:
        from .invitations import parse_addresses, too_many

        valid, invalid = parse_addresses(self.cleaned_data["addresses"])
        if invalid:
            raise ValidationError("Not an email address: " + ", ".join(invalid[:10]) + ".")
        if not valid:
            raise ValidationError("Give at least one email address.")
        refused = too_many(valid)
        if refused:
            raise ValidationError(refused)
        return valid


class DeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        required=False, label="Scores due by",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Shown on every analyst's grid; leave empty for no deadline.",
    )
