"""Forms for writing a case: the case itself, each kind of part, generating criteria, upload.

Part forms take the case, so that codes are checked for uniqueness within it and choices
(sources, actors, events, origins) come from it alone.
"""
import re

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.utils.text import slugify

from . import (
    CODE_PATTERN,
    PART_KINDS,
    RESERVED_SLUGS,
    SLUG_PATTERN,
    scores_off_scale,
    too_many_to_add,
    words,
)
from ..workshops.forms import refuse_control_characters
from ..models import Actor, Case, Criterion, Event, Option, Principle, Risk, Source

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def bound_texts(form: forms.BaseForm) -> None:
    """Hold every text field without a length of its own to the case file's limit."""
    limit = settings.CASE_MAX_TEXT
    message = f"At most {limit:,} characters (CASE_MAX_TEXT); this has %(show_value)s."
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.validators.append(MaxLengthValidator(limit, message))


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["title", "slug", "question", "context", "decider"]
        labels = {"slug": "Short name (optional)"}
        help_texts = {
            "slug": "For the case's address and files: lower-case letters, digits and hyphens, "
                    "e.g. river-treaty-2020. Left empty, it is made from the title. It cannot "
                    "change later.",
            "context": "Background the team should read before scoring (optional).",
        }
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "context": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)
        bound_texts(self)
        if self.instance.pk:
            # The slug is the case's address in links and case files: fixed once made.
            del self.fields["slug"]
        else:
            self.fields["slug"].required = False

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip()
        if not slug:
            return free_slug(self.data.get(self.add_prefix("title"), ""))
        if not SLUG_PATTERN.match(slug):
            raise forms.ValidationError(
                "Use lower-case letters, digits and hyphens only, e.g. river-treaty-2020."
            )
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"“{slug}” is taken by a page of the app; choose another.")
        return slug


def free_slug(title: str) -> str:
    """A slug made from the title that no case has yet (and no page of the app uses)."""
    base = re.sub(r"[^a-z0-9]+", "-", slugify(title)).strip("-")[:70] or "case"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Case.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def case_parts(case: Case, model) -> list:
    """The case's parts of one model, loaded once per case object (so once per request): the
    edit page shows a form in every section, and most offer the same sources (the risk and
    criterion forms the same actors), each of which would otherwise query them again."""
    loaded = case.__dict__.setdefault("_form_choices", {})
    if model not in loaded:
        loaded[model] = list(model.objects.filter(case=case))
    return loaded[model]


def offer_parts(field, case: Case, model) -> None:
    """Let `field` choose among the case's parts of `model`: validation checks against the
    database; the choices shown come from case_parts(), read when the form is rendered (after
    whatever the request saved)."""
    field.queryset = model.objects.filter(case=case)

    def choices():
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        return empty + [(part.pk, field.label_from_instance(part))
                        for part in case_parts(case, model)]

    field.choices = choices


class PartForm(forms.ModelForm):
    """Shared by the parts: a code unique within the case, and the source it cites."""

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)
        bound_texts(self)
        self.instance.case = case
        if "source" in self.fields:
            offer_parts(self.fields["source"], case, Source)
            self.fields["source"].empty_label = "None"
        if "quote" in self.fields:
            self.fields["quote"].widget = forms.Textarea(attrs={"rows": 2})
            self.fields["quote"].help_text = "The source's own words this rests on (optional)."

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                "A code is letters and digits (then also _ . or -), e.g. P1."
            )
        taken = type(self.instance).objects.filter(case=self.case, code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"Another {self.noun} already has the code {code}.")
        return code

    @property
    def noun(self) -> str:
        return type(self.instance)._meta.verbose_name

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            kind = next(k for k in PART_KINDS.values() if k.model is type(self.instance))
            refusal = too_many_to_add(self.case, kind)
            if refusal:
                self.add_error(None, forms.ValidationError(refusal, code="limit"))
        return data

    def save(self, commit=True):
        self.instance.case = self.case
        return super().save(commit=commit)


COMMON = ["code"]
CITED = ["quote", "source"]


class PrincipleForm(PartForm):
    class Meta:
        model = Principle
        fields = COMMON + ["title", "statement", "red_line"] + CITED
        labels = {"red_line": "A red line: options that breach it are ruled out"}
        widgets = {"statement": forms.Textarea(attrs={"rows": 2})}


class ActorForm(PartForm):
    class Meta:
        model = Actor
        fields = COMMON + ["name", "kind", "influence", "stance", "interests"] + CITED
        widgets = {"interests": forms.Textarea(attrs={"rows": 2})}


class EventForm(PartForm):
    class Meta:
        model = Event
        fields = COMMON + ["date", "title", "description"] + CITED
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"date": "Where the source gives only a month, its first day."}


class RiskForm(PartForm):
    class Meta:
        model = Risk
        fields = COMMON + ["title", "description", "likelihood", "impact", "actors", "events",
                           "evidence"] + CITED
        labels = {"actors": "Actors involved", "events": "Events it rests on"}
        help_texts = {
            "likelihood": "1 (rare) to 5 (almost certain).",
            "impact": "1 (minor) to 5 (severe).",
            "actors": "", "events": "",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "actors": forms.CheckboxSelectMultiple,
            "events": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        offer_parts(self.fields["actors"], case, Actor)
        offer_parts(self.fields["events"], case, Event)


class OptionForm(PartForm):
    class Meta:
        model = Option
        fields = COMMON + ["title", "summary"] + CITED
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class SourceForm(PartForm):
    url = forms.URLField(
        label="Web address (optional)", required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Source
        fields = ["code", "citation", "url"]
        widgets = {"citation": forms.Textarea(attrs={"rows": 2})}


ANCHOR_LINE = re.compile(r"^\s*(-?\d+)\s*[:=–-]\s*(.+?)\s*$")


class CriterionForm(PartForm):
    """A criterion with its scale, anchor wording, direction, weight, red line and origin.

    Anchors are written one level a line ("0: Not at all"); the origin is one choice among the
    case's principles, risks and actors."""

    anchors_text = forms.CharField(
        label="Anchor wording", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One level a line, e.g. “0: Not at all”, “10: Fully”.",
    )
    derived_from = forms.ChoiceField(label="Derived from", required=False)

    class Meta:
        model = Criterion
        fields = COMMON + ["title", "description", "kind", "direction", "scale_min", "scale_max",
                           "default_weight", "red_line_threshold"] + CITED
        labels = {
            "scale_min": "Scale from", "scale_max": "Scale to",
            "red_line_threshold": "Red-line threshold (optional)",
        }
        help_texts = {
            "default_weight": "Its starting weight in a new workshop (0 or more).",
            "red_line_threshold": "An option whose group score falls below this is screened out.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.origins = {}
        groups = []
        for label, prefix, model in (
            ("Principles", "principle", Principle),
            ("Risks", "risk", Risk),
            ("Actors", "actor", Actor),
        ):
            choices = []
            for part in case_parts(case, model):
                key = f"{prefix}:{part.pk}"
                self.origins[key] = (prefix, part)
                choices.append((key, f"{part.code} {part.label}"))
            if choices:
                groups.append((label, choices))
        self.fields["derived_from"].choices = [("", "Nothing in the case")] + groups
        self.fields["anchors_text"].widget.attrs["rows"] = 3
        instance = self.instance
        if not self.is_bound:
            origin = next(
                (f"{k}:{getattr(instance, k + '_id')}" for k in ("principle", "risk", "actor")
                 if getattr(instance, k + "_id", None)), "",
            )
            self.initial["derived_from"] = origin
            anchors = sorted((instance.anchors or {}).items(), key=lambda kv: int(kv[0]))
            self.initial["anchors_text"] = "\n".join(
                f"{level}: {words}" for level, words in anchors
            )
        # Fields in the order an author thinks of them.
        self.order_fields([
            "code", "title", "description", "kind", "derived_from", "direction", "scale_min",
            "scale_max", "anchors_text", "default_weight", "red_line_threshold", "quote", "source",
        ])

    def clean_derived_from(self):
        value = self.cleaned_data["derived_from"]
        if value and value not in self.origins:
            raise forms.ValidationError("Choose a principle, risk or actor of this case.")
        return value

    def clean_default_weight(self):
        weight = self.cleaned_data["default_weight"]
        if weight is not None and weight < 0:
            raise forms.ValidationError("A weight is 0 or more.")
        return weight

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None:
            if low >= high:
                self.add_error("scale_max", f"The scale must end above where it starts ({low}).")
            else:
                off = scores_off_scale(self.instance, low, high)
                if off:
                    self.add_error(
                        "scale_max",
                        f"{words.count(off, 'saved score')} would fall outside "
                        f"{low} to {high}: keep a scale that holds them.",
                    )
                threshold = data.get("red_line_threshold")
                if threshold is not None and not low <= threshold <= high:
                    self.add_error(
                        "red_line_threshold",
                        f"The threshold must be on the scale, {low} to {high}.",
                    )
                if "anchors_text" not in self.errors:
                    self.anchors = self._anchors(data.get("anchors_text", ""), low, high)
        return data

    def _anchors(self, text: str, low: int, high: int) -> dict:
        anchors, problems = {}, []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            match = ANCHOR_LINE.match(line)
            if not match:
                problems.append(
                    f"Line {n}: write a level, a colon and its wording, e.g. “5: Some”."
                )
                continue
            level = int(match.group(1))
            if not low <= level <= high:
                problems.append(f"Line {n}: level {level} is not on the scale {low} to {high}.")
            elif str(level) in anchors:
                problems.append(f"Line {n}: level {level} is worded twice.")
            else:
                anchors[str(level)] = match.group(2)
        for problem in problems:
            self.add_error("anchors_text", problem)
        return anchors

    def _post_clean(self):
        # Put the parsed anchors and the origin on the instance before the model checks it.
        if hasattr(self, "anchors"):
            self.instance.anchors = dict(sorted(self.anchors.items(), key=lambda kv: int(kv[0])))
        origin = self.cleaned_data.get("derived_from")
        self.instance.principle = self.instance.risk = self.instance.actor = None
        if origin in self.origins:
            kind, part = self.origins[origin]
            setattr(self.instance, kind, part)
        super()._post_clean()


PART_FORMS = {
    "principles": PrincipleForm,
    "actors": ActorForm,
    "events": EventForm,
    "risks": RiskForm,
    "options": OptionForm,
    "criteria": CriterionForm,
    "sources": SourceForm,
}


class GenerateForm(forms.Form):
    """The thresholds that decide which risks and actors earn a criterion."""

    min_severity = forms.IntegerField(
        label="Risks from likelihood × impact of", min_value=1, max_value=25, initial=10,
        help_text="A mitigation criterion for each risk at or above this (1 to 25).",
    )
    min_influence = forms.IntegerField(
        label="Actors from influence of", min_value=1, max_value=5, initial=4,
        help_text="An acceptability criterion for each actor at or above this (1 to 5).",
    )
    red_line_threshold = forms.FloatField(
        label="Red-line threshold for red-line principles", min_value=0, max_value=10, initial=3,
        help_text="On the 0 to 10 scale of the new criteria: below it, an option is screened out.",
    )


class PersonForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    role = forms.ChoiceField(
        label="Role", choices=[("editor", "Editor"), ("owner", "Owner")], initial="editor",
        help_text="Editors change the case; owners also decide who may.",
    )

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: name}).first()
        if user is None:
            raise forms.ValidationError(f"No account has the username “{name}”.")
        self.user = user
        return name


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Case file (JSON)",
        help_text="A file written by “Download the case file” or the export_case command.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    replace = forms.BooleanField(
        label="Replace my case with the same short name", required=False,
        help_text="Only a case you own, and only one without workshops.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB; a case file may be at most "
                f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        return upload
