"""A workshop's history: recording each step and score change inside the action's own
transaction, and reading it back as a timeline."""
import numpy as np
from django.db import connection
from django.utils import timezone

from ..models import HistoryEntry, Score, Workshop
from .frames import analyst_labels

Kind = HistoryEntry.Kind
STEP_KINDS = [kind for kind in Kind.values if kind != Kind.SCORE]
NOTE_LENGTH = HistoryEntry._meta.get_field("note").max_length


def record(workshop: Workshop, kind: str, by, note: str = "") -> None:
    """A facilitator's step (or a member joining), in the workshop's current round."""
    HistoryEntry.objects.create(
        workshop=workshop, kind=kind, user=by, round=workshop.round, note=note[:NOTE_LENGTH]
    )


def _score_change_sql(clearing: bool) -> str:
    entry, score = HistoryEntry._meta, Score._meta
    # The old value is read by the same statement that records the change: one INSERT,
    # and none at all when nothing changes (the same value and rationale saved again, or
    # an empty cell cleared). The caller holds the workshop's lock, so no save to this
    # cell runs between this and its own write.
    changed = "old.id IS NOT NULL" if clearing else (
        "old.id IS NULL OR old.value <> %s OR old.rationale <> %s"
    )
    return f"""
        INSERT INTO {entry.db_table}
            (workshop_id, at, user_id, kind, round, option_id, criterion_id,
             old_value, new_value, note)
        SELECT %s, %s, %s, %s, %s, %s, %s, old.value, %s, ''
        FROM (SELECT 1 AS one) AS cell
        LEFT JOIN {score.db_table} AS old
            ON old.workshop_id = %s AND old.round = %s AND old.analyst_id = %s
            AND old.option_id = %s AND old.criterion_id = %s
        WHERE {changed}
        RETURNING old_value
    """


def record_score_change(cell: list[int], value: float | None, rationale: str) -> tuple | None:
    """Before the cell ([workshop, round, analyst, option, criterion] ids) is written: its
    value then and now, who and when. When the save changes something, returns a 1-tuple of
    the old value (None if the cell was empty); when it changes nothing (nothing recorded),
    None."""
    workshop_id, round, analyst_id, option_id, criterion_id = cell
    at = HistoryEntry._meta.get_field("at").get_db_prep_save(timezone.now(), connection)
    params = [workshop_id, at, analyst_id, Kind.SCORE.value, round, option_id, criterion_id,
              value, *cell]
    params += [] if value is None else [value, rationale]
    with connection.cursor() as cursor:
        cursor.execute(_score_change_sql(value is None), params)
        return cursor.fetchone()


def timeline(workshop: Workshop, steps_only: bool = False):
    """The entries, newest first, with who and which cell loaded."""
    entries = workshop.history.select_related("user", "option", "criterion").order_by("-at", "-id")
    return entries.filter(kind__in=STEP_KINDS) if steps_only else entries


def weights_note(weighting_label: str, values: dict[str, float], judgements: dict) -> str:
    if judgements:
        return f"{weighting_label}: {len(judgements)} pairwise judgements"
    return f"{weighting_label}: " + ", ".join(f"{code} {value:g}" for code, value in values.items())


def described(workshop: Workshop, entries) -> list[dict]:
    """Entries as the timeline shows them. In an anonymous workshop a score change names
    the analyst by their label (A1, A2...), as the results do: not even the facilitator
    learns there who gave which value."""
    entries = list(entries)
    labels = {}
    if workshop.anonymous:
        scorers = np.array([e.user_id for e in entries if e.kind == Kind.SCORE and e.user_id])
        labels = analyst_labels(workshop, scorers)
    rows = []
    for entry in entries:
        who = entry.user.get_username() if entry.user else "(command line or deleted account)"
        if entry.kind == Kind.SCORE and workshop.anonymous:
            who = labels.get(entry.user_id, "(deleted account)")
        rows.append({"entry": entry, "who": who, "what": _what(entry)})
    return rows


def _what(entry: HistoryEntry) -> str:
    if entry.kind != Kind.SCORE:
        return f"{entry.get_kind_display()}{': ' + entry.note if entry.note else ''}"
    cell = f"{entry.option.code} × {entry.criterion.code}"
    old, new = _number(entry.old_value), _number(entry.new_value)
    if entry.old_value is None:
        return f"Scored {cell}: {new}"
    if entry.new_value is None:
        return f"Cleared {cell} (was {old})"
    if entry.old_value == entry.new_value:
        return f"Changed the reason on {cell} ({new})"
    return f"Changed {cell}: {old} → {new}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


# -- The case file (a backup made with --with-workshops) -----------------------------------


def to_file(workshop: Workshop) -> list[dict]:
    """The history as the case file writes it: oldest first, parts by code, users by name."""
    entries = workshop.history.order_by("at", "id").values_list(
        "at", "user__username", "kind", "round", "option__code", "criterion__code",
        "old_value", "new_value", "note",
    )
    return [
        {"at": at.isoformat(), "user": user, "kind": kind, "round": round,
         "option": option, "criterion": criterion, "old_value": old, "new_value": new,
         "note": note}
        for at, user, kind, round, option, criterion, old, new, note in entries
    ]


def from_file(workshop: Workshop, items: list[dict], users: dict, options: dict,
              criteria: dict, parse_timestamp) -> None:
    """Restore the history of a validated case file (policy/cases/casefile/)."""
    HistoryEntry.objects.bulk_create([
        HistoryEntry(
            workshop=workshop, at=parse_timestamp(item["at"]),
            user=users.get(item.get("user")), kind=item["kind"], round=item["round"],
            option=options.get(item.get("option")), criterion=criteria.get(item.get("criterion")),
            old_value=item.get("old_value"), new_value=item.get("new_value"),
            note=item.get("note", ""),
        )
        for item in items
    ], batch_size=2000)


def usernames_in(items: list[dict]) -> list[str]:
    return [item["user"] for item in items if item.get("user")]
