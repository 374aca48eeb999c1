"""Round 2: analysts see the last round's spread and reasons; the results show convergence."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.workshops import actions
from policy.models import Workshop
from policy.workshops.rounds import convergence, round_cells
from tests.factories import make_case, make_workshop, revise, score

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=2, criteria=1), analysts=3)
    for analyst, value in (("ana1", 2), ("ana2", 6), ("ana3", 9)):
        score(ws, analyst, "O1", "C1", value, f"{analyst} first thoughts")
    return ws


def test_round_cells_gives_spread_and_reasons(workshop):
    cell = round_cells(workshop, 1)[(workshop.case.options.get(code="O1").pk,
                                     workshop.case.criteria.get(code="C1").pk)]
    # type 7 quartiles of 2, 6, 9: q1 = 4, q3 = 7.5
    assert (cell.n, cell.median, cell.iqr) == (3, 6.0, 3.5)
    assert cell.reasons == [(2.0, "ana1 first thoughts"), (6.0, "ana2 first thoughts"),
                            (9.0, "ana3 first thoughts")]


def test_round_two_grid_shows_last_rounds_spread_and_reasons_without_names(client, workshop):
    actions.start_next_round(workshop.pk)
    client.force_login(User.objects.get(username="ana1"))
    body = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    assert "Round 1: median 6, IQR 3.5 (3)" in body
    assert "ana3 first thoughts" in body
    assert "Your scores, round 2" in body


def test_convergence_lists_iqr_before_and_now(workshop):
    actions.start_next_round(workshop.pk)
    workshop.refresh_from_db()
    for analyst, value in (("ana1", 5), ("ana2", 6), ("ana3", 7)):
        revise(workshop, analyst, "O1", "C1", value, "revised")
    [cell] = convergence(workshop)
    assert (cell.option, cell.criterion, cell.iqr_before, cell.iqr_now) == ("O1", "C1", 3.5, 1.0)
    assert cell.change == -2.5


def test_start_next_round_needs_scores_and_resets_reveal(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    actions.start_next_round(workshop.pk)
    workshop.refresh_from_db()
    assert (workshop.round, workshop.status, workshop.revealed) == (2, "open", False)
    empty = make_workshop(make_case("empty"), analysts=1)
    with pytest.raises(actions.ActionRefused, match="Round 1 has no scores yet"):
        actions.start_next_round(empty.pk)


def test_results_page_shows_convergence_in_round_two(client, workshop):
    actions.start_next_round(workshop.pk)
    workshop.refresh_from_db()
    revise(workshop, "ana1", "O1", "C1", 6, "revised")
    revise(workshop, "ana2", "O1", "C1", 6, "revised")
    client.force_login(User.objects.get(username="fac"))
    body = client.get(reverse("workshop_results", args=[workshop.pk])).content.decode()
    assert "Convergence since round 1" in body
    # ana3's 9 is carried forward: round 2 is 6, 6, 9 (IQR 1.5), not the two revised scores.
    assert '<td class="num">3.50</td><td class="num">1.50</td><td class="num">-2</td>' in body
