"""The facilitator's steps that others see or that are hard to undo: what each does, in the
words shown before it is taken, and when it makes sense. The actions (actions.py) refuse a
step for the same reasons the workshop page stops offering it."""
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from ..models import Workshop
from .rounds import FEEDBACK_MIN_ANALYSTS

Status = Workshop.Status


@dataclass(frozen=True)
class Step:
    name: str  # also the history's kind (HistoryEntry.Kind)
    label: str  # the button, on the workshop page and on the confirmation page
    url_name: str
    fields: tuple[tuple[str, str], ...]  # what the confirmation form posts
    style: str
    done: str  # said once taken

    @property
    def query(self) -> str:
        """The confirmation page's query string: the same fields its form posts."""
        return urlencode(self.fields)


STEPS = {step.name: step for step in [
    Step("open", "Open scoring", "workshop_status", (("status", "open"),), "",
         "Scoring is open."),
    Step("close", "Close scoring", "workshop_status", (("status", "closed"),), "button-secondary",
         "Scoring is closed."),
    Step("reveal", "Reveal scores to the team", "workshop_reveal", (("revealed", "1"),),
         "button-secondary", "The group's scores are revealed to the team."),
    Step("hide", "Hide scores again", "workshop_reveal", (("revealed", "0"),), "button-secondary",
         "Scores are hidden again."),
    Step("round", "Start the next round", "workshop_round", (), "button-secondary",
         "A new round has started from each analyst's last scores."),
    Step("lock", "Lock the workshop", "workshop_status", (("status", "locked"),), "button-danger",
         "The workshop is locked: nothing in it can change now, and every member can read "
         "the results and the memo."),
    Step("unlock", "Unlock the workshop", "workshop_status", (("status", "closed"),),
         "button-secondary", "The workshop is unlocked; scoring stays closed until you open it."),
]}
NEED_SCORES = {"reveal", "round", "lock"}


def for_status(current: str, wanted: str) -> str | None:
    """The step that moves a workshop from one status to another; None if there is none."""
    if wanted == Status.OPEN:
        return "open"
    if wanted == Status.CLOSED:
        return "unlock" if current == Status.LOCKED else "close"
    if wanted == Status.LOCKED:
        return "lock"
    return None


def refusal(name: str, workshop: Workshop, has_scores: bool) -> str | None:
    """Why the step makes no sense now (for the user), or None. `has_scores`: whether the
    workshop's current round has any score (only read for the steps in NEED_SCORES)."""
    status = workshop.status
    if name == "unlock":
        return None if status == Status.LOCKED else "The workshop is not locked."
    if status == Status.LOCKED:
        return "The workshop is locked: unlock it first."
    if name == "open":
        return "Scoring is already open." if status == Status.OPEN else None
    if name == "close":
        return None if status == Status.OPEN else "Scoring is not open."
    if name == "hide":
        return None if workshop.revealed else "The scores are not revealed."
    if name == "reveal" and not workshop.hide_scores:
        return "This workshop does not hide scores: the team sees them already."
    if name == "reveal" and workshop.revealed:
        return "The scores are already revealed."
    if name in NEED_SCORES and not has_scores:
        return f"Round {workshop.round} has no scores yet."
    return None


def why_not(name: str, workshop: Workshop) -> str | None:
    """refusal(), reading whether the round has scores only for the steps that need them."""
    has_scores = name in NEED_SCORES and workshop.scores.filter(round=workshop.round).exists()
    return refusal(name, workshop, has_scores)


def offered(workshop: Workshop, has_scores: bool) -> list[Step]:
    """The steps that make sense now, in the order the page shows them, labelled for it."""
    return [
        replace(step, label=label(step, workshop))
        for name, step in STEPS.items() if refusal(name, workshop, has_scores) is None
    ]


def label(step: Step, workshop: Workshop) -> str:
    if step.name == "round":
        return f"Start round {workshop.round + 1}"
    if step.name == "open" and workshop.status == Status.CLOSED:
        return "Reopen scoring"
    return step.label


def explanation(name: str, workshop: Workshop) -> list[str]:
    """What will happen, in a few sentences, for the confirmation page."""
    n = workshop.round
    names = "yes" if workshop.anonymous else "no"
    return {
        "open": [
            f"Analysts can score round {n} (and change their scores) until you close scoring.",
            "They see only their own scores until you reveal."
            if workshop.hide_scores and not workshop.revealed else
            "They see the group's scores as they come in.",
        ],
        "close": [
            f"No analyst can save or change a round-{n} score until you open scoring again.",
            "The scores given so far are kept.",
        ],
        "reveal": [
            f"Reveal shows every analyst's round-{n} scores and reasons, and the group results, "
            f"to the team (names hidden: {names}).",
            "You can hide them again; what the team has seen, it has seen.",
        ],
        "hide": [
            "Analysts and observers see only their own scores again, and not the group results.",
        ],
        "round": [
            f"Round {n + 1} starts with scoring open; the scores are hidden from the team again "
            "until you reveal." if workshop.hide_scores else f"Round {n + 1} starts with "
            "scoring open.",
            f"Round {n}'s scores are kept as they are, and each analyst starts round {n + 1} "
            "from their own, carried forward: they change only what they want to revise.",
            f"Beside each cell that at least {FEEDBACK_MIN_ANALYSTS} analysts scored, every "
            f"analyst sees the group's round-{n} median, spread and reasons, without names"
            + ("" if workshop.revealed or not workshop.hide_scores else
               f", although you have not revealed round {n}") + ".",
        ],
        "lock": [
            "Nothing in the workshop can change: no score, weight, round or setting.",
            "The results and the memo are kept as they are now, whatever later happens to the "
            "case: an edited criterion or a new option changes neither.",
            "Every member (analysts and observers too) can read the results and download the memo.",
            "You can unlock it later; locking and unlocking are recorded in the history.",
            *(["Paced mode ends: everyone's page shows the whole grid again."]
              if workshop.paced_criterion_id else []),
        ],
        "unlock": [
            "The workshop becomes closed: you can then reopen scoring, change weights or start "
            "a round, and the locked result can change.",
            "Members who are not facilitators keep seeing the results only if the scores are "
            "revealed.",
        ],
    }[name]
