"""The analyst's grid (policy/workshops/grid.py): a row per criterion, a cell per option, each
holding this analyst's value and reason in the current round, and from round 2 the last
round's spread."""
import pytest

from policy.models import Workshop
from policy.workshops.grid import (
    Cell, Feedback, analyst_grid, by_option, cell_count, grid_view,
)
from tests.factories import User, make_case, make_workshop, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=3, criteria=2), analysts=3)
    score(ws, "ana1", "O1", "C1", 10, "Fully, as written")
    score(ws, "ana1", "O3", "C2", 7.5, "Most of it")
    score(ws, "ana2", "O2", "C1", 2, "Not mine to see")  # another analyst's
    return ws


def table(rows) -> list[list]:
    """The grid as (option, criterion, value, rationale) per cell, row by row."""
    return [[(c.option.code, c.criterion.code, c.value, c.rationale) for c in row.cells]
            for row in rows]


def test_the_grid_holds_the_analysts_own_scores_and_blanks(workshop):
    options, rows = analyst_grid(workshop, User.objects.get(username="ana1"))
    assert [o.code for o in options] == ["O1", "O2", "O3"]
    assert [row.criterion.code for row in rows] == ["C1", "C2"]
    assert table(rows) == [
        [("O1", "C1", 10.0, "Fully, as written"), ("O2", "C1", None, ""), ("O3", "C1", None, "")],
        [("O1", "C2", None, ""), ("O2", "C2", None, ""), ("O3", "C2", 7.5, "Most of it")],
    ]
    assert all(cell.previous is None for row in rows for cell in row.cells)


def test_the_grid_reads_three_queries_whatever_its_size(workshop, django_assert_num_queries):
    ana1 = User.objects.get(username="ana1")
    with django_assert_num_queries(3):  # options, criteria with their origins, the scores
        _, rows = analyst_grid(workshop, ana1)
        [cell.criterion.principle for row in rows for cell in row.cells]


def test_an_override_replaces_its_cell_and_keeps_what_was_typed(workshop):
    ana1 = User.objects.get(username="ana1")
    o2, c1 = workshop.case.options.get(code="O2"), workshop.case.criteria.get(code="C1")
    refused = Cell(o2, c1, rationale="Too high", error="Out of scale", entered="11")
    _, rows = analyst_grid(workshop, ana1, overrides={(o2.pk, c1.pk): refused})
    cell = rows[0].cells[1]
    assert cell is refused
    assert (cell.value_text, cell.error, cell.rationale) == ("11", "Out of scale", "Too high")
    assert rows[0].cells[0].value == 10.0  # the others as saved


def test_from_round_two_each_cell_shows_the_last_rounds_spread(workshop):
    score(workshop, "ana2", "O1", "C1", 6, "Half of it")
    score(workshop, "ana3", "O1", "C1", 8, "Most of it")
    score(workshop, "ana1", "O1", "C1", 9, "Revised", round=2)
    Workshop.objects.filter(pk=workshop.pk).update(round=2)
    workshop.refresh_from_db()
    _, rows = analyst_grid(workshop, User.objects.get(username="ana1"))
    first, unscored_before = rows[0].cells[0], rows[1].cells[0]
    assert (first.value, first.rationale) == (9.0, "Revised")
    assert first.previous == Feedback(  # the numbers as the page prints them
        round=1, n=3, median="8", iqr="2",
        reasons=[("6", "Half of it"), ("8", "Most of it"), ("10", "Fully, as written")],
    )
    assert unscored_before.previous is None
    assert table(rows)[1][2] == ("O3", "C2", None, "")  # round 1's 7.5 is not this round's


def test_a_cell_says_its_value_and_the_scales_words_for_it(workshop):
    options, rows = analyst_grid(workshop, User.objects.get(username="ana1"))
    full, blank = rows[0].cells[0], rows[0].cells[1]
    half_point = rows[1].cells[2]
    assert (full.value_text, full.anchor) == ("10", "Fully")
    assert (half_point.value_text, half_point.anchor) == ("7.5", "")
    assert (blank.value_text, blank.anchor) == ("", "")
    assert full.dom_id == f"{options[0].pk}-{rows[0].criterion.pk}"


def test_cell_count_is_options_times_criteria(workshop):
    assert cell_count(workshop) == 6


def test_by_option_holds_the_same_cells_a_row_per_option(workshop):
    options, rows = analyst_grid(workshop, User.objects.get(username="ana1"))
    transposed = by_option(options, rows)
    assert [row.option.code for row in transposed] == ["O1", "O2", "O3"]
    assert table(transposed) == [
        [("O1", "C1", 10.0, "Fully, as written"), ("O1", "C2", None, "")],
        [("O2", "C1", None, ""), ("O2", "C2", None, "")],
        [("O3", "C1", None, ""), ("O3", "C2", 7.5, "Most of it")],
    ]
    assert transposed[2].cells[1] is rows[1].cells[2]  # the very same cell, not a copy


@pytest.mark.parametrize("asked, view", [
    ("option", "option"), ("criterion", "criterion"), (None, "criterion"), ("OPTION", "criterion"),
    ("<script>", "criterion"),
])
def test_the_grid_view_is_one_of_two(asked, view):
    assert grid_view(asked) == view
