"""The scoring grid of one analyst: criteria as rows, options as columns, a cell per pair (the
view by criterion), or its transpose, options as rows (the view by option)."""
from dataclasses import dataclass

from ..models import Criterion, Option, Score, Workshop
from .rounds import CellRound, feedback_cells


@dataclass
class Cell:
    option: Option
    criterion: Criterion
    value: float | None = None
    rationale: str = ""
    error: str = ""
    saved: bool = False
    entered: str | None = None  # what the user typed, re-shown when a save is refused
    previous: "CellRound | None" = None  # the last round's spread and reasons, from round 2
    carried_from: int | None = None  # the round this value was copied from, until saved again

    @property
    def value_text(self) -> str:
        if self.entered is not None:
            return self.entered
        if self.value is None:
            return ""
        return f"{self.value:g}"

    @property
    def dom_id(self) -> str:
        return f"{self.option.pk}-{self.criterion.pk}"

    @property
    def anchor(self) -> str:
        """The scale's wording for the current value, where the case defines one."""
        if self.value is None or self.value != int(self.value):
            return ""
        return self.criterion.anchor_for(int(self.value))


@dataclass
class GridRow:
    criterion: Criterion
    cells: list[Cell]


@dataclass
class OptionRow:
    option: Option
    cells: list[Cell]


VIEWS = ("criterion", "option")
PACED = "paced"  # the current paced item alone (policy/workshops/paced.py)


def grid_view(asked: str | None, paced: bool = False) -> str:
    """The page's view from ?view=: the grid by criterion or by option when asked for; else
    the current item in paced mode (so a late joiner lands on it), or the grid by criterion."""
    if asked in VIEWS:
        return asked
    return PACED if paced else VIEWS[0]


def view_query(view: str, paced: bool) -> str:
    """The query that comes back to `view`: none for the page's default view."""
    return "" if view == grid_view(None, paced) else f"?view={view}"


def by_option(options: list[Option], rows: list[GridRow]) -> list[OptionRow]:
    """The same cells, one row per option and one column per criterion."""
    return [OptionRow(option, [row.cells[i] for row in rows]) for i, option in enumerate(options)]


def analyst_grid(workshop: Workshop, analyst, overrides: dict | None = None) -> tuple[list, list]:
    """(options, rows) for the analyst's current round; `overrides` maps (option_id,
    criterion_id) to a Cell to show instead (a refused save, re-shown with its text)."""
    options = list(workshop.case.options.all())
    criteria = list(workshop.case.criteria.select_related("principle", "risk", "actor"))
    scores = {
        (s.option_id, s.criterion_id): s
        for s in Score.objects.filter(workshop=workshop, round=workshop.round, analyst=analyst)
    }
    overrides = overrides or {}
    previous = feedback_cells(workshop, workshop.round - 1) if workshop.round > 1 else {}
    rows = []
    for criterion in criteria:
        cells = []
        for option in options:
            key = (option.pk, criterion.pk)
            if key in overrides:
                cell = overrides[key]
            else:
                score = scores.get(key)
                cell = (Cell(option, criterion, score.value, score.rationale,
                             carried_from=score.carried_from)
                        if score else Cell(option, criterion))
            cell.previous = previous.get(key)
            cells.append(cell)
        rows.append(GridRow(criterion, cells))
    return options, rows


def cell_count(workshop: Workshop) -> int:
    return workshop.case.options.count() * workshop.case.criteria.count()
