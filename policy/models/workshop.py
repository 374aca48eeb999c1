"""A workshop: a team scoring one case's options, in rounds."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ..scoring.names import AGGREGATIONS, METHODS, WEIGHTINGS
from .case import Case, Criterion, Option

DEFAULT_HANDLING = "UNCLASSIFIED//FOR DISCUSSION"


class WorkshopQuerySet(models.QuerySet):
    def bump(self) -> int:
        """Advance these workshops' revisions in the database (safe under concurrent writers):
        every open page on them learns of the change on its next poll."""
        return self.update(revision=F("revision") + 1)


class Workshop(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Scoring open"
        CLOSED = "closed", "Scoring closed"
        LOCKED = "locked", "Locked"

    # The engine's settings, labelled as policy/scoring/names.py says them.
    class Aggregation(models.TextChoices):
        MEDIAN = "median", AGGREGATIONS["median"].label
        MEAN = "mean", AGGREGATIONS["mean"].label
        TRIMMED_MEAN = "trimmed_mean", AGGREGATIONS["trimmed_mean"].label

    class Method(models.TextChoices):
        WEIGHTED_SUM = "weighted_sum", METHODS["weighted_sum"].label
        TOPSIS = "topsis", METHODS["topsis"].label

    class Weighting(models.TextChoices):
        DIRECT = "direct", WEIGHTINGS["direct"].label
        SWING = "swing", WEIGHTINGS["swing"].label
        RANK = "rank", WEIGHTINGS["rank"].label
        AHP = "ahp", WEIGHTINGS["ahp"].label

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="workshops")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    round = models.PositiveSmallIntegerField(default=1)
    hide_scores = models.BooleanField(
        default=True, help_text="Analysts see only their own scores until the facilitator reveals."
    )
    revealed = models.BooleanField(default=False)
    anonymous = models.BooleanField(
        default=False, help_text=(
            "Analysts and observers see no names: results, exports and the memo label "
            "analysts A1, A2... in a random order. You, the facilitator, still see who has "
            "joined and how far each has got."
        ),
    )
    aggregation = models.CharField(
        max_length=20, choices=Aggregation.choices, default=Aggregation.MEDIAN
    )
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.WEIGHTED_SUM)
    weighting = models.CharField(max_length=10, choices=Weighting.choices, default=Weighting.DIRECT)
    ahp_judgements = models.JSONField(
        default=dict, blank=True, help_text='Pairwise judgements {"C1|C2": 3, ...} (Saaty 1/9-9).'
    )
    analysts_weigh = models.BooleanField(
        default=False, help_text=(
            "Each analyst weights the criteria (in the workshop's weighting method); the "
            "group's weights are their aggregate. Your own weights stand until one has."
        ),
    )
    handling = models.CharField(max_length=120, default=DEFAULT_HANDLING)
    round_deadline = models.DateTimeField(
        null=True, blank=True, help_text="When this round's scores are due (shown on the grid)."
    )
    # Paced mode (policy/workshops/paced.py): the criterion everyone answers now, the options
    # side by side; None is the open grid. `paced_revealed`: that item's distribution is shown
    # to the team (moving to another item hides it again).
    paced_criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paced_revealed = models.BooleanField(default=False)
    # Bumped on every change anyone can see; pages poll it to know when to refresh.
    revision = models.PositiveBigIntegerField(default=0)
    join_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(round__gte=1), name="workshop_round_from_1"),
        ]

    def __str__(self) -> str:
        return self.title

    def bump(self) -> None:
        Workshop.objects.filter(pk=self.pk).bump()


class Membership(models.Model):
    class Role(models.TextChoices):
        FACILITATOR = "facilitator", "Facilitator"
        ANALYST = "analyst", "Analyst"
        OBSERVER = "observer", "Observer"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)
    # The analyst's own AHP judgements, {"C1|C2": 3, ...}, when analysts weight the criteria.
    ahp_judgements = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="one_membership_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.workshop}"


class Score(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="scores")
    round = models.PositiveSmallIntegerField(default=1)
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scores"
    )
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.FloatField()
    rationale = models.TextField(blank=True)
    # The round this score was copied from when its round started (Delphi: each round starts
    # from the analyst's last answers); None once the analyst saves it in this round.
    carried_from = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "round", "analyst", "option", "criterion"],
                name="one_score_per_cell",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="score_round_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.analyst} {self.option.code}/{self.criterion.code} = {self.value}"

    def clean(self):
        if self.criterion_id is not None and self.value is not None:
            self.criterion.check_value(self.value)


class Weight(models.Model):
    """The facilitator's input for one criterion: points, swing value or rank (by weighting)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="weights")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="weights")
    value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "criterion"], name="one_weight_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0), name="weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} = {self.value}"


class AnalystWeight(models.Model):
    """An analyst's own input for one criterion when analysts weight the criteria: points,
    swing value or rank in `weighting`. Rows of another method than the workshop's are kept
    (a method switched back finds them) and never read."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="analyst_weights")
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    weighting = models.CharField(max_length=10, choices=Workshop.Weighting.choices)
    value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "analyst", "weighting", "criterion"],
                name="one_analyst_weight_per_criterion",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="analyst_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.analyst_id}: {self.criterion_id} = {self.value} ({self.weighting})"
