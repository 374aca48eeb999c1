"""Paced mode: the facilitator runs the workshop item by item. The item is a criterion, its
options side by side; everyone's workshop page shows it (a late joiner lands on it), analysts
answer into the same scores as the grid, and the facilitator reveals that item's answers to
the room before moving on. The state is two workshop fields (`paced_criterion`,
`paced_revealed`) that the poll reads like any other: no process keeps it.

Here: what each move does and when it is refused (actions.pace takes it), and what the
pages show of the current item.
"""
from dataclasses import dataclass
from statistics import median

import numpy as np
from django.utils.safestring import mark_safe

from ..charts.dots import DotRow, dot_plot
from ..models import Criterion, HistoryEntry, Option, Score, Workshop
from .frames import analyst_labels

Kind = HistoryEntry.Kind
Status = Workshop.Status

# move -> (the history's kind, the button's label, said once taken)
MOVES = {
    "start": (Kind.PACED_START, "Run item by item", "Paced mode: everyone is on the first item."),
    "previous": (Kind.PACED_MOVE, "Previous item", "Everyone is on the previous item."),
    "reveal": (Kind.PACED_REVEAL, "Reveal this item's answers", "The item's answers are shown to "
               "the team."),
    "next": (Kind.PACED_MOVE, "Next item", "Everyone is on the next item."),
    "end": (Kind.PACED_END, "Back to the open grid", "Paced mode has ended: analysts see the "
            "whole grid again."),
}


def refusal(move: str, workshop: Workshop, number: int | None, of: int | None) -> str | None:
    """Why the move makes no sense now (for the user), or None. `number`: the current item's
    place among the criteria, from 1 (None outside paced mode); `of`: how many criteria
    there are (None where the page does not count them: the action does)."""
    if workshop.status == Status.LOCKED:
        return "The workshop is locked: unlock it first."
    if move == "start":
        if workshop.paced_criterion_id is not None:
            return "Paced mode is already on."
        if workshop.status != Status.OPEN:
            return "Paced mode needs scoring open: open scoring first."
        return "The case has no criteria." if of == 0 else None
    if workshop.paced_criterion_id is None:
        return "Paced mode is not on."
    if move == "end":
        return None
    if workshop.status != Status.OPEN:
        return "Scoring is not open: open it again, or end paced mode."
    if move == "previous" and number == 1:
        return "This is the first item."
    if move == "next" and number == of:
        return "This is the last item: end paced mode to go back to the grid."
    if move == "reveal" and workshop.paced_revealed:
        return "This item's answers are already shown."
    return None


def target(move: str, number: int | None, criterion_ids: list[int]) -> int | None:
    """The criterion the workshop is on after a move that refusal() allowed (None: the grid)."""
    if move == "start":
        return criterion_ids[0]
    if move == "end":
        return None
    return criterion_ids[number - 1 + {"next": 1, "previous": -1}[move]]


def offered(workshop: Workshop, item: "Item | None") -> list[tuple[str, str]]:
    """(move, label) of the moves that make sense now, in the order the page shows them."""
    number, of = (item.number, item.of) if item else (None, None)
    return [(move, label) for move, (_, label, _) in MOVES.items()
            if refusal(move, workshop, number, of) is None]


# -- What the pages show -------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    criterion: Criterion
    number: int  # its place among the criteria, from 1
    of: int  # how many criteria
    answered: int  # analysts who have scored every option on it this round
    analysts: int
    revealed: bool  # shown to the team by the facilitator
    options: list[Option]
    answers: list[tuple]  # this round's (analyst id, option id, value, rationale) on it


def current_item(workshop: Workshop, analyst_ids: list[int]) -> Item | None:
    """The current item with its answers this round, or None outside paced mode.
    `analyst_ids`: the workshop's analysts, as progress read them. Three queries: the
    criteria, the options, the item's scores."""
    if workshop.paced_criterion_id is None:
        return None
    criteria = list(workshop.case.criteria.select_related("principle", "risk", "actor"))
    # Always among them: deleting a criterion sets its workshops' paced_criterion to null.
    at = [c.pk for c in criteria].index(workshop.paced_criterion_id)
    options = list(workshop.case.options.all())
    answers = list(Score.objects.filter(
        workshop=workshop, round=workshop.round, criterion_id=workshop.paced_criterion_id,
    ).values_list("analyst_id", "option_id", "value", "rationale"))
    counts: dict[int, int] = {}
    for analyst_id, *_ in answers:
        counts[analyst_id] = counts.get(analyst_id, 0) + 1
    answered = sum(1 for uid in analyst_ids if options and counts.get(uid, 0) >= len(options))
    return Item(criteria[at], at + 1, len(criteria), answered, len(analyst_ids),
                workshop.paced_revealed, options, answers)


def distribution(item: Item, **layout) -> str:
    """The item's dot plot: a row per option, a dot per answer, the median marked. No names.
    `layout`: dot_plot's width, font and label_w."""
    criterion = item.criterion
    values: dict[int, list[float]] = {}
    for _, option_id, value, _ in item.answers:
        values.setdefault(option_id, []).append(value)
    rows = [
        DotRow(f"{option.code} {option.title}", values.get(option.pk, []),
               median(values[option.pk]) if option.pk in values else None)
        for option in item.options
    ]
    direction = ", lower is better" if criterion.direction == Criterion.Direction.COST else ""
    title = (f"Answers on {criterion.code} {criterion.title} "
             f"({criterion.scale_min} to {criterion.scale_max}{direction}): a dot per answer, "
             "the line the median")
    # dot_plot escapes every text it draws
    return mark_safe(dot_plot(rows, low=criterion.scale_min, high=criterion.scale_max,
                              title=title, **layout))


def reasons(workshop: Workshop, item: Item) -> list[dict]:
    """Each option's answers with their reasons, lowest first, each analyst labelled as the
    results label them (A1, A2... in an anonymous workshop): for the team once revealed."""
    labels = analyst_labels(workshop, np.array([uid for uid, *_ in item.answers], dtype=int))
    by_option: dict[int, list] = {}
    for analyst_id, option_id, value, text in item.answers:
        by_option.setdefault(option_id, []).append(
            (value, labels.get(analyst_id, str(analyst_id)), text.strip()))
    return [{"option": option, "said": sorted(by_option[option.pk])}
            for option in item.options if option.pk in by_option]
