import math
import re
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError

from ..models import Criterion, Workshop
from ..scoring import spanning_pairs, unlinked
from ..scoring.ahp import SCALE_WORDS, scale_label, scale_value

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


# The verbal scale the page offers for a pair: Saaty's odd values. An even value (or another
# number, from a case file) that is stored for a pair is shown and kept, not offered to others.
AHP_OFFERED = (9, 7, 5, 3, 1, 1 / 3, 1 / 5, 1 / 7, 1 / 9)
NOT_COMPARED = ""
HELP_ID = "weights-help"
# A slider's range fits the points it shows: 0-10, 0-100 or 0-1000 (direct points' limit).
SLIDER_RANGES = (10, 100, 1000)


@dataclass(frozen=True)
class AhpOption:
    """One radio button of a pair: its value ("3", "1/3", "" for not compared), its id, the
    criterion it favours (None for equal and not compared) and the words for how much."""

    value: str
    id: str
    favours: Criterion | None
    words: str
    checked: bool


@dataclass(frozen=True)
class AhpPair:
    field: forms.BoundField
    first: Criterion
    second: Criterion
    options: list[AhpOption]


def dom_id(code: str) -> str:
    """A criterion code as part of an element id that CSS can select unescaped (htmx's
    hx-preserve looks preserved inputs up by "#" + id): letters and digits stay, and "_", "."
    and "-" become "__", "_d" and "_h", so "-" can separate codes and no two codes meet."""
    return code.replace("_", "__").replace(".", "_d").replace("-", "_h")


def pair_options(field: forms.BoundField, first: Criterion, second: Criterion) -> list[AhpOption]:
    """The verbal scale from the first criterion extremely more important to the second, the
    pair's stored value in its place if it is off the offered scale, then "not compared"."""
    current = field.value() or NOT_COMPARED
    prefix = f"ahp-{dom_id(first.code)}-{dom_id(second.code)}"
    labels = [label for label, _ in field.field.choices if label != NOT_COMPARED]
    options = []
    for index, label in enumerate(sorted(labels, key=scale_value, reverse=True)):
        value = scale_value(label)
        size = value if value >= 1 else 1 / value
        whole = abs(size - round(size)) < 1e-9
        options.append(AhpOption(
            value=label, id=f"{prefix}-{index}",
            favours=None if label == "1" else first if value > 1 else second,
            words=SCALE_WORDS[round(size)] if whole else f"{size:.4g} times",
            checked=label == current,
        ))
    options.append(AhpOption(NOT_COMPARED, f"{prefix}-none", None, "not compared",
                             current == NOT_COMPARED))
    return options


def ahp_initial(criteria: list[Criterion], judgements: dict) -> dict:
    """The form's starting values from stored judgements, each pair in the criteria's order
    whichever order it was stored in ({"C2|C1": 3} shows as C1 against C2 at 1/3)."""
    position = {c.code: i for i, c in enumerate(criteria)}
    initial = {}
    for key, value in judgements.items():
        first, _, second = str(key).partition("|")
        if first in position and second in position and first != second:
            if position[first] > position[second]:
                first, second, value = second, first, 1 / value
            initial[f"ahp_{first}|{second}"] = scale_label(value)
    return initial


class WeightsForm(forms.Form):
    """The facilitator's weight inputs, in the workshop's chosen weighting method (or an
    analyst's own, `method` then fixed to the workshop's).

    Direct points, swing values (0-100) and ranks are one number per criterion; AHP is one
    judgement per pair of criteria on Saaty's verbal scale ("C1 is 3 times as important as
    C2"), of which the pairs of `spanning_pairs` are enough and the others optional. Stored
    values come in as `initial`, also when the form is bound: a stored value off the offered
    scale stays a valid choice for its pair."""

    weighting = forms.ChoiceField(choices=Workshop.Weighting.choices)
    help_id = HELP_ID

    def __init__(self, *args, criteria: list[Criterion], method: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        if method is not None:
            # An analyst's own weights: in the workshop's method, not theirs to choose.
            del self.fields["weighting"]
        method = method or self.data.get("weighting") or self.initial.get("weighting")
        self.method = method if method in Workshop.Weighting.values else Workshop.Weighting.DIRECT
        if self.method == Workshop.Weighting.AHP:
            offered = [scale_label(v) for v in AHP_OFFERED]
            for i, a in enumerate(criteria):
                for b in criteria[i + 1:]:
                    name = f"ahp_{a.code}|{b.code}"
                    stored = self.initial.get(name)
                    extra = [stored] if stored and stored not in offered else []
                    self.fields[name] = forms.ChoiceField(
                        choices=[(v, v) for v in offered + extra + [NOT_COMPARED]],
                        required=False, label=f"{a.code} {a.title} or {b.code} {b.title}",
                    )
            return
        limits = {
            Workshop.Weighting.DIRECT: (0, 1000, "Points (0 or more)"),
            Workshop.Weighting.SWING: (0, 100, "Swing value (0-100, the most important 100)"),
            Workshop.Weighting.RANK: (1, len(criteria), f"Rank (1 most important to {len(criteria)})"),
        }
        low, high, self.help_text = limits[self.method]
        field_class = forms.IntegerField if self.method == Workshop.Weighting.RANK else forms.FloatField
        # Kept on the screen through the swap after a save (_weighting_controls.html).
        preserve = {"hx-preserve": True} if self.is_bound else {}
        for criterion in criteria:
            # The help is said once above the boxes (HELP_ID), not once per criterion.
            self.fields[f"w_{criterion.code}"] = field_class(
                min_value=low, max_value=high, label=f"{criterion.code} {criterion.title}",
                widget=forms.NumberInput(attrs={
                    "id": f"id_w_{dom_id(criterion.code)}", "aria-describedby": HELP_ID,
                    **preserve,
                }),
            )

    def clean(self):
        data = super().clean()
        if self.method == Workshop.Weighting.AHP:
            if not self.errors:
                self.check_linked()
            return data
        values = [data.get(f"w_{c.code}") for c in self.criteria]
        if not self.errors and not any(values):
            raise forms.ValidationError("At least one criterion needs a weight above zero.")
        return data

    def check_linked(self) -> None:
        codes = [c.code for c in self.criteria]
        apart = unlinked(codes, self.judgements()) if codes else []
        if apart:
            first = self.criteria[0]
            self.add_error(None, (
                f"Not saved yet: {', '.join(apart)} {'is' if len(apart) == 1 else 'are'} not "
                f"compared with {first.code} {first.title}, directly or through other "
                f"criteria, so the weights are not determined. Compare each with {first.code} "
                "(the first comparisons below) or with a criterion that is."
            ))

    def weight_values(self) -> dict[str, float]:
        return {c.code: float(self.cleaned_data[f"w_{c.code}"]) for c in self.criteria}

    def judgements(self) -> dict[str, float]:
        return {
            name[4:]: scale_value(label)
            for name, label in self.cleaned_data.items()
            if name.startswith("ahp_") and label != NOT_COMPARED
        }

    def weight_fields(self):
        return [self[name] for name in self.fields if name.startswith("w_")]

    def slider(self) -> dict | None:
        """The sliders' range for direct points and swing values (rank has none): the
        smallest of SLIDER_RANGES that holds every value shown, in a hundred steps."""
        if self.method == Workshop.Weighting.SWING:
            return {"max": 100, "step": 1}
        if self.method != Workshop.Weighting.DIRECT:
            return None
        shown = []
        for field in self.weight_fields():
            try:
                shown.append(float(field.value()))
            except (TypeError, ValueError):
                pass
        top = max([v for v in shown if math.isfinite(v)], default=0)
        top = next((r for r in SLIDER_RANGES if top <= r), SLIDER_RANGES[-1])
        return {"max": top, "step": f"{top / 100:g}"}

    @cached_property
    def pairs_needed(self) -> list[AhpPair]:
        """The spanning design's pairs: enough for weights, shown first."""
        return self._pairs[0]

    @cached_property
    def pairs_more(self) -> list[AhpPair]:
        """The other pairs, optional: they check the judgements' consistency."""
        return self._pairs[1]

    @cached_property
    def _pairs(self) -> tuple[list[AhpPair], list[AhpPair]]:
        by_code = {c.code: c for c in self.criteria}
        spanning = {f"ahp_{a}|{b}" for a, b in spanning_pairs(list(by_code))}
        shown = ([], [])
        for name in self.fields:
            if name.startswith("ahp_"):
                first, second = (by_code[code] for code in name[4:].split("|"))
                pair = AhpPair(self[name], first, second, pair_options(self[name], first, second))
                shown[name not in spanning].append(pair)
        return shown

    def more_judged(self) -> int:
        """How many of the optional pairs have a value."""
        return sum(pair.field.value() not in (None, NOT_COMPARED) for pair in self.pairs_more)

    def more_refused(self) -> bool:
        """Whether an optional pair's value was refused: its disclosure opens to show it. (It
        stays closed otherwise: open, the page is 136 pairs longer for 18 criteria.)"""
        return any(pair.field.errors for pair in self.pairs_more)


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
