"""`manage.py results`: the same result as compare(), as JSON or a readable summary."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from policy.workshops.frames import workshop_frames
from policy.models import Criterion, Weight
from policy.scoring import compare
from tests.factories import make_case, make_workshop, revise, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=3, criteria=2), analysts=3)
    table = {
        "ana1": [(8, 6), (5, 9), (2, 2)],
        "ana2": [(7, 7), (6, 8), (3, 1)],
        "ana3": [(9, 3), (2, 9), (1, 2)],
    }
    for analyst, rows in table.items():
        for o, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                score(ws, analyst, f"O{o}", f"C{c}", value)
    for code, value in (("C1", 3), ("C2", 1)):
        Weight.objects.create(workshop=ws, criterion=ws.case.criteria.get(code=code), value=value)
    return ws


def run(*args) -> str:
    out = StringIO()
    call_command("results", *map(str, args), stdout=out)
    return out.getvalue()


def test_json_equals_compare(workshop):
    printed = json.loads(run(workshop.pk, "--json"))
    expected = compare(workshop_frames(workshop)).to_dict()
    assert printed == json.loads(json.dumps(expected))
    assert printed["winner"]["option"] == "O1"
    assert printed["settings"] == {
        "method": "weighted_sum",
        "aggregation": "median",
        "weighting": "direct",
        "round": 1,
        "draws": 2000,
        "seed": 0,
    }


def test_options_select_method_aggregation_round_draws_and_seed(workshop):
    printed = json.loads(
        run(
            workshop.pk,
            "--json",
            "--method",
            "topsis",
            "--aggregate",
            "mean",
            "--draws",
            "300",
            "--seed",
            "5",
        )
    )
    expected = compare(
        workshop_frames(workshop), method="topsis", aggregation="mean", draws=300, seed=5
    ).to_dict()
    assert printed == json.loads(json.dumps(expected))
    assert printed["sensitivity"]["rank_acceptability"]["draws"] == 300
    empty_round = json.loads(run(workshop.pk, "--json", "--round", "2", "--draws", "0"))
    assert empty_round["winner"] is None and empty_round["settings"]["round"] == 2


def test_readable_summary(workshop):
    text = run(workshop.pk, "--draws", "200")
    assert "Winner: O1 Option 1, by 0.150 over O2" in text
    assert "   1  O1         0.750     100%  Option 1" in text
    assert "Kendall's W:" in text and "First in" in text


def test_summary_names_a_red_line(workshop):
    Criterion.objects.filter(case=workshop.case, code="C2").update(red_line_threshold=5)
    text = run(workshop.pk, "--draws", "0")
    assert "O3       screened out: C2 2 against red line 5" in text


def test_unknown_workshop_exits_1(workshop):
    with pytest.raises(CommandError, match="No workshop with id 999"):
        run(999, "--json")


def test_all_zero_weights_is_an_error_not_a_crash(workshop):
    Weight.objects.filter(workshop=workshop).update(value=0)
    with pytest.raises(CommandError, match="zero weight"):
        run(workshop.pk, "--json")


def test_a_case_whose_options_were_all_deleted_prints_the_reason(workshop):
    """Was a traceback (argmax of an empty sequence); now the engine's message, exit 1."""
    workshop.case.options.all().delete()
    with pytest.raises(CommandError, match="The case has no options, so there is nothing to "
                                           "compare."):
        run(workshop.pk, "--json")


def test_each_round_stays_readable(workshop):
    from policy.workshops import actions

    first = json.loads(run(workshop.pk, "--json", "--draws", "0"))
    actions.start_next_round(workshop.pk)
    workshop.refresh_from_db()
    revise(workshop, "ana3", "O3", "C1", 10)
    again = json.loads(run(workshop.pk, "--json", "--round", "1", "--draws", "0"))
    second = json.loads(run(workshop.pk, "--json", "--round", "2", "--draws", "0"))
    assert again == first
    assert second["settings"]["round"] == 2 and second["completeness"]["overall"] == 1
    assert second["matrix"]["scores"]["O3"]["C1"] == 3  # median of 2, 3 (carried) and 10
    assert second["matrix"]["scores"]["O2"] == first["matrix"]["scores"]["O2"]
