"""A workshop's history: every facilitator step and every score change, who and when."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from .case import Criterion, Option
from .workshop import Workshop


class HistoryEntry(models.Model):
    class Kind(models.TextChoices):
        # A step's kind is the step's name in policy/workshops/steps.py.
        OPEN = "open", "Opened scoring"
        CLOSE = "close", "Closed scoring"
        REVEAL = "reveal", "Revealed the scores"
        HIDE = "hide", "Hid the scores again"
        ROUND = "round", "Started a round"
        LOCK = "lock", "Locked the workshop"
        UNLOCK = "unlock", "Unlocked the workshop"
        WEIGHTS = "weights", "Set the weights"
        WEIGHERS = "weighers", "Changed who weights the criteria"
        OWN_WEIGHTS = "own_weights", "Gave their own weights"
        LINK_MADE = "link_made", "Made a join link"
        LINK_REVOKED = "link_revoked", "Revoked the join link"
        DEADLINE = "deadline", "Set the round's deadline"
        INVITED = "invited", "Sent invitations"
        REMINDED = "reminded", "Sent reminders"
        PACED_START = "paced_start", "Started paced mode"
        PACED_MOVE = "paced_move", "Moved to an item"
        PACED_REVEAL = "paced_reveal", "Revealed an item"
        PACED_END = "paced_end", "Ended paced mode"
        JOIN = "join", "Joined"
        ROLE = "role", "Changed a member's role"
        SCORE = "score", "Changed a score"
        MEMO = "memo", "Downloaded the memo"
        MEMO_TEXT = "memo_text", "Wrote the memo's text"
        MEMO_SETTINGS = "memo_lines", "Changed the memo's settings"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    # Null: done from the command line, or by an account since deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    round = models.PositiveSmallIntegerField()
    # A score change: the cell, and its value before and after (null: none).
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    old_value = models.FloatField(null=True, blank=True)
    new_value = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        # No ordering on the foreign key (a join in every query): readers say order_by.
        verbose_name_plural = "history entries"

    def __str__(self) -> str:
        return f"{self.workshop_id} {self.at:%Y-%m-%d %H:%M} {self.kind}"
