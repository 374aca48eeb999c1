"""The adapter: a workshop's rows as the engine's DataFrames, in a fixed number of queries."""

import math

import pytest
from django.contrib.auth import get_user_model

import numpy as np

from policy.workshops.frames import analyst_labels, workshop_frames
from policy.models import Criterion, Membership, Risk, Weight
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    case = make_case(options=3, criteria=2)
    risk = Risk.objects.create(case=case, code="R1", title="Risk", likelihood=2, impact=3)
    Criterion.objects.filter(case=case, code="C2").update(
        direction="cost",
        scale_min=1,
        scale_max=5,
        red_line_threshold=4,
        risk=risk,
        default_weight=2.5,
    )
    ws = make_workshop(case, analysts=3)
    Weight.objects.create(workshop=ws, criterion=case.criteria.get(code="C1"), value=7)
    score(ws, "ana1", "O1", "C1", 8)
    score(ws, "ana2", "O1", "C1", 6)
    score(ws, "ana2", "O2", "C2", 3)
    score(ws, "ana1", "O3", "C2", 2, round=2)
    return ws


def test_tables_hold_the_workshop_rows(workshop):
    frames = workshop_frames(workshop)
    assert sorted(map(tuple, frames.scores.values.tolist())) == [
        ("ana1", "O1", "C1", 8.0),
        ("ana2", "O1", "C1", 6.0),
        ("ana2", "O2", "C2", 3.0),
    ]
    assert frames.options.values.tolist() == [
        ["O1", "Option 1"],
        ["O2", "Option 2"],
        ["O3", "Option 3"],
    ]
    c1, c2 = frames.criteria.to_dict("records")
    assert (c1["code"], c1["origin"], c1["direction"], c1["weight"], c1["default_weight"]) == (
        "C1",
        "P1",
        "benefit",
        7.0,
        1.0,
    )
    assert math.isnan(c1["red_line_threshold"])
    assert (
        c2["code"],
        c2["origin"],
        c2["direction"],
        c2["scale_min"],
        c2["scale_max"],
        c2["red_line_threshold"],
        c2["default_weight"],
        c2["kind"],
    ) == ("C2", "R1", "cost", 1, 5, 4.0, 2.5, "feasibility")
    assert math.isnan(c2["weight"])  # no Weight row: NaN, never zero
    assert frames.analysts["label"].tolist() == ["ana1", "ana2", "ana3"]
    assert (frames.weighting, frames.method, frames.aggregation, frames.round) == (
        "direct",
        "weighted_sum",
        "median",
        1,
    )


def test_round_selects_the_scores(workshop):
    frames = workshop_frames(workshop, round=2)
    assert frames.scores.values.tolist() == [["ana1", "O3", "C2", 2.0]]
    assert frames.round == 2


def label_of(workshop, username):
    """The label as the engine gives it: with every scorer of the workshop labelled."""
    user_id = get_user_model().objects.get(username=username).pk
    scorers = workshop.scores.values_list("analyst_id", flat=True).distinct()
    return analyst_labels(workshop, np.array(sorted(set(scorers)), dtype=int))[user_id]


def test_anonymous_workshop_labels_analysts_by_code(workshop):
    workshop.anonymous = True
    workshop.save()
    frames = workshop_frames(workshop)
    assert frames.analysts["label"].tolist() == ["A1", "A2", "A3"]
    ana1, ana2 = label_of(workshop, "ana1"), label_of(workshop, "ana2")
    assert sorted(map(tuple, frames.scores.values.tolist())) == sorted([
        (ana1, "O1", "C1", 8.0),
        (ana2, "O1", "C1", 6.0),
        (ana2, "O2", "C2", 3.0),
    ])
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert not usernames & set(frames.scores["analyst"])


def test_a_scorer_who_is_no_longer_an_analyst_is_still_labelled(workshop):
    workshop.anonymous = True
    workshop.save()
    before = {name: label_of(workshop, name) for name in ("ana1", "ana2", "ana3")}
    Membership.objects.filter(workshop=workshop, user__username="ana2").delete()
    frames = workshop_frames(workshop)
    # The removed scorer keeps a label, and so everyone keeps theirs.
    assert {name: label_of(workshop, name) for name in before} == before
    assert sorted(set(frames.scores["analyst"])) == sorted({before["ana1"], before["ana2"]})
    assert frames.analysts["label"].tolist() == ["A1", "A2", "A3"]


def test_query_count_is_fixed_whatever_the_size(workshop, django_assert_num_queries):
    with django_assert_num_queries(5):
        workshop_frames(workshop)
    for i in range(4, 9):
        user = make_user(f"ana{i}")
        Membership.objects.create(workshop=workshop, user=user, role=Membership.Role.ANALYST)
        for option in ("O1", "O2", "O3"):
            for criterion in ("C1", "C2"):
                score(workshop, user.username, option, criterion, 3)
    with django_assert_num_queries(5):
        frames = workshop_frames(workshop)
    assert len(frames.scores) == 3 + 5 * 6
