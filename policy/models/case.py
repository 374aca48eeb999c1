"""A case: the policy question and what it is judged by.

Every part of a case has a `code` unique within the case (P1, A3, R2...). Case files refer to
parts by code, never by database id, so a case moves between databases unchanged.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

LEVEL_1_TO_5 = [(n, str(n)) for n in range(1, 6)]
# An actor's stance toward the decider's aims, as the case pages, the actor map and the memo
# say it.
STANCES = [(-2, "−2 opposes"), (-1, "−1"), (0, "0 neutral"), (1, "+1"), (2, "+2 supports")]


class Case(models.Model):
    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(max_length=200)
    question = models.TextField(help_text="The decision the team is asked to make.")
    context = models.TextField(blank=True)
    decider = models.CharField(
        max_length=120, help_text="Whose decision this is, e.g. 'United States'."
    )
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="owned_cases")
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="edited_cases"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CasePart(models.Model):
    """Fields every part of a case shares: its code, its place, and where its claim comes from."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="%(class)ss")
    code = models.CharField(max_length=20)
    position = models.PositiveIntegerField(default=0)
    quote = models.TextField(blank=True, help_text="The source's words this part rests on.")
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Workshops score it: changing it changes what their analysts score and their results
    # (policy/cases/changes.py bumps their revision). Decided here, once, for every path.
    scored = False

    class Meta:
        abstract = True
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="%(class)s_code_unique_in_case")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}".strip()

    @property
    def label(self) -> str:
        """The part's title (an actor's name)."""
        return getattr(self, "title", None) or getattr(self, "name", "")


class Source(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sources")
    code = models.CharField(max_length=20)
    citation = models.TextField(help_text="Author, title, publication, date, page.")
    url = models.URLField(blank=True)
    position = models.PositiveIntegerField(default=0)
    scored = False  # as CasePart.scored

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="source_code_unique_in_case")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.citation[:60]}"


class Principle(CasePart):
    title = models.CharField(max_length=200)
    statement = models.TextField()
    red_line = models.BooleanField(
        default=False, help_text="Options that fall below its criterion's threshold are ruled out."
    )

    class Meta(CasePart.Meta):
        pass


class Actor(CasePart):
    class Kind(models.TextChoices):
        STATE = "state", "State"
        REGIONAL_ORG = "regional_org", "Regional organisation"
        INTERNATIONAL_ORG = "international_org", "International organisation"
        ARMED_GROUP = "armed_group", "Armed or extremist group"
        DOMESTIC_FACTION = "domestic_faction", "Domestic faction"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    influence = models.PositiveSmallIntegerField(
        choices=LEVEL_1_TO_5, help_text="1 (marginal) to 5 (decisive) over the outcome."
    )
    stance = models.SmallIntegerField(
        choices=STANCES,
        help_text="-2 (opposes the decider's aims) to +2 (supports them).",
    )
    interests = models.TextField(blank=True)

    class Meta(CasePart.Meta):
        constraints = CasePart.Meta.constraints + [
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5), name="actor_influence_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(stance__gte=-2, stance__lte=2), name="actor_stance_minus2_to_2"
            ),
        ]


class Event(CasePart):
    """A dated event: the evidence a risk rests on."""

    date = models.DateField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta(CasePart.Meta):
        ordering = ["date", "code"]


class Risk(CasePart):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(choices=LEVEL_1_TO_5)
    impact = models.PositiveSmallIntegerField(choices=LEVEL_1_TO_5)
    actors = models.ManyToManyField(Actor, blank=True, related_name="risks")
    events = models.ManyToManyField(Event, blank=True, related_name="risks")
    evidence = models.TextField(blank=True, help_text="What the events show, in a sentence.")

    class Meta(CasePart.Meta):
        constraints = CasePart.Meta.constraints + [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_to_5"
            ),
        ]

    @property
    def severity(self) -> int:
        return self.likelihood * self.impact


class Option(CasePart):
    scored = True
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta(CasePart.Meta):
        pass


class Criterion(CasePart):
    class Kind(models.TextChoices):
        ALIGNMENT = "alignment", "Alignment with a principle"
        MITIGATION = "mitigation", "Mitigation of a risk"
        ACCEPTABILITY = "acceptability", "Acceptability to an actor"
        COST = "cost", "Cost"
        FEASIBILITY = "feasibility", "Feasibility"
        OTHER = "other", "Other"

    scored = True

    class Direction(models.TextChoices):
        BENEFIT = "benefit", "Higher is better"
        COST = "cost", "Lower is better"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default="benefit")
    scale_min = models.SmallIntegerField(default=0)
    scale_max = models.SmallIntegerField(default=10)
    anchors = models.JSONField(
        default=dict, blank=True, help_text='Wording per scale level: {"0": "...", "10": "..."}.'
    )
    default_weight = models.FloatField(default=1.0)
    red_line_threshold = models.FloatField(
        null=True,
        blank=True,
        help_text="Options whose group score falls below this are screened out.",
    )
    principle = models.ForeignKey(
        Principle, null=True, blank=True, on_delete=models.SET_NULL, related_name="criteria"
    )
    risk = models.ForeignKey(
        Risk, null=True, blank=True, on_delete=models.SET_NULL, related_name="criteria"
    )
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="criteria"
    )

    class Meta(CasePart.Meta):
        verbose_name_plural = "criteria"
        constraints = CasePart.Meta.constraints + [
            models.CheckConstraint(
                condition=Q(scale_min__lt=models.F("scale_max")), name="criterion_scale_ordered"
            ),
            models.CheckConstraint(
                condition=Q(default_weight__gte=0), name="criterion_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(red_line_threshold__isnull=True)
                | Q(
                    red_line_threshold__gte=models.F("scale_min"),
                    red_line_threshold__lte=models.F("scale_max"),
                ),
                name="criterion_threshold_on_scale",
            ),
            # A criterion derives from one thing at most.
            models.CheckConstraint(
                condition=Q(principle__isnull=True, risk__isnull=True)
                | Q(principle__isnull=True, actor__isnull=True)
                | Q(risk__isnull=True, actor__isnull=True),
                name="criterion_one_origin",
            ),
        ]

    @property
    def origin(self):
        return self.principle or self.risk or self.actor

    def anchor_for(self, level: int) -> str:
        return self.anchors.get(str(level), "")

    def check_value(self, value: float) -> None:
        """Refuse a score that is not a finite number on this criterion's scale."""
        if value != value or value in (float("inf"), float("-inf")):
            raise ValidationError("A score must be a finite number.")
        if not self.scale_min <= value <= self.scale_max:
            raise ValidationError(
                f"A score on “{self.title}” must be between {self.scale_min} and {self.scale_max}."
            )

    def clean(self):
        if self.scale_min >= self.scale_max:
            raise ValidationError({"scale_max": "The scale's top must be above its bottom."})
        off_scale = [
            level for level in self.anchors
            if not level.lstrip("-").isdigit() or not self.scale_min <= int(level) <= self.scale_max
        ]
        if off_scale:
            raise ValidationError({"anchors": f"Anchor levels not on the scale: {', '.join(off_scale)}."})
        if self.red_line_threshold is not None and not (
            self.scale_min <= self.red_line_threshold <= self.scale_max
        ):
            raise ValidationError({"red_line_threshold": "The threshold must be on the scale."})
        origins = [o for o in (self.principle_id, self.risk_id, self.actor_id) if o]
        if len(origins) > 1:
            raise ValidationError("A criterion derives from one principle, risk or actor at most.")
