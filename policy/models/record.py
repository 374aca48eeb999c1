"""A locked workshop's record: what its results and memo were at lock, so that later edits to
the case (a criterion's direction, a new option, a principle's title) change nothing of them."""
from django.db import models

from .workshop import Workshop


class LockedRecord(models.Model):
    # One per lock: unlocking deletes it (the history keeps that the lock happened).
    workshop = models.OneToOneField(
        Workshop, on_delete=models.CASCADE, related_name="locked_record"
    )
    revision = models.PositiveBigIntegerField()  # the workshop's at lock
    # The settings the stored results were computed with: another asks the engine again.
    method = models.CharField(max_length=20)
    aggregation = models.CharField(max_length=20)
    # Every round's comparison, {"1": {"result": {...}} or {"error": "..."}, ...}: the kept
    # values workshop_result() caches.
    results = models.JSONField()
    memo_html = models.TextField(blank=True)  # "" when the engine had no comparison
    memo_error = models.TextField(blank=True)  # the engine's message then
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Record of workshop {self.workshop_id} locked at revision {self.revision}"
