"""What the memo text page shows (templates/memo/text.html): each part's drafted text beside
the facilitator's, whether that is stale, and the words of an earlier round, offered as a
starting point but never used by this round's memo."""
from ..models import Workshop
from .content import memo_context
from .forms import MemoTextForm
from .texts import earlier_texts, texts_for


def text_page(workshop: Workshop, data=None) -> dict:
    """The page's context, with the form bound to `data` (a POST) or filled from what is
    saved: a part's written text, else its drafted one."""
    context = memo_context(workshop)  # ScoringError while the workshop cannot be compared
    parts, round = context["parts"], context["result"]["settings"]["round"]
    saved = texts_for(workshop, round)
    locked = workshop.status == Workshop.Status.LOCKED
    initial = {"round": round, "recommended": saved.recommended.code
               if saved and saved.recommended else ""}
    initial.update((part, getattr(saved, part) if saved and getattr(saved, part)
                    else values["drafted"]) for part, values in parts.items())
    form = MemoTextForm(
        data, initial=initial, workshop=workshop, locked=locked, winner=context["winner"],
        drafted={part: values["drafted"] for part, values in parts.items()},
    )
    return {
        "workshop": workshop, "form": form, "round": round, "locked": locked,
        "rows": [{"name": part, "field": form[part], "part": values}
                 for part, values in parts.items()],
        "saved": saved, "earlier": earlier_texts(workshop, round),
        "differs": context["recommendations"][0]["differs"] if context["recommendations"] else "",
    }


def drafted_for(workshop: Workshop, recommended) -> dict[str, str]:
    """Each part's drafted text once the team names `recommended` (the drafted bottom line
    says so): what a part written in the same save replaces."""
    parts = memo_context(workshop, recommended=recommended)["parts"]
    return {part: values["drafted"] for part, values in parts.items()}
