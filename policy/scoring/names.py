"""The engine's settings by name, and how the pages and the memo say them: written once here.

The models' choices take their labels from these tables, the engine its list of what it
accepts, the results page and the memo their words (tests/scoring/test_names.py ties them
together). No Django here, like the rest of the engine.
"""
from typing import NamedTuple


class Name(NamedTuple):
    label: str  # on its own: a choice in a form, a cell in a table
    phrase: str  # inside a sentence: "the median of ...", "weighted by direct points"


METHODS = {
    "weighted_sum": Name("Weighted sum", "weighted sum"),
    "topsis": Name("TOPSIS", "TOPSIS (closeness to the ideal option)"),
}
AGGREGATIONS = {
    "median": Name("Median", "median"),
    "mean": Name("Mean", "mean"),
    "trimmed_mean": Name("Trimmed mean (20%)", "20% trimmed mean"),
}
WEIGHTINGS = {
    "direct": Name("Direct points", "direct points"),
    "swing": Name("Swing weighting", "swing weighting"),
    "rank": Name("Rank order (centroid)", "rank-order centroid weights"),
    "ahp": Name("AHP pairwise comparison", "AHP pairwise comparison"),
}
SETTINGS = {"method": METHODS, "aggregation": AGGREGATIONS, "weighting": WEIGHTINGS}


def phrase(setting: str, key: str) -> str:
    """The words for a setting's value inside a sentence; an unknown value as it is."""
    name = SETTINGS[setting].get(key)
    return name.phrase if name else key


def word_for(n: int, singular: str, plural: str | None = None) -> str:
    """The noun as it goes with the number n: 1 score, 2 scores (criterion, criteria)."""
    return singular if n == 1 else plural or singular + "s"
