"""The memo's heading and sign-off as the facilitator writes them (MemoSettings), laid over the
lines content.py drafts: addressee, FROM, SUBJECT, the decision deadline, the drafted-by and
cleared-by lines. An empty setting keeps the drafted line. The handling marking is the
workshop's own field (Workshop.handling), edited on the same page.

Saving bumps the workshop's revision (and touches its updated_at), so the PDF cache, keyed by
both, never serves a memo written before the change.
"""
import datetime

from django.db import transaction
from django.utils.dateformat import format as format_date

from ..models import MemoSettings, Workshop
from ..models.workshop import DEFAULT_HANDLING
from ..workshops.actions import ActionRefused

DATE_FORMAT = "F j, Y"  # as the memo prints its own date


def settings_for(workshop: Workshop) -> MemoSettings:
    """The workshop's saved settings, or an unsaved empty one (every line drafted)."""
    return MemoSettings.objects.filter(workshop=workshop).first() or MemoSettings(
        workshop=workshop
    )


def signoff_text(row: dict) -> str:
    """One drafted-by or cleared-by line as the memo prints it: "Name, Office, May 4, 2026"."""
    parts = [row["name"], row.get("office", "")]
    if row.get("date"):
        parts.append(format_date(datetime.date.fromisoformat(row["date"]), DATE_FORMAT))
    return ", ".join(part for part in parts if part)


def apply_settings(context: dict, workshop: Workshop) -> dict:
    """The memo's context with the facilitator's lines in place of the drafted ones. The
    drafted lines stay under "drafted", for the settings page to show what an empty field
    prints."""
    saved = settings_for(workshop)
    drafted_line = f"{context['drafted_by']}, {format_date(context['date'], DATE_FORMAT)}"
    drafted = {
        "memo_for": context["memo_for"],
        "from_line": context["from_line"],
        "subject": context["subject"],
        "drafted_lines": [drafted_line],
        "handling": DEFAULT_HANDLING,
    }
    names = [row["name"] for row in saved.drafted_by]
    return {
        **context,
        "handling": context["handling"] or DEFAULT_HANDLING,
        "memo_for": saved.addressee or context["memo_for"],
        "from_line": saved.from_line or context["from_line"],
        "subject": saved.subject or context["subject"],
        "decide_by": saved.decision_deadline,
        "drafted_lines": [signoff_text(row) for row in saved.drafted_by] or [drafted_line],
        "drafted_by": " and ".join(names) if names else context["drafted_by"],
        "cleared_lines": [signoff_text(row) for row in saved.cleared_by],
        "drafted": drafted,
    }


def save_settings(
    workshop_id: int, *, handling: str, addressee: str, from_line: str, subject: str,
    decision_deadline: datetime.date | None, drafted_by: list[dict], cleared_by: list[dict],
) -> MemoSettings:
    """Store the facilitator's memo lines (ActionRefused once the workshop is locked: a
    locked workshop's memo is a record)."""
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().get(pk=workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked: its memo is a record and cannot change.")
        workshop.handling = handling or DEFAULT_HANDLING
        workshop.save(update_fields=["handling", "updated_at"])
        saved, _ = MemoSettings.objects.update_or_create(
            workshop=workshop,
            defaults={
                "addressee": addressee, "from_line": from_line, "subject": subject,
                "decision_deadline": decision_deadline, "drafted_by": drafted_by,
                "cleared_by": cleared_by,
            },
        )
        workshop.bump()
    return saved
