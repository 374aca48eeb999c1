"""The group's weights from the analysts' own: the aggregations by hand, their spread, the flip
points against it and the Monte Carlo drawing from it (docs/method.md §2, §10, §11)."""

import numpy as np
import pandas as pd
import pytest

from policy.scoring import compare, make_frames
from policy.scoring.team_weights import workshop_weights
from policy.scoring.ahp import ahp_of_matrix, principal_vectors

# Every analyst scores alike, so resampling the scores changes nothing and only the weights
# move the ranking: O1 totals w_C1, O2 totals w_C2.
OPPOSED = [
    (analyst, option, criterion, value)
    for analyst in ("A1", "A2", "A3")
    for option, criterion, value in (
        ("O1", "C1", 10), ("O1", "C2", 0), ("O2", "C1", 0), ("O2", "C2", 10),
    )
]


def own(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["analyst", "criterion", "value"])


def frames(weights=(), judgements=None, criteria=("C1", "C2"), scores=OPPOSED, **settings):
    settings.setdefault("analysts_weigh", True)
    return make_frames(
        scores, ["O1", "O2"], [{"code": c, "weight": 1.0} for c in criteria],
        analyst_weights=own(weights), analyst_judgements=judgements or {}, **settings,
    )


def test_direct_points_are_the_mean_of_each_analysts_normalised_weights():
    weights = workshop_weights(frames([("A1", "C1", 3), ("A1", "C2", 1),
                                       ("A2", "C1", 10), ("A2", "C2", 10)]))
    # A1: 3/4, 1/4; A2: 1/2, 1/2 (its points are ten times A1's, yet count the same).
    assert weights.values == pytest.approx([0.625, 0.375])
    assert weights.source == "analysts" and weights.analysts.aggregation == "mean"
    assert weights.analysts.labels == ["A1", "A2"] and weights.analysts.left_out == 1


def test_ranks_average_the_analysts_centroid_weights():
    ranks = [("A1", "C1", 1), ("A1", "C2", 2), ("A1", "C3", 3),
             ("A2", "C1", 3), ("A2", "C2", 2), ("A2", "C3", 1)]
    weights = workshop_weights(frames(ranks, criteria=("C1", "C2", "C3"), weighting="rank"))
    # ROC for 3: 11/18, 5/18, 2/18, and the same reversed.
    assert weights.values == pytest.approx([13 / 36, 10 / 36, 13 / 36])


def test_ahp_is_the_eigenvector_of_the_geometric_mean_of_the_matrices():
    judgements = {
        "A1": {"C1|C2": 2, "C1|C3": 8, "C2|C3": 2},
        "A2": {"C1|C2": 2, "C1|C3": 2, "C2|C3": 2},
    }
    weights = workshop_weights(
        frames(judgements=judgements, criteria=("C1", "C2", "C3"), weighting="ahp")
    )
    # Element by element: a12 = sqrt(2 x 2) = 2, a13 = sqrt(8 x 2) = 4, a23 = 2: a consistent
    # matrix, whose eigenvector is (4, 2, 1) / 7 and CR 0.
    assert weights.values == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert weights.ahp.consistency_ratio == pytest.approx(0, abs=1e-9)
    assert weights.analysts.aggregation == "geometric_mean"
    # Not the mean of the analysts' own eigenvectors (A2's matrix is inconsistent).
    assert weights.analysts.vectors.mean(axis=0) != pytest.approx([4 / 7, 2 / 7, 1 / 7])


def test_ahp_pairs_no_analyst_judged_are_named():
    judgements = {"A1": {"C1|C2": 3}, "A2": {"C1|C2": 3, "C2|C3": 2, "C9|C1": 2}}
    weights = workshop_weights(
        frames(judgements=judgements, criteria=("C1", "C2", "C3"), weighting="ahp")
    )
    assert weights.ahp.missing_pairs == ["C1|C3"]
    assert weights.ahp.ignored == ["A2: C9|C1"]


def test_ahp_analysts_spanning_sets_are_completed_before_the_geometric_mean():
    # A1 compares each criterion with C1 only (C2 = C3 = C1 / 2), so C2|C3 completes to 1;
    # A2 judges every pair: C1|C2 = 2, C1|C3 = 8, C2|C3 = 4 (consistent, 8 : 4 : 1).
    judgements = {"A1": {"C1|C2": 2, "C1|C3": 2},
                  "A2": {"C1|C2": 2, "C1|C3": 8, "C2|C3": 4}}
    weights = workshop_weights(
        frames(judgements=judgements, criteria=("C1", "C2", "C3"), weighting="ahp"))
    assert weights.analysts.vectors == pytest.approx(
        np.array([[0.5, 0.25, 0.25], [8 / 13, 4 / 13, 1 / 13]]))
    # Geometric means: g12 = 2, g13 = sqrt(2 x 8) = 4, g23 = sqrt(1 x 4) = 2: consistent,
    # so the eigenvector is (4, 2, 1) / 7, and no pair is left unjudged by both.
    assert weights.values == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert weights.ahp.missing_pairs == [] and weights.ahp.inconsistent == []


def test_an_ahp_analyst_whose_judgements_do_not_link_every_criterion_is_left_out():
    judgements = {"A1": {"C1|C2": 3}, "A2": {"C1|C2": 2, "C2|C3": 2}}
    weights = workshop_weights(
        frames(judgements=judgements, criteria=("C1", "C2", "C3"), weighting="ahp"))
    assert weights.analysts.labels == ["A2"] and weights.analysts.left_out == 2  # A1 and A3
    assert weights.values == pytest.approx([4 / 7, 2 / 7, 1 / 7])


def test_analysts_who_gave_nothing_or_only_zeros_are_left_out_and_counted():
    result = compare(frames([("A1", "C1", 1), ("A1", "C2", 3),
                             ("A2", "C1", 0), ("A2", "C2", 0)]), draws=0).to_dict()
    analysts = result["weights"]["analysts"]
    assert (analysts["given"], analysts["left_out"]) == (1, 2)
    assert result["weights"]["values"] == {"C1": 0.25, "C2": 0.75}
    assert {"code": "analysts_left_out",
            "message": "2 analysts gave no weights and are left out of the group's weights."
            } in result["warnings"]


def test_when_no_analyst_has_weighted_the_facilitators_weights_stand():
    result = compare(frames(), draws=0).to_dict()
    assert result["weights"]["source"] == "inputs"
    assert result["weights"]["values"] == {"C1": 0.5, "C2": 0.5}
    assert result["weights"]["analysts"]["fallback"] is True
    assert "analysts_no_weights" in [w["code"] for w in result["warnings"]]
    assert result["sensitivity"]["rank_acceptability"] is None  # draws=0
    assert result["sensitivity"]["flip_points"][0]["analysts"] is None


def test_the_setting_off_ignores_analysts_weights_entirely():
    given = [("A1", "C1", 9), ("A1", "C2", 1)]
    off = compare(frames(given, analysts_weigh=False), draws=300).to_dict()
    plain = compare(make_frames(OPPOSED, ["O1", "O2"], [{"code": "C1", "weight": 1.0},
                                                        {"code": "C2", "weight": 1.0}]),
                    draws=300).to_dict()
    assert off == plain
    assert off["weights"]["analysts"] is None
    assert off["sensitivity"]["rank_acceptability"]["weights_drawn"] == "dirichlet"


def test_weight_spread_per_criterion():
    result = compare(frames([("A1", "C1", 1), ("A1", "C2", 1), ("A2", "C1", 3),
                             ("A2", "C2", 1), ("A3", "C1", 9), ("A3", "C2", 1)]),
                     draws=0).to_dict()
    spread = result["weights"]["analysts"]["spread"][0]
    # C1's shares: 0.5, 0.75, 0.9. Quartiles by linear interpolation (type 7).
    assert spread["criterion"] == "C1" and spread["n"] == 3
    assert (spread["min"], spread["median"], spread["max"]) == (0.5, 0.75, 0.9)
    assert spread["q1"] == pytest.approx(0.625) and spread["q3"] == pytest.approx(0.825)
    assert spread["iqr"] == pytest.approx(0.2)
    assert spread["sd"] == pytest.approx(np.std([0.5, 0.75, 0.9], ddof=1), abs=1e-6)
    assert result["weights"]["analysts"]["values"]["A2"] == {"C1": 0.75, "C2": 0.25}


def test_with_identical_analyst_weights_the_chance_first_is_the_deterministic_ranking():
    same = [(a, c, v) for a in ("A1", "A2", "A3") for c, v in (("C1", 3), ("C2", 1))]
    result = compare(frames(same), draws=500).to_dict()
    mc = result["sensitivity"]["rank_acceptability"]
    assert mc["weights_drawn"] == "analysts" and mc["concentration"] is None
    assert result["winner"]["option"] == "O1"
    by_option = {row["option"]: row for row in mc["options"]}
    assert by_option["O1"]["p_first"] == 1 and by_option["O2"]["p_first"] == 0
    assert by_option["O1"]["p_first_weights"] == 1 and by_option["O2"]["ranks"] == [0, 1]


def test_the_monte_carlo_draws_from_the_analysts_spread():
    # A1 puts C1 at 0.9, A2 at 0.3: the mean, 0.6, puts O1 first. Resampling two analysts
    # gives A1 twice (1/4: O1), A2 twice (1/4: O2) or one of each (1/2: O1): O1 first 3/4.
    result = compare(frames([("A1", "C1", 9), ("A1", "C2", 1), ("A2", "C1", 3),
                             ("A2", "C2", 7)]), draws=2000).to_dict()
    p_first = {row["option"]: row["p_first_weights"]
               for row in result["sensitivity"]["rank_acceptability"]["options"]}
    assert p_first["O1"] == pytest.approx(0.75, abs=0.04)
    # The default draw (a Dirichlet around 0.6 / 0.4) would give about 0.82.
    facilitator = compare(make_frames(OPPOSED, ["O1", "O2"], [{"code": "C1", "weight": 6},
                                                              {"code": "C2", "weight": 4}]),
                          draws=2000).to_dict()
    assert facilitator["sensitivity"]["rank_acceptability"]["options"][0][
        "p_first_weights"] > 0.79


def test_ahp_draws_resample_the_analysts_matrices():
    judgements = {label: {"C1|C2": 3} for label in ("A1", "A2", "A3")}
    result = compare(frames(judgements=judgements, weighting="ahp"), draws=300).to_dict()
    first = result["sensitivity"]["rank_acceptability"]["options"][0]
    assert result["weights"]["values"] == pytest.approx({"C1": 0.75, "C2": 0.25})
    assert first["option"] == "O1" and first["p_first_weights"] == 1


def test_relabelling_analysts_changes_no_draw():
    rows = [("A1", "C1", 9), ("A1", "C2", 1), ("A2", "C1", 3), ("A2", "C2", 7)]
    renamed = [({"A1": "A2", "A2": "A1"}[a], c, v) for a, c, v in rows]
    assert (compare(frames(rows), draws=400).to_dict()["sensitivity"]
            == compare(frames(renamed), draws=400).to_dict()["sensitivity"])


def test_flip_points_against_the_range_analysts_gave():
    result = compare(frames([("A1", "C1", 9), ("A1", "C2", 1), ("A2", "C1", 3),
                             ("A2", "C2", 7)]), draws=0).to_dict()
    c1, c2 = result["sensitivity"]["flip_points"]
    # O1 stays first while C1's share is above 0.5; the analysts gave it 0.3 to 0.9.
    assert c1["lower"] == pytest.approx(0.5) and c1["upper"] == 1
    assert c1["analysts"] == {"min": 0.3, "max": 0.9, "outside": 1, "flips_within": True}
    assert c2["analysts"] == {"min": 0.1, "max": 0.7, "outside": 1, "flips_within": True}


def test_a_flip_point_outside_the_analysts_range():
    result = compare(frames([("A1", "C1", 9), ("A1", "C2", 1), ("A2", "C1", 7),
                             ("A2", "C2", 3)]), draws=0).to_dict()
    assert result["sensitivity"]["flip_points"][0]["analysts"] == {
        "min": 0.7, "max": 0.9, "outside": 0, "flips_within": False}


def test_principal_vectors_agree_with_numpys_eig():
    rng = np.random.default_rng(3)
    scale = np.array([1 / 9, 1 / 5, 1 / 3, 1, 3, 5, 9])
    matrices = np.ones((50, 6, 6))
    for i in range(6):
        for j in range(i + 1, 6):
            matrices[:, i, j] = rng.choice(scale, size=50)
            matrices[:, j, i] = 1 / matrices[:, i, j]
    codes = [f"C{i}" for i in range(6)]
    expected = [ahp_of_matrix(codes, matrix, [], []).weights for matrix in matrices]
    assert principal_vectors(matrices) == pytest.approx(np.array(expected), abs=1e-12)
