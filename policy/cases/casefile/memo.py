"""A workshop's memo in the case file (a --with-workshops backup): the facilitator's settings
(MemoSettings: addressee, FROM, SUBJECT, decision deadline, drafted-by and cleared-by lines)
and each round's own words (MemoText: bottom line, reasoning, discussion, the option the team
recommends, and the drafted text each written part replaced, so staleness survives the trip).
The handling marking is the workshop's own field, written with the others."""
from datetime import date

from ...models import MemoSettings, MemoText, Workshop

SETTINGS_FIELDS = ("addressee", "from_line", "subject", "drafted_by", "cleared_by")
TEXT_PARTS = MemoText.PARTS


def to_file(workshop: Workshop) -> dict:
    """{"memo_settings": {...} or None, "memo_texts": [...] by round}."""
    saved = MemoSettings.objects.filter(workshop=workshop).first()
    settings = None
    if saved is not None:
        settings = {field: getattr(saved, field) for field in SETTINGS_FIELDS}
        deadline = saved.decision_deadline
        settings["decision_deadline"] = deadline.isoformat() if deadline else None
    texts = workshop.memo_texts.order_by("round").select_related("recommended")
    return {
        "memo_settings": settings,
        "memo_texts": [
            {"round": text.round, **{part: getattr(text, part) for part in TEXT_PARTS},
             "recommended": text.recommended.code if text.recommended else None,
             "drafted": dict(sorted(text.drafted.items()))}
            for text in texts
        ],
    }


def from_file(workshop: Workshop, item: dict, options: dict) -> None:
    """Restore what to_file wrote, from a validated case file."""
    settings = item.get("memo_settings")
    if settings:
        deadline = settings.get("decision_deadline")
        MemoSettings.objects.create(
            workshop=workshop, addressee=settings.get("addressee", ""),
            from_line=settings.get("from_line", ""), subject=settings.get("subject", ""),
            drafted_by=_signoffs(settings.get("drafted_by", [])),
            cleared_by=_signoffs(settings.get("cleared_by", [])),
            decision_deadline=date.fromisoformat(deadline) if deadline else None,
        )
    MemoText.objects.bulk_create([
        MemoText(workshop=workshop, round=text["round"],
                 **{part: text.get(part, "") for part in TEXT_PARTS},
                 recommended=options.get(text.get("recommended")),
                 drafted=dict(text.get("drafted", {})))
        for text in item.get("memo_texts", [])
    ])


def _signoffs(rows: list[dict]) -> list[dict]:
    """Every row with its three keys, as the memo settings form writes them."""
    return [{"name": row["name"], "office": row.get("office", ""), "date": row.get("date", "")}
            for row in rows]
