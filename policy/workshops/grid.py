"""The scoring grid of one analyst: criteria as rows, options as columns, a cell per pair (the
view by criterion), or its transpose, options as rows (the view by option)."""
from dataclasses import dataclass
from functools import cache

from django.template.defaultfilters import floatformat
from django.urls import reverse

from ..models import Criterion, Option, Score, Workshop
from .rounds import feedback_cells


@dataclass
class Feedback:
    """The last round's spread and reasons in a cell (rounds.CellRound), in the page's
    words: each number as floatformat:"-1" prints it, a reason (or none) beside its value."""
    round: int
    n: int
    median: str
    iqr: str
    reasons: list[tuple[str, str]]


@dataclass
class Cell:
    option: Option
    criterion: Criterion
    value: float | None = None
    rationale: str = ""
    error: str = ""
    saved: bool = False
    entered: str | None = None  # what the user typed, re-shown when a save is refused
    previous: Feedback | None = None  # the last round's spread and reasons, from round 2
    carried_from: int | None = None  # the round this value was copied from, until saved again
    # The form's parts (policy/workshops/cell_html.py), set by analyst_grid once per page or
    # per criterion rather than worked out for each cell.
    save_url: str = ""
    scale_words: str = ""  # the criterion's scale in the cell's label, "0 to 10, lower is better"
    scale_ids: str = ""  # the ids of the scale and its wording, "scale-5 anchors-5"

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


# Placeholders for the ids in a score_cell URL reversed once per page; no table reaches them.
OPTION_MARK, CRITERION_MARK = "9000000000000000001", "9000000000000000002"


def cell_url_maker(workshop: Workshop):
    """(option id, criterion id) -> the URL a cell of the workshop saves to (view score_cell)."""
    url = reverse("score_cell", args=[workshop.pk, OPTION_MARK, CRITERION_MARK])
    head, rest = url.split(OPTION_MARK)
    middle, tail = rest.split(CRITERION_MARK)
    return lambda option_id, criterion_id: f"{head}{option_id}{middle}{criterion_id}{tail}"


def scale_parts(criterion: Criterion) -> tuple[str, str]:
    """(scale_words, scale_ids) of the criterion's cells (Cell)."""
    words = f"{criterion.scale_min} to {criterion.scale_max}"
    if criterion.direction == Criterion.Direction.COST:
        words += ", lower is better"
    ids = f"scale-{criterion.pk}"
    if criterion.anchors:
        ids += f" anchors-{criterion.pk}"
    return words, ids


def feedback(workshop: Workshop) -> dict[tuple[int, int], Feedback]:
    """The last round's Feedback per cell (none in round 1). Each distinct number is formatted
    once: floatformat is slow, and a round's values repeat (the scale's few levels)."""
    if workshop.round == 1:
        return {}
    last = workshop.round - 1
    number = cache(lambda value: floatformat(value, -1))
    return {
        key: Feedback(last, cell.n, number(cell.median), number(cell.iqr),
                      [(number(value), reason) for value, reason in cell.reasons])
        for key, cell in feedback_cells(workshop, last).items()
    }


def analyst_grid(workshop: Workshop, analyst, overrides: dict | None = None) -> tuple[list, list]:
    """(options, rows) for the analyst's current round; `overrides` maps (option_id,
    criterion_id) to a Cell to show instead (a refused save, re-shown with its text)."""
    options = list(workshop.case.options.all())
    criteria = list(workshop.case.criteria.select_related("principle", "risk", "actor"))
    scores = {
        (option_id, criterion_id): saved
        for option_id, criterion_id, *saved in Score.objects.filter(
            workshop=workshop, round=workshop.round, analyst=analyst
        ).values_list("option_id", "criterion_id", "value", "rationale", "carried_from")
    }
    overrides = overrides or {}
    previous = feedback(workshop)
    cell_url = cell_url_maker(workshop)
    rows = []
    for criterion in criteria:
        scale_words, scale_ids = scale_parts(criterion)
        cells = []
        for option in options:
            key = (option.pk, criterion.pk)
            if key in overrides:
                cell = overrides[key]
            else:
                value, rationale, carried_from = scores.get(key, (None, "", None))
                cell = Cell(option, criterion, value, rationale, carried_from=carried_from)
            cell.previous = previous.get(key)
            cell.save_url = cell_url(option.pk, criterion.pk)
            cell.scale_words, cell.scale_ids = scale_words, scale_ids
            cells.append(cell)
        rows.append(GridRow(criterion, cells))
    return options, rows


def cell_count(workshop: Workshop) -> int:
    return workshop.case.options.count() * workshop.case.criteria.count()
