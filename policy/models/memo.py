"""The memo PDF cache: one rendered memo per workshop state, so a second download of an
unchanged workshop renders nothing."""
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
