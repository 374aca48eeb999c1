"""The memo's "Since round N": words from two results and the convergence rows, no database."""
from policy.memo.changes import changes_since
from policy.workshops.rounds import Convergence


def result(round, winner, ranks, present=12):
    return {
        "settings": {"round": round},
        "completeness": {"present": present},
        "winner": None if winner is None else {"option": winner, "total": ranks[winner][1]},
        "ranking": [{"option": code, "title": f"Option {code}", "rank": rank, "total": total}
                    for code, (rank, total) in ranks.items()],
    }


def test_changes_since_the_last_round():
    before = result(1, "O1", {"O1": (1, 0.7), "O2": (2, 0.6), "O3": (None, None)})
    now = result(2, "O2", {"O2": (1, 0.72), "O1": (2, 0.65), "O3": (3, 0.2)})
    cells = [Convergence("O1", "C2", 3.0, 1.0), Convergence("O2", "C1", 1.0, 1.0),
             Convergence("O3", "C1", 0.5, 2.0)]
    changes = changes_since(before, now, cells, revised=2)
    assert changes["sentences"] == [
        "Round 2 started from each analyst’s round 1 scores: 2 of the 12 scores now in were "
        "revised or added in round 2, the rest carried forward.",
        "Of the three cells scored in both rounds, the spread of the middle half of the scores "
        "narrowed on 1, widened on 1 and held on 1; most on O1 C2, from 3 to 1.",
        "O1 led in round 1 (70 out of 100); now O2 leads (72 out of 100).",
        "Ranks moved: O2 from 2 to 1, O1 from 1 to 2 and O3 from – to 3.",
    ]
    assert changes["rows"][2] == {"code": "O3", "title": "Option O3", "then": "–", "now": 3,
                                  "then_total": "–", "now_total": "20 out of 100"}


def test_nothing_moved():
    same = {"O1": (1, 0.7), "O2": (2, 0.6)}
    changes = changes_since(result(1, "O1", same), result(2, "O1", same), [], revised=0)
    assert changes["sentences"][1:] == ["O1 led in round 1 (70 out of 100) and leads now (70 out of 100).",
                                        "No option changed rank."]
