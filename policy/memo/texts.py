"""The facilitator's own words over the drafted ones (MemoText, one per round): the bottom line,
the recommendation's reasoning and the discussion, and the option the team recommends.

Each part is drafted from the result as today (content.py, body.py); a written part replaces it
in the memo, the preview, the PDF and the Word copy alike. Written text is plain: paragraphs
split on blank lines, every character escaped by the template (never markup). A written part
keeps the drafted text it replaced; when the drafted text is now different, the result has
changed since it was written and the preview marks the part stale. Marks are in the memo's HTML
as `.memo-mark` blocks, which memo.css hides in print and the Word copy skips.
"""
import re

from ..models import MemoText, Workshop

PARTS = {
    "bottom_line": "Bottom line",
    "reasoning": "The recommendation’s reasoning",
    "discussion": "Discussion",
}
BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """Plain text -> its paragraphs: split on blank lines, each one's lines joined by a space
    (a memo's paragraph is not laid out by the writer's line breaks)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [" ".join(block.split()) for block in BLANK_LINE.split(text) if block.strip()]


def same_text(one: str, other: str) -> bool:
    """Equal as the memo prints them: the same paragraphs, whatever the spacing."""
    return paragraphs(one) == paragraphs(other)


def texts_for(workshop: Workshop, round: int) -> MemoText | None:
    return (MemoText.objects.filter(workshop=workshop, round=round)
            .select_related("recommended").first())


def earlier_texts(workshop: Workshop, round: int) -> MemoText | None:
    """The latest earlier round's words, offered as a starting point (never used silently)."""
    return (MemoText.objects.filter(workshop=workshop, round__lt=round)
            .order_by("-round").first())


def drafted_discussion(context: dict) -> str:
    """The drafted discussion's prose as plain text, paragraphs apart: what the facilitator
    starts from, and what a written discussion is checked against for staleness. The tables
    (the ranking, the change since the last round) are not prose and stay in any case."""
    out = []
    if context["winner"]:
        out.append(context["ranking_sentence"])
        if context["winner_summary"]:
            out.append(f"{context['winner']['option']} in brief. {context['winner_summary']}")
    if context.get("changes"):
        out.append(" ".join(context["changes"]["sentences"]))
    if context["touch_sentence"]:
        out.append(context["touch_sentence"])
    out.append(context["contested_intro"])
    for cell in context["quoted"]:
        out.append(f"{cell['option']} {cell['option_title']} on {cell['criterion']} "
                   f"{cell['criterion_title']}: scores from {cell['low']} to {cell['high']} on "
                   f"{cell['scale']}, median {cell['median']}.")
        out += [f"“{q['rationale']}” ({q['analyst']}, {q['value']})" for q in cell["ends"]]
    if context["contested_note"]:
        out.append(context["contested_note"])
    if context["dissent"]:
        out.append(" ".join(context["dissent"]))
    return "\n\n".join(text for text in out if text)


def apply_texts(context: dict, saved: MemoText | None) -> dict:
    """The context with context["parts"]: for each part its drafted text, the written one
    (if any), the paragraphs the memo prints and whether the written text is stale."""
    drafted = {
        "bottom_line": context["bluf"],
        "reasoning": context["reasoning"],
        "discussion": drafted_discussion(context),
    }
    parts = {}
    for part, label in PARTS.items():
        written = getattr(saved, part) if saved else ""
        against = saved.drafted.get(part, "") if saved else ""
        parts[part] = {
            "label": label,
            "drafted": drafted[part],
            "written": bool(written),
            "paragraphs": paragraphs(written or drafted[part]),
            "stale": bool(written) and not same_text(against, drafted[part]),
            "against": against,
        }
    return {**context, "parts": parts}
