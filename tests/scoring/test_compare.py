"""compare(): the whole result, its edge cases, and the properties it must keep."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy.scoring import ScoringError, ZeroWeightsError, compare, make_frames

KEYS = [
    "settings",
    "options",
    "criteria",
    "analysts",
    "weights",
    "ranking",
    "winner",
    "contributions",
    "matrix",
    "completeness",
    "disagreement",
    "orders",
    "sensitivity",
    "warnings",
]


def rows_from(table):
    """{analyst: {option: (score on C1, score on C2, ...)}} -> score rows."""
    return [
        (a, o, f"C{i}", v)
        for a, by_option in table.items()
        for o, values in by_option.items()
        for i, v in enumerate(values, start=1)
        if v is not None
    ]


TEAM = {
    "A1": {"O1": (8, 6), "O2": (5, 9), "O3": (2, 2)},
    "A2": {"O1": (7, 7), "O2": (6, 8), "O3": (3, 1)},
    "A3": {"O1": (9, 3), "O2": (2, 9), "O3": (1, 2)},
}


def team_frames(table=TEAM, options=("O1", "O2", "O3"), criteria=None, **settings):
    criteria = criteria or [{"code": "C1", "weight": 3}, {"code": "C2", "weight": 1}]
    return make_frames(rows_from(table), list(options), criteria, **settings)


def codes(ranking, status="ranked"):
    return [row["option"] for row in ranking if row["status"] == status]


def test_headline_by_hand():
    result = compare(team_frames(), draws=200).to_dict()
    assert list(result) == KEYS
    # Medians: O1 (8, 6), O2 (5, 9), O3 (2, 2); weights 0.75 / 0.25 on a 0-10 scale.
    assert result["matrix"]["scores"]["O1"] == {"C1": 8, "C2": 6}
    totals = {row["option"]: row["total"] for row in result["ranking"]}
    assert totals == pytest.approx({"O1": 0.75, "O2": 0.6, "O3": 0.2})
    assert [row["rank"] for row in result["ranking"]] == [1, 2, 3]
    assert result["winner"] == {
        "option": "O1",
        "title": "O1",
        "total": 0.75,
        "runner_up": "O2",
        "margin": 0.15,
        "tied": False,
    }
    assert result["contributions"]["O1"] == pytest.approx({"C1": 0.6, "C2": 0.15})
    assert result["weights"]["values"] == {"C1": 0.75, "C2": 0.25}
    assert result["completeness"]["overall"] == 1.0
    json.dumps(result)  # JSON-ready as it stands


def test_both_orders_and_the_flag_when_winners_differ():
    result = compare(team_frames(), draws=0).to_dict()
    individual = result["orders"]["weight_then_aggregate"]
    # A1 (0.75*.8+.25*.6=.75), A2 (.7), A3 (.75): median .75 for O1; O2: .6, .65, .375 -> .6
    assert individual["totals"]["O1"] == pytest.approx(0.75)
    assert individual["totals"]["O2"] == pytest.approx(0.6)
    assert result["orders"]["analyst_winners"] == {"A1": "O1", "A2": "O1", "A3": "O1"}
    split = {
        "A1": {"O1": (6, 6), "O2": (10, 0)},
        "A2": {"O1": (6, 6), "O2": (0, 10)},
        "A3": {"O1": (6, 6), "O2": (10, 10)},
    }
    frames = team_frames(
        split,
        options=("O1", "O2"),
        criteria=[{"code": "C1", "weight": 1}, {"code": "C2", "weight": 1}],
    )
    result = compare(frames, draws=0).to_dict()
    # Medians O2 (10, 10) beat O1 (6, 6); each analyst's O2 totals 0.5, 0.5, 1 -> median 0.5.
    assert result["orders"]["aggregate_then_weight"]["winner"] == "O2"
    assert result["orders"]["weight_then_aggregate"]["winner"] == "O1"
    assert result["orders"]["winners_differ"] is True
    assert "winners_differ" in [w["code"] for w in result["warnings"]]


def test_red_line_screens_out_and_names_the_line():
    criteria = [
        {"code": "C1", "weight": 3, "title": "Fair elections"},
        {"code": "C2", "weight": 1, "red_line_threshold": 5},
    ]
    result = compare(team_frames(criteria=criteria), draws=100).to_dict()
    assert codes(result["ranking"]) == ["O1", "O2"]
    screened = result["ranking"][-1]
    assert screened["option"] == "O3" and screened["rank"] is None and screened["total"] is None
    assert screened["screened_out"] == [
        {"criterion": "C2", "title": "C2", "threshold": 5.0, "score": 2.0, "direction": "benefit"}
    ]
    shares = {o["option"]: o for o in result["sensitivity"]["rank_acceptability"]["options"]}
    assert shares["O3"]["p_first"] == 0


def test_cost_red_line_screens_above_the_threshold():
    criteria = [
        {"code": "C1", "weight": 1},
        {"code": "C2", "weight": 1, "direction": "cost", "red_line_threshold": 8},
    ]
    result = compare(team_frames(criteria=criteria), draws=0).to_dict()
    assert codes(result["ranking"], "screened_out") == ["O2"]  # its cost median is 9


def test_missing_cells_are_renormalised_and_reported():
    table = {"A1": {"O1": (8, None), "O2": (5, 9)}, "A2": {"O1": (6, None), "O2": (5, 7)}}
    result = compare(team_frames(table, options=("O1", "O2")), draws=0).to_dict()
    o1 = next(row for row in result["ranking"] if row["option"] == "O1")
    assert o1["total"] == pytest.approx(0.7) and o1["weight_covered"] == pytest.approx(0.75)
    assert result["matrix"]["scores"]["O1"]["C2"] is None
    assert result["completeness"]["options"] == {"O1": 0.5, "O2": 1.0}
    assert result["completeness"]["criteria"] == {"C1": 1.0, "C2": 0.5}
    assert "missing_scores" in [w["code"] for w in result["warnings"]]


def test_disagreement_cells_contested_first_with_values():
    result = compare(team_frames(), draws=0).to_dict()
    cells = result["disagreement"]["cells"]
    assert len(cells) == 6
    first = cells[0]
    # O1/C2: 6, 7, 3 -> IQR (type 7) = 6.5 - 4.5 = 2; O2/C1: 5, 6, 2 -> 5.5 - 3.5 = 2, same SD.
    assert (first["option"], first["criterion"], first["iqr"], first["contested"]) == (
        "O1",
        "C2",
        2.0,
        True,
    )
    assert first["values"] == {"A1": 6.0, "A2": 7.0, "A3": 3.0}
    assert [c["contested"] for c in cells] == sorted([c["contested"] for c in cells], reverse=True)
    assert result["disagreement"]["kendall_w"]["raters"] == 3


def test_topsis_method_and_aggregations_run_through():
    for method in ("weighted_sum", "topsis"):
        for aggregation in ("median", "mean", "trimmed_mean"):
            result = compare(team_frames(), method=method, aggregation=aggregation, draws=50)
            assert result.settings["method"] == method
            assert result.winner["option"] == "O1"


def test_unknown_method_is_a_scoring_error():
    with pytest.raises(ScoringError, match="Unknown method"):
        compare(team_frames(), method="electre")


def test_edge_no_scores():
    frames = make_frames([], ["O1", "O2"], ["C1", "C2"], analysts=["A1"])
    result = compare(frames).to_dict()
    assert result["winner"] is None
    assert [row["status"] for row in result["ranking"]] == ["no_scores", "no_scores"]
    assert result["sensitivity"] == {"flip_points": [], "rank_acceptability": None}
    assert (
        result["disagreement"]["cells"] == [] and result["disagreement"]["kendall_w"]["w"] is None
    )
    assert [w["code"] for w in result["warnings"]] == ["no_scores", "default_weights"]


def test_edge_one_analyst():
    result = compare(team_frames({"A1": TEAM["A1"]}), draws=100).to_dict()
    assert result["winner"]["option"] == "O1"
    assert result["disagreement"]["kendall_w"]["w"] is None
    assert all(cell["sd"] is None and cell["iqr"] == 0 for cell in result["disagreement"]["cells"])
    assert "one_analyst" in [w["code"] for w in result["warnings"]]


def test_edge_one_option():
    table = {a: {"O1": scores["O1"]} for a, scores in TEAM.items()}
    result = compare(team_frames(table, options=("O1",)), draws=100).to_dict()
    assert result["winner"]["runner_up"] is None and result["winner"]["margin"] is None
    assert [(f["lower"], f["upper"]) for f in result["sensitivity"]["flip_points"]] == [
        (0, 1),
        (0, 1),
    ]
    assert result["sensitivity"]["rank_acceptability"]["options"][0]["p_first"] == 1


def test_edge_all_scores_equal():
    table = {a: {o: (5, 5) for o in ("O1", "O2", "O3")} for a in ("A1", "A2")}
    for method in ("weighted_sum", "topsis"):
        result = compare(team_frames(table), method=method, draws=100).to_dict()
        assert [row["rank"] for row in result["ranking"]] == [1, 1, 1]
        assert result["winner"]["tied"] is True
        assert "tie_for_first" in [w["code"] for w in result["warnings"]]
        assert result["disagreement"]["kendall_w"]["w"] is None


def test_edge_zero_weight_criterion():
    criteria = [{"code": "C1", "weight": 1}, {"code": "C2", "weight": 0}]
    result = compare(team_frames(criteria=criteria), draws=100).to_dict()
    assert result["contributions"]["O2"]["C2"] == 0
    totals = {row["option"]: row["total"] for row in result["ranking"]}
    assert totals == pytest.approx({"O1": 0.8, "O2": 0.5, "O3": 0.2})
    flip = result["sensitivity"]["flip_points"][1]
    assert flip["weight"] == 0 and flip["lower"] == 0


def test_edge_all_weights_zero_is_a_clear_error():
    criteria = [{"code": "C1", "weight": 0}, {"code": "C2", "weight": 0}]
    with pytest.raises(ZeroWeightsError, match="zero weight"):
        compare(team_frames(criteria=criteria))


def test_edge_constant_column_under_topsis():
    table = {a: {o: (6, v) for o, v in zip(("O1", "O2", "O3"), (2, 8, 5))} for a in ("A1", "A2")}
    result = compare(team_frames(table), method="topsis", draws=0).to_dict()
    totals = {row["option"]: row["total"] for row in result["ranking"]}
    # C1 is constant, so it adds nothing: closeness is C2's alone, (x - 2) / (8 - 2).
    assert totals == pytest.approx({"O1": 0, "O2": 1, "O3": 0.5})


def test_ahp_weights_and_warning_in_the_result():
    frames = team_frames(weighting="ahp", ahp_judgements={"C1|C2": 3})
    result = compare(frames, draws=0).to_dict()
    assert result["weights"]["values"] == {"C1": 0.75, "C2": 0.25}
    assert result["weights"]["ahp"]["consistency_ratio"] == 0
    assert result["weights"]["ahp"]["missing_pairs"] == []


def test_a_result_with_everything_in_it_is_json_ready():
    criteria = [
        {"code": "C1", "red_line_threshold": 3, "origin": "P1", "kind": "alignment"},
        {"code": "C2", "direction": "cost"},
        {"code": "C3"},
    ]
    table = {
        a: {o: (*values, None if a == "A1" else 4) for o, values in by_option.items()}
        for a, by_option in TEAM.items()
    }
    frames = team_frames(
        table,
        criteria=criteria,
        weighting="ahp",
        ahp_judgements={"C1|C2": 9, "C2|C3": 9, "C3|C1": 9, "C1|C9": 2},
    )
    for method in ("weighted_sum", "topsis"):
        result = compare(frames, method=method, draws=100).to_dict()
        assert json.loads(json.dumps(result)) == result
        assert [w["code"] for w in result["warnings"]] == [
            "missing_scores",
            "ahp_inconsistent",
            "ahp_ignored",
        ]
        assert result["criteria"][0] == {
            "code": "C1",
            "title": "C1",
            "kind": "alignment",
            "origin": "P1",
            "direction": "benefit",
            "scale_min": 0.0,
            "scale_max": 10.0,
            "red_line_threshold": 3.0,
            "weight": pytest.approx(1 / 3),
        }
        assert result["ranking"][-1]["status"] == "screened_out"


# Properties -----------------------------------------------------------------------------

score = st.integers(0, 10)
teams = st.dictionaries(
    st.sampled_from(["A1", "A2", "A3", "A4"]),
    st.fixed_dictionaries({o: st.tuples(score, score, score) for o in ("O1", "O2", "O3")}),
    min_size=1,
)
weight_inputs = st.lists(st.integers(1, 20), min_size=3, max_size=3)


def three_criteria(weights):
    return [{"code": f"C{i}", "weight": w} for i, w in enumerate(weights, start=1)]


def order(result):
    return [(row["option"], row["rank"]) for row in result["ranking"]]


@settings(max_examples=60, deadline=None)
@given(
    team=teams,
    weights=weight_inputs,
    factor=st.sampled_from([0.5, 3, 17.25]),
    method=st.sampled_from(["weighted_sum", "topsis"]),
)
def test_scaling_all_weights_changes_no_ranking(team, weights, factor, method):
    before = compare(team_frames(team, criteria=three_criteria(weights)), method=method, draws=0)
    scaled = three_criteria([w * factor for w in weights])
    after = compare(team_frames(team, criteria=scaled), method=method, draws=0)
    assert order(after.to_dict()) == order(before.to_dict())


@settings(max_examples=60, deadline=None)
@given(team=teams, weights=weight_inputs)
def test_adding_a_dominated_option_changes_no_other_order(team, weights):
    before = compare(team_frames(team, criteria=three_criteria(weights)), draws=0).to_dict()
    worse = {
        a: {**by_option, "O4": tuple(min(v[i] for v in by_option.values()) for i in range(3))}
        for a, by_option in team.items()
    }
    after = compare(
        team_frames(worse, options=("O1", "O2", "O3", "O4"), criteria=three_criteria(weights)),
        draws=0,
    ).to_dict()
    others = [row["option"] for row in after["ranking"] if row["option"] != "O4"]
    assert others == [row["option"] for row in before["ranking"]]


@settings(max_examples=40, deadline=None)
@given(team=teams, weights=weight_inputs, seed=st.integers(0, 1000), data=st.data())
def test_permuting_analysts_changes_nothing(team, weights, seed, data):
    frames = team_frames(team, criteria=three_criteria(weights))
    shuffled = frames.scores.sample(frac=1, random_state=seed).reset_index(drop=True)
    relabel = dict(zip(sorted(team), data.draw(st.permutations(sorted(team)))))
    permuted = type(frames)(
        **{**frames.__dict__, "scores": shuffled.assign(analyst=shuffled["analyst"].map(relabel))}
    )
    before, after = compare(frames, draws=200).to_dict(), compare(permuted, draws=200).to_dict()
    for key in ("ranking", "winner", "matrix", "contributions", "sensitivity"):
        assert after[key] == before[key]
    assert after["disagreement"]["kendall_w"] == before["disagreement"]["kendall_w"]
    assert after["orders"]["weight_then_aggregate"] == before["orders"]["weight_then_aggregate"]


@settings(max_examples=80, deadline=None)
@given(
    team=teams,
    weights=weight_inputs,
    cost=st.booleans(),
    data=st.data(),
    aggregation=st.sampled_from(["median", "mean", "trimmed_mean"]),
)
def test_moving_a_score_toward_the_best_never_lowers_the_total(
    team, weights, cost, data, aggregation
):
    criteria = three_criteria(weights)
    criteria[1]["direction"] = "cost" if cost else "benefit"
    analyst = data.draw(st.sampled_from(sorted(team)))
    option = data.draw(st.sampled_from(["O1", "O2", "O3"]))
    criterion = data.draw(st.integers(0, 2))
    current = team[analyst][option][criterion]
    best = 0 if (cost and criterion == 1) else 10
    moved = data.draw(st.integers(min(current, best), max(current, best)))
    better = {a: dict(by_option) for a, by_option in team.items()}
    values = list(better[analyst][option])
    values[criterion] = moved
    better[analyst][option] = tuple(values)

    def total(table):
        result = compare(team_frames(table, criteria=criteria), aggregation=aggregation, draws=0)
        return next(row["total"] for row in result.ranking if row["option"] == option)

    assert total(better) >= total(team) - 1e-12


def test_workshop_without_analysts_gives_an_empty_comparison():
    frames = make_frames([], options=["O1", "O2"], criteria=["C1"], analysts=[])
    result = compare(frames).to_dict()
    assert [row["status"] for row in result["ranking"]] == ["no_scores", "no_scores"]
    assert result["disagreement"]["contested"] == 0


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        (make_frames([], [], ["C1"]), "The case has no options"),
        (make_frames([], ["O1", "O2"], []), "The case has no criteria"),
        (make_frames([("A1", "O1", "C1", float("nan"))], ["O1", "O2"], ["C1"]),
         "1 score\\(s\\) are not finite"),
        (make_frames([("A1", "O1", "C1", float("inf"))], ["O1", "O2"], ["C1"]),
         "are not finite"),
        (make_frames([], ["O1", "O2"], [{"code": "C1", "weight": float("inf")}]),
         "The weight of C1 must be a finite number of 0 or more"),
        (make_frames([], ["O1", "O2"], [{"code": "C1", "weight": -1.0}, "C2"]),
         "The weight of C1 must be"),
        (make_frames([], ["O1", "O2"], [{"code": "C1", "default_weight": -2.0}]),
         "The default weight of C1 must be"),
        (make_frames([], ["O1", "O2"], ["C1", {"code": "C2", "scale_min": 5, "scale_max": 5}]),
         "The scale of C2 has no range"),
    ],
)
def test_inputs_that_cannot_be_compared_raise_a_clear_error(frames, message):
    with pytest.raises(ScoringError, match=message):
        compare(frames, draws=10)


def test_a_missing_weight_is_not_an_error():
    frames = make_frames(
        [("A1", "O1", "C1", 7), ("A1", "O2", "C1", 3)], ["O1", "O2"],
        ["C1", {"code": "C2", "weight": 1.0}, {"code": "C3", "weight": float("nan")}],
    )
    assert compare(frames, draws=0).to_dict()["weights"]["unweighted"] == ["C1", "C3"]


def test_infinite_ahp_judgement_is_ignored_not_used():
    frames = make_frames(
        [("A1", "O1", "C1", 7), ("A1", "O2", "C2", 3)], ["O1", "O2"], ["C1", "C2", "C3"],
        weighting="ahp", ahp_judgements={"C1|C2": float("inf"), "C1|C3": 2, "C2|C3": 1},
    )
    weights = compare(frames, draws=0).to_dict()["weights"]
    assert weights["ahp"]["ignored"] == ["C1|C2"]
    assert weights["values"] == pytest.approx({"C1": 0.5, "C2": 0.25, "C3": 0.25})
    assert weights["ahp"]["missing_pairs"] == ["C1|C2"] and weights["ahp"]["method"] == "llsm"


def test_no_total_share_is_in_the_result():
    frames = make_frames(
        [(a, o, "C1", v) for a, o, v in (("A1", "O1", 8), ("A2", "O1", 6), ("A1", "O2", 5))],
        ["O1", "O2", "O3"], ["C1"],
    )
    mc = compare(frames, draws=200).to_dict()["sensitivity"]["rank_acceptability"]
    for row in mc["options"]:
        assert sum(row["ranks"]) + row["p_no_total"] == pytest.approx(1)
    assert [row["p_no_total"] for row in mc["options"]][2] == 1
