"""Paced mode's moves (actions.pace): where each leaves the workshop, its history line, its
refusals; and the current item's count of answers."""
import pytest

from policy.models import HistoryEntry, Membership, Workshop
from policy.workshops import actions, paced
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return make_workshop(make_case(options=2, criteria=3), analysts=3)


def on(workshop) -> str | None:
    workshop.refresh_from_db()
    return workshop.paced_criterion.code if workshop.paced_criterion else None


def test_moves_walk_the_criteria_in_order_and_each_writes_history(workshop):
    fac = workshop.created_by
    revision = workshop.revision
    actions.pace(workshop.pk, "start", by=fac)
    assert on(workshop) == "C1" and workshop.paced_revealed is False
    actions.pace(workshop.pk, "reveal", by=fac)
    assert on(workshop) == "C1" and workshop.paced_revealed is True
    actions.pace(workshop.pk, "next", by=fac)
    assert on(workshop) == "C2" and workshop.paced_revealed is False  # hidden again
    actions.pace(workshop.pk, "next", by=fac)
    actions.pace(workshop.pk, "previous", by=fac)
    assert on(workshop) == "C2"
    actions.pace(workshop.pk, "end", by=fac)
    assert on(workshop) is None
    assert workshop.revision == revision + 6  # every open page learns of each
    lines = list(HistoryEntry.objects.filter(workshop=workshop).order_by("id")
                 .values_list("kind", "note", "user__username"))
    assert lines == [
        ("paced_start", "C1", "fac"), ("paced_reveal", "C1", "fac"),
        ("paced_move", "C1 → C2", "fac"), ("paced_move", "C2 → C3", "fac"),
        ("paced_move", "C3 → C2", "fac"), ("paced_end", "C2", "fac"),
    ]


@pytest.mark.parametrize("setup, move, reason", [
    ([], "next", "Paced mode is not on."),
    ([], "reveal", "Paced mode is not on."),
    ([], "end", "Paced mode is not on."),
    (["start"], "start", "Paced mode is already on."),
    (["start"], "previous", "This is the first item."),
    (["start", "next", "next"], "next", "This is the last item"),
    (["start", "reveal"], "reveal", "already shown"),
])
def test_moves_that_make_no_sense_are_refused_and_change_nothing(workshop, setup, move, reason):
    for step in setup:
        actions.pace(workshop.pk, step)
    workshop.refresh_from_db()
    before = (workshop.paced_criterion_id, workshop.paced_revealed, workshop.revision,
              HistoryEntry.objects.count())
    with pytest.raises(actions.ActionRefused, match=reason):
        actions.pace(workshop.pk, move)
    workshop.refresh_from_db()
    assert (workshop.paced_criterion_id, workshop.paced_revealed, workshop.revision,
            HistoryEntry.objects.count()) == before


@pytest.mark.parametrize("status, reason", [
    (Workshop.Status.DRAFT, "needs scoring open"),
    (Workshop.Status.CLOSED, "needs scoring open"),
    (Workshop.Status.LOCKED, "locked"),
])
def test_paced_mode_needs_scoring_open(workshop, status, reason):
    Workshop.objects.filter(pk=workshop.pk).update(status=status)
    with pytest.raises(actions.ActionRefused, match=reason):
        actions.pace(workshop.pk, "start")
    assert on(workshop) is None


def test_a_closed_workshop_can_only_end_paced_mode(workshop):
    actions.pace(workshop.pk, "start")
    actions.set_status(workshop.pk, Workshop.Status.CLOSED)
    for move in ("next", "reveal"):
        with pytest.raises(actions.ActionRefused, match="Scoring is not open"):
            actions.pace(workshop.pk, move)
    actions.pace(workshop.pk, "end")
    assert on(workshop) is None


def test_locking_ends_paced_mode_and_a_new_round_hides_the_item_again(workshop):
    score(workshop, "ana1", "O1", "C1", 5)
    actions.pace(workshop.pk, "start")
    actions.pace(workshop.pk, "reveal")
    actions.start_next_round(workshop.pk)
    workshop.refresh_from_db()
    assert (on(workshop), workshop.paced_revealed) == ("C1", False)
    actions.set_status(workshop.pk, Workshop.Status.LOCKED)
    workshop.refresh_from_db()
    assert (workshop.paced_criterion_id, workshop.paced_revealed) == (None, False)


def test_an_unknown_move_is_refused_without_echoing_it(workshop):
    with pytest.raises(actions.ActionRefused) as refused:
        actions.pace(workshop.pk, "x" * 1000)
    assert len(str(refused.value)) < 100


def test_the_count_is_of_analysts_who_scored_every_option_on_the_item(workshop):
    actions.pace(workshop.pk, "start")
    workshop.refresh_from_db()
    score(workshop, "ana1", "O1", "C1", 5)
    score(workshop, "ana1", "O2", "C1", 6)  # ana1: both options, answered
    score(workshop, "ana2", "O1", "C1", 7)  # ana2: one of two
    score(workshop, "ana3", "O1", "C2", 7)  # another item
    score(workshop, "ana3", "O2", "C2", 7)
    score(workshop, "ana3", "O1", "C1", 1, round=2)  # another round
    score(workshop, "ana3", "O2", "C1", 1, round=2)
    # Someone made an observer after scoring is no analyst of the count.
    obs = make_user("obs")
    Membership.objects.create(workshop=workshop, user=obs, role=Membership.Role.OBSERVER)
    ids = list(workshop.memberships.filter(role="analyst").values_list("user_id", flat=True))
    item = paced.current_item(workshop, ids)
    assert (item.criterion.code, item.number, item.of) == ("C1", 1, 3)
    assert (item.answered, item.analysts, item.revealed) == (1, 3, False)
    assert sorted(value for _, _, value, _ in item.answers) == [5, 6, 7]


def test_no_item_outside_paced_mode(workshop):
    assert paced.current_item(workshop, []) is None


def test_offered_moves_follow_the_refusals(workshop):
    assert paced.offered(workshop, None) == [("start", "Run item by item")]
    actions.pace(workshop.pk, "start")
    workshop.refresh_from_db()
    item = paced.current_item(workshop, [])
    assert [move for move, _ in paced.offered(workshop, item)] == ["reveal", "next", "end"]
    actions.pace(workshop.pk, "next")
    actions.pace(workshop.pk, "next")
    actions.pace(workshop.pk, "reveal")
    workshop.refresh_from_db()
    item = paced.current_item(workshop, [])
    assert [move for move, _ in paced.offered(workshop, item)] == ["previous", "end"]


def test_deleting_the_current_item_from_the_case_ends_paced_mode(workshop):
    actions.pace(workshop.pk, "start")
    workshop.refresh_from_db()
    revision = workshop.revision
    workshop.case.criteria.get(code="C1").delete()
    workshop.refresh_from_db()
    assert workshop.paced_criterion_id is None  # every page reloads onto the grid
    assert workshop.revision > revision
