"""Rounds: what analysts see of the last round while revising, and how far the team converged."""
from dataclasses import dataclass, field

from ..models import Score, Workshop
from ..scoring import value_spreads


@dataclass
class CellRound:
    """One cell's scores in one round: the spread, and the reasons given (no names)."""

    n: int
    median: float | None
    iqr: float | None
    reasons: list[tuple[float, str]] = field(default_factory=list)


def round_cells(workshop: Workshop, round: int) -> dict[tuple[int, int], CellRound]:
    """Every scored cell of a round, keyed by (option_id, criterion_id). One query."""
    grouped: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for option_id, criterion_id, value, rationale in Score.objects.filter(
        workshop=workshop, round=round
    ).values_list("option_id", "criterion_id", "value", "rationale"):
        grouped.setdefault((option_id, criterion_id), []).append((value, rationale))
    spreads = value_spreads([[v for v, _ in pairs] for pairs in grouped.values()])
    return {
        key: CellRound(**spread, reasons=sorted(pairs))
        for (key, pairs), spread in zip(grouped.items(), spreads)
    }


# Delphi feedback is anonymous only in numbers: with one or two others in a cell, an analyst
# could read a colleague's exact score and words beside their own. So the last round's spread
# and reasons are shown only for cells at least this many analysts scored.
FEEDBACK_MIN_ANALYSTS = 3


def feedback_cells(workshop: Workshop, round: int) -> dict[tuple[int, int], CellRound]:
    """The cells of a round whose spread and reasons analysts may see while revising: those
    scored by at least FEEDBACK_MIN_ANALYSTS analysts (revealed or not, named nowhere)."""
    return {key: cell for key, cell in round_cells(workshop, round).items()
            if cell.n >= FEEDBACK_MIN_ANALYSTS}


@dataclass
class Convergence:
    option: str
    criterion: str
    iqr_before: float
    iqr_now: float

    @property
    def change(self) -> float:
        return self.iqr_now - self.iqr_before


def convergence(workshop: Workshop) -> list[Convergence]:
    """Per cell scored in both the last round and this one, the IQR then and now; the
    cells that moved most first."""
    if workshop.round < 2:
        return []
    before = round_cells(workshop, workshop.round - 1)
    now = round_cells(workshop, workshop.round)
    options = dict(workshop.case.options.values_list("id", "code"))
    criteria = dict(workshop.case.criteria.values_list("id", "code"))
    cells = [
        Convergence(options[o], criteria[c], before[(o, c)].iqr, now[(o, c)].iqr)
        for (o, c) in now.keys() & before.keys()
    ]
    return sorted(cells, key=lambda cell: (cell.change, cell.option, cell.criterion))
