"""The memo's heading and sign-off as the facilitator writes them (MemoSettings), laid over the
lines content.py drafts: addressee, FROM, SUBJECT, the decision deadline, the drafted-by and
cleared-by lines. An empty setting keeps the drafted line. The handling marking is the
workshop's own field (Workshop.handling), edited on the same page.

Saving is `workshops.actions.set_memo_settings`: in the history, and a revision bump (with
updated_at touched), so the PDF cache, keyed by both, never serves a memo written before it.
"""
import datetime

from django.utils.dateformat import format as format_date

from ..models import MemoSettings, Workshop
from ..models.workshop import DEFAULT_HANDLING

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
