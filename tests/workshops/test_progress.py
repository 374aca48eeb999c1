"""Who has scored how much (policy/workshops/progress.py): each analyst's count of scored
cells in the current round, in joining order, in two queries."""
import pytest

from policy.models import Membership, Workshop
from policy.workshops.progress import (
    AnalystProgress,
    progress_of,
    scored_cells,
    workshop_progress,
)
from tests.factories import User, make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=3, criteria=2), analysts=3)
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    for option, criterion in [("O1", "C1"), ("O1", "C2"), ("O2", "C1")]:
        score(ws, "ana2", option, criterion, 5)
    score(ws, "ana1", "O3", "C2", 4)
    score(ws, "fac", "O1", "C1", 9)  # the facilitator is not an analyst: not counted
    return ws


def counts(progress: list[AnalystProgress]) -> list[tuple]:
    return [(p.username, p.scored, p.total, p.percent) for p in progress]


def test_each_analyst_in_joining_order_with_their_count(workshop, django_assert_num_queries):
    with django_assert_num_queries(2):
        progress = workshop_progress(workshop, cells=6)
    assert counts(progress) == [("ana1", 1, 6, 17), ("ana2", 3, 6, 50), ("ana3", 0, 6, 0)]


def test_only_the_current_round_counts(workshop):
    score(workshop, "ana3", "O1", "C1", 7, round=2)
    Workshop.objects.filter(pk=workshop.pk).update(round=2)
    workshop.refresh_from_db()
    assert counts(workshop_progress(workshop, cells=6)) == [
        ("ana1", 0, 6, 0), ("ana2", 0, 6, 0), ("ana3", 1, 6, 17),
    ]


def test_one_analysts_count_and_finding_it_by_user_id(workshop):
    ana2 = User.objects.get(username="ana2")
    assert scored_cells(workshop.pk, 1, ana2) == 3
    mine = AnalystProgress(ana2.pk, "ana2", 3, 6)
    progress = workshop_progress(workshop, cells=6)
    assert progress_of(progress, ana2.pk) == mine
    assert progress_of(progress, User.objects.get(username="obs").pk) is None


def test_a_case_without_cells_is_zero_percent():
    assert AnalystProgress(1, "ana1", 0, 0).percent == 0
