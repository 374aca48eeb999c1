"""The engine's settings and the names the models (and so the forms and pages) give them are
one list: every setting a workshop can choose, the engine runs, under the same label."""
import pytest

from policy.models import Workshop
from policy.scoring import AGGREGATIONS, METHODS, WEIGHTINGS, compare, make_frames, names

CHOICES = [
    ("method", Workshop.Method, METHODS, names.METHODS),
    ("aggregation", Workshop.Aggregation, AGGREGATIONS, names.AGGREGATIONS),
    ("weighting", Workshop.Weighting, WEIGHTINGS, names.WEIGHTINGS),
]


@pytest.mark.parametrize("setting, choices, engine, named", CHOICES, ids=lambda v: str(v)[:12])
def test_each_engine_setting_is_a_model_choice_with_its_label(setting, choices, engine, named):
    assert dict(choices.choices) == {key: named[key].label for key in engine}
    assert names.SETTINGS[setting] is named


def frames_for(**settings):
    """Two analysts, two options, two criteria, each criterion with an input for the
    weighting (points, a swing value, a rank: 1 and 2 serve each) and AHP judgements."""
    scores = [(a, o, c, v) for a, shift in (("A1", 0), ("A2", 1))
              for o, base in (("O1", 7), ("O2", 4)) for c, v in (("C1", base), ("C2", 9 - base))
              for v in [v + shift]]
    criteria = [{"code": "C1", "weight": 1.0}, {"code": "C2", "weight": 2.0}]
    return make_frames(scores, ["O1", "O2"], criteria, ahp_judgements={"C1|C2": 3}, **settings)


@pytest.mark.parametrize("method", Workshop.Method.values)
@pytest.mark.parametrize("aggregation", Workshop.Aggregation.values)
@pytest.mark.parametrize("weighting", Workshop.Weighting.values)
def test_the_engine_runs_every_choice_a_workshop_offers(method, aggregation, weighting):
    result = compare(frames_for(method=method, aggregation=aggregation, weighting=weighting),
                     draws=0).to_dict()
    assert (result["settings"]["method"], result["settings"]["aggregation"],
            result["weights"]["method"]) == (method, aggregation, weighting)
    assert [row["option"] for row in result["ranking"]] in (["O1", "O2"], ["O2", "O1"])


def test_word_for_counts():
    assert [names.word_for(n, "score") for n in (0, 1, 2)] == ["scores", "score", "scores"]
    assert names.word_for(3, "criterion", "criteria") == "criteria"
