"""`manage.py demo_workshop`: synthetic analysts, deterministic for a seed."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from policy.workshops.frames import workshop_frames
from policy.models import Membership, Score, Workshop
from policy.scoring import cell_spread, problem_from_frames
from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db


def demo(*args) -> Workshop:
    out = StringIO()
    call_command("demo_workshop", *map(str, args), stdout=out)
    return Workshop.objects.get(pk=int(out.getvalue().strip()))


def scores_of(workshop):
    return list(
        Score.objects.filter(workshop=workshop)
        .order_by("analyst__username", "option__code", "criterion__code")
        .values_list("analyst__username", "option__code", "criterion__code", "value", "rationale")
    )


def test_same_seed_same_workshop_other_seed_other_scores():
    make_case("demo-case", options=6, criteria=8)
    first = demo("demo-case", "--analysts", 5, "--seed", 3)
    again = demo("demo-case", "--analysts", 5, "--seed", 3)
    other = demo("demo-case", "--analysts", 5, "--seed", 4)
    assert first.pk != again.pk
    assert scores_of(first) == scores_of(again)
    assert [s[3] for s in scores_of(first)] != [s[3] for s in scores_of(other)]


def test_analysts_members_and_values_on_scale():
    make_case("demo-case", options=6, criteria=8)
    workshop = demo("demo-case", "--analysts", 4, "--seed", 1)
    analysts = Membership.objects.filter(workshop=workshop, role="analyst")
    assert sorted(analysts.values_list("user__username", flat=True)) == [
        "analyst-01",
        "analyst-02",
        "analyst-03",
        "analyst-04",
    ]
    assert not get_user_model().objects.get(username="analyst-01").has_usable_password()
    facilitator = Membership.objects.get(workshop=workshop, role="facilitator").user
    assert facilitator.username == "demo-facilitator" and not facilitator.has_usable_password()
    values = [s[3] for s in scores_of(workshop)]
    assert len(values) == 4 * 6 * 8 and min(values) >= 0 and max(values) <= 10
    assert all(v == int(v) for v in values)
    assert all(s[4] for s in scores_of(workshop))  # every score has a rationale


def test_existing_demo_account_facilitates():
    make_case("demo-case")
    make_user("demo")
    workshop = demo("demo-case", "--analysts", 2, "--seed", 0)
    assert Membership.objects.get(workshop=workshop, role="facilitator").user.username == "demo"


def test_some_cells_agree_and_some_are_contested():
    make_case("demo-case", options=8, criteria=10)
    workshop = demo("demo-case", "--analysts", 12, "--seed", 2, "--contested", 0.15)
    spread = cell_spread(problem_from_frames(workshop_frames(workshop)).cube)
    share = spread["contested"].mean()
    assert 0.05 < share < 0.5
    assert (spread["iqr"] <= 1).mean() > 0.5


def test_missing_leaves_partial_completeness():
    make_case("demo-case", options=6, criteria=8)
    workshop = demo("demo-case", "--analysts", 5, "--seed", 1, "--missing", 0.2)
    present = len(scores_of(workshop)) / (5 * 6 * 8)
    assert 0.7 < present < 0.9


def test_unknown_case_is_an_error():
    with pytest.raises(CommandError, match="No case"):
        demo("nope", "--analysts", 2)
