"""The memo PDF cache: one rendered memo per workshop state, so a second download of an
unchanged workshop renders nothing."""
from django.conf import settings
from django.db import models

from .workshop import Workshop


class MemoPDF(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="memos")
    revision = models.PositiveBigIntegerField()
    # policy.memo.MEMO_VERSION: bumped whenever the templates or the memo's wording change.
    version = models.CharField(max_length=20)
    page_size = models.CharField(max_length=10)
    # Edits the revision does not count: the case's and the workshop's own fields.
    stamp = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pages = models.PositiveIntegerField()
    render_seconds = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "memo PDF"
        verbose_name_plural = "memo PDFs"
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "revision", "version", "page_size", "stamp"],
                name="one_memo_per_workshop_state",
            ),
        ]

    def __str__(self) -> str:
        return f"Memo for {self.workshop_id} at revision {self.revision} (v{self.version})"


class MemoSettings(models.Model):
    """What the facilitator writes over the memo's drafted heading and sign-off lines. Empty
    fields leave the drafted text in place. The handling marking stays on the workshop
    (Workshop.handling), which exports and the case file already carry."""

    workshop = models.OneToOneField(
        Workshop, on_delete=models.CASCADE, related_name="memo_settings"
    )
    addressee = models.CharField(max_length=200, blank=True)
    from_line = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    decision_deadline = models.DateField(null=True, blank=True)
    # [{"name": ..., "office": ..., "date": "YYYY-MM-DD" or ""}, ...], in the order written.
    drafted_by = models.JSONField(default=list, blank=True)
    cleared_by = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "memo settings"
        verbose_name_plural = "memo settings"

    def __str__(self) -> str:
        return f"Memo settings of workshop {self.workshop_id}"


class MemoText(models.Model):
    """The facilitator's own words for one round's memo, over the text the app drafts: the
    bottom line, the recommendation's reasoning and the discussion (plain text, paragraphs
    split on blank lines; empty keeps the drafted text), and the option the team recommends
    (null: the top-ranked one). Kept per round, so a new round's memo never reuses words
    written against an older result without the facilitator choosing to."""

    PARTS = ("bottom_line", "reasoning", "discussion")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="memo_texts")
    round = models.PositiveSmallIntegerField()
    bottom_line = models.TextField(blank=True)
    reasoning = models.TextField(blank=True)
    discussion = models.TextField(blank=True)
    recommended = models.ForeignKey(
        "policy.Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {part: the drafted text the written text replaced}, as it was when that part was last
    # written: when the drafted text is now different, the result has changed since and the
    # preview marks the written part stale.
    drafted = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "memo text"
        verbose_name_plural = "memo texts"
        constraints = [
            models.UniqueConstraint(fields=["workshop", "round"], name="one_memo_text_per_round"),
        ]

    def __str__(self) -> str:
        return f"Memo text of workshop {self.workshop_id}, round {self.round}"
