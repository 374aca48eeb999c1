"""The memo's sentences, from the engine's result (`Comparison.to_dict()`, the structure
`results --json` prints) and plain data about the case. No Django here: tested on dicts."""
import math
from dataclasses import dataclass

from ..scoring import names

NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
            "tenth"]
WEIGHTINGS = {key: name.phrase for key, name in names.WEIGHTINGS.items()}
AGGREGATIONS = {key: name.phrase for key, name in names.AGGREGATIONS.items()}
METHODS = {key: name.phrase for key, name in names.METHODS.items()}


# --- numbers and lists ------------------------------------------------------------------

def on_100(value: float) -> int:
    """The engine's 0-1 total on the memo's 0-100 scale, half up (0.785 -> 79, never 78)."""
    return math.floor(100 * value + 0.5)


def out_of_100(value) -> str:
    """A weighted total as a principal reads it: 0.7781 -> '78 out of 100'."""
    return "–" if value is None else f"{on_100(value)} out of 100"


def points_between(lead: float, behind: float) -> str:
    """A margin in points on the 0-100 scale, taken between the rounded totals the memo prints
    so that the reader's own subtraction agrees: '13 points', 'less than a point'."""
    gap = on_100(lead) - on_100(behind)
    if gap == 0:
        return "less than a point"
    return f"{gap} point{'' if gap == 1 else 's'}"


def pct(value) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def points(value) -> str:
    """A score on its scale: 7, 7.5."""
    return "–" if value is None else f"{round(value, 1):g}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    word = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
    return f"{word} {names.word_for(n, noun, plural)}"


def ordinal(n: int) -> str:
    """A rank as the memo words it: 'first', 'third', '12th'."""
    if 1 <= n <= len(ORDINALS):
        return ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def of(part: int, whole: int) -> str:
    """'three of the six analysts', 'none of the six analysts'."""
    word = "none" if part == 0 else count(part, "x").rsplit(" ", 1)[0]
    return f"{word} of the {count(whole, 'analyst')}"


def listing(items: list[str], conjunction: str = "and") -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def share_of(part: int, whole: int) -> str:
    """A percentage that never rounds an incomplete count up to 100% or a few down to 0%."""
    text = pct(part / whole) if whole else "–"
    if part < whole and text == "100%":
        return "99%"
    if part and text == "0%":
        return "under 1%"
    return text


# --- coverage ---------------------------------------------------------------------------

def coverage(result: dict) -> str:
    """'Incomplete: ...' with the share of expected scores given, or '' when all are in."""
    done = result["completeness"]
    present, expected = done["present"], done["expected"]
    if expected and present >= expected:
        return ""
    if not expected:
        return "Incomplete: no analyst has joined, so no scores are expected yet."
    return (f"Incomplete: {present:,} of {expected:,} expected scores "
            f"({share_of(present, expected)}) are in.")


def statuses(result: dict) -> dict[str, list[str]]:
    """Option codes by ranking status: ranked, screened_out, no_scores."""
    found = {"ranked": [], "screened_out": [], "no_scores": []}
    for row in result["ranking"]:
        found[row["status"]].append(row["option"])
    return found


# --- the bottom line --------------------------------------------------------------------

@dataclass
class Flip:
    criterion: str
    title: str
    weight: float
    limit: float
    direction: str  # "rises above" or "falls below"
    takes_over: str


def nearest_flip(result: dict) -> Flip | None:
    """The single change of weight, among all criteria, closest to the team's weights that
    makes another option first (the others keep their proportions)."""
    best = None
    for row in result["sensitivity"]["flip_points"]:
        if row["weight"] is None:
            continue
        ends = []
        if row["above_takes_over"] and row["upper"] is not None:
            ends.append((row["upper"] - row["weight"], row["upper"], "rises above",
                         row["above_takes_over"]))
        if row["below_takes_over"] and row["lower"] is not None:
            ends.append((row["weight"] - row["lower"], row["lower"], "falls below",
                         row["below_takes_over"]))
        for distance, limit, direction, other in ends:
            if best is None or distance < best[0]:
                best = (distance, Flip(row["criterion"], row["title"], row["weight"], limit,
                                       direction, other))
    return best[1] if best else None


def first_share(result: dict, option: str) -> float | None:
    mc = result["sensitivity"]["rank_acceptability"]
    if not mc:
        return None
    return next((o["p_first"] for o in mc["options"] if o["option"] == option), None)


def robustness(result: dict, subject: str = "It") -> str:
    """One sentence: the nearest flip point, and how often the winner stays first when the
    weights and the analysts vary. Only for a winner with a rival: with none, no weight can
    change the winner and the simulations would say 100% of nothing. `subject` names the
    winner when the sentence before spoke of another option."""
    winner = result["winner"]
    if not winner["runner_up"]:
        return ""
    flip = nearest_flip(result)
    if flip:
        sentence = (
            f"{subject} stays first unless the weight on {flip.title} ({flip.criterion}) "
            f"{flip.direction} {pct(flip.limit)} (now {pct(flip.weight)}), "
            f"when {flip.takes_over} would lead"
        )
    else:
        sentence = ("No single criterion’s weight, anywhere from none to all of it, would change "
                    "the winner")
        if statuses(result)["no_scores"]:
            sentence += " among the options scored"
    mc = result["sensitivity"]["rank_acceptability"]
    p = first_share(result, winner["option"])
    if p is not None:
        sentence += f"; it ranks first in {pct(p)} of {mc['draws']:,} simulations"
    return sentence + "."


def alone(result: dict) -> str:
    """Why the winner has no runner-up: the others are screened out, not scored, or absent."""
    found = statuses(result)
    out, unscored = len(found["screened_out"]), len(found["no_scores"])
    if not out and not unscored:
        return ", the only option in the case."
    if not unscored:
        return f", the only option left standing: red lines screen out {count(out, 'other option')}."
    not_scored = f"{count(unscored, 'other option')} {'is' if unscored == 1 else 'are'} not scored"
    if not out:
        return f", but it has no rival yet: {not_scored}."
    return (f", the only option ranked: red lines screen out {count(out, 'other option')} and "
            f"{not_scored}.")


def bluf(result: dict, *, screened: int, differs: str = "") -> str:
    """At most four lines: the recommended option, its margin, how robust it is; led by
    "Incomplete: ..." while scores are missing. `differs`: the sentence that says the team
    recommends another option than the comparison's first, which then leads."""
    return " ".join(filter(None, [
        coverage(result), bottom_line(result, screened=screened, differs=differs)
    ]))


def bottom_line(result: dict, *, screened: int, differs: str = "") -> str:
    winner = result["winner"]
    if differs:
        # The team's choice first, the ranking beside it: the numbers are never hidden.
        return " ".join(filter(None, [
            differs, robustness(result, subject=winner["option"]) if winner else ""
        ]))
    if winner is None:
        if screened:
            return ("No option can be recommended: every option the team scored crosses a red "
                    "line (see Red lines).")
        return "No option can be recommended yet: the team has not scored the options."
    ranking = {row["option"]: row for row in result["ranking"]}
    lead = (f"The team recommends {winner['option']}, {winner['title']}, which scores "
            f"{out_of_100(winner['total'])}")
    if winner["runner_up"]:
        runner = ranking[winner["runner_up"]]
        if winner["tied"]:
            lead += f", tied with {runner['option']}, {runner['title']}."
        else:
            # The scale was just stated: the runner-up's total is the bare number.
            lead += (f", {points_between(winner['total'], runner['total'])} ahead of "
                     f"{runner['option']} ({on_100(runner['total'])}).")
    else:
        lead += alone(result)
    return " ".join(filter(None, [lead, robustness(result)]))


# --- the split --------------------------------------------------------------------------

def camps(result: dict) -> dict[str, list[str]]:
    """Each option some analyst ranks first on their own scores -> those analysts (labels)."""
    groups: dict[str, list[str]] = {}
    for label, option in result["orders"]["analyst_winners"].items():
        groups.setdefault(option, []).append(label)
    return groups


def ranking_agreement(w: dict) -> str:
    if w["w"] is None:
        return ""
    # The statistic itself (Kendall's W) is named in the method tab, not in the body.
    strength = "strong" if w["w"] >= 0.6 else "moderate" if w["w"] >= 0.3 else "weak"
    return (f"Agreement among the {count(w['raters'], 'analyst')} on the order of the options "
            f"is {strength}.")
