"""The memo's body: the recommendation, the ranking, red lines, what the options touch,
dissent and method, each worded from the engine's result."""
from . import wording as w

ALTERNATIVES = 2  # a split memo's alternative recommendations, the largest camps first


def ranking_rows(result: dict) -> list[dict]:
    winner = result["winner"]
    rows = []
    for row in result["ranking"]:
        crossed = "; ".join(
            f"{line['criterion']} {w.points(line['score'])} "
            f"{'above' if line['direction'] == 'cost' else 'below'} {w.points(line['threshold'])}"
            for line in row["screened_out"]
        )
        gap = "–"
        if (winner and row["total"] is not None and row["status"] == "ranked"
                and row["option"] != winner["option"]):
            gap = w.points_between(winner["total"], row["total"])
        rows.append({
            "code": row["option"], "title": row["title"], "rank": row["rank"],
            "total": w.out_of_100(row["total"]), "gap": gap,
            "first": w.pct(w.first_share(result, row["option"])),
            "status": row["status"], "screened": crossed if row["status"] == "screened_out" else "",
            "covered": w.pct(row["weight_covered"])
            if row["status"] == "ranked" and row["weight_covered"] < 1 else "",
            "unscored": row["status"] == "no_scores",
        })
    return rows


def recommendations(result: dict, names: dict, recommended: dict | None = None) -> list[dict]:
    """The team's recommendation and, where analysts' own rankings put another option first,
    theirs: a split memo's alternatives, each with the analysts who hold it. `recommended`
    (code, title, differs): the option the team names when it is not the comparison's first;
    it leads, with the ranking beside it."""
    winner = result["winner"]
    if winner is None and recommended is None:
        return []
    groups = w.camps(result)
    titles = {o["code"]: o["title"] for o in result["options"]}
    scorers = len(result["orders"]["analyst_winners"])
    if recommended is not None:
        main = {"option": recommended["code"], "title": recommended["title"], "who": "",
                "differs": recommended["differs"]}
        groups.pop(recommended["code"], None)
    else:
        backers = groups.pop(winner["option"], [])
        main = {"option": winner["option"], "title": winner["title"], "who": "", "differs": ""}
        if groups:
            main["who"] = ("The team’s recommendation, on the group’s scores; "
                           + w.of(len(backers), scorers))
            if backers:
                main["who"] += (f" ({w.listing([names.get(b, b) for b in backers])}) also rank "
                                "it first on their own scores.")
            else:
                main["who"] += " rank it first on their own scores."
    alternatives = [
        {"option": option, "title": titles[option], "differs": "",
         "who": f"Recommended by {w.listing([names.get(a, a) for a in analysts])}, who "
                f"{'ranks' if len(analysts) == 1 else 'each rank'} it first on their own scores."}
        for option, analysts in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    return [main, *alternatives[:ALTERNATIVES]]


def differs_sentence(result: dict, ranking: list[dict], code: str, *, screened: int) -> str:
    """What the numbers say of an option the team recommends over the comparison's first:
    "The weighted comparison ranks O5 first (62 out of 100) and O3 third (49 out of 100)."
    Empty when the option is the first."""
    winner = result["winner"]
    row = next(row for row in ranking if row["code"] == code)
    if winner is None:
        return w.bottom_line(result, screened=screened)
    if code == winner["option"]:
        return ""
    first = (f"The weighted comparison ranks {winner['option']} first "
             f"({w.out_of_100(winner['total'])})")
    if row["rank"] == 1:
        return f"{first}, tied with {code} ({row['total']})."
    if row["rank"]:
        return f"{first} and {code} {w.ordinal(row['rank'])} ({row['total']})."
    if row["screened"]:
        return f"{first}; a red line screens {code} out ({row['screened']})."
    return f"{first}; {code} is not scored, so not compared."


def principles_lead(principles: list[dict]) -> str:
    lines = sum(p["red_line"] for p in principles)
    lead = f"The options were judged against {w.count(len(principles), 'principle')}"
    if lines:
        lead += (f", {w.count(lines, 'of them a red line', 'of them red lines')} that screen"
                 f"{'s' if lines == 1 else ''} out an option falling below "
                 f"{'it' if lines == 1 else 'them'}: "
                 + w.listing([f"{p['code']} {p['title']}" for p in principles if p["red_line"]]))
    return lead


def team_sentence(result: dict) -> str:
    done = result["completeness"]
    analysts = len(result["analysts"])
    if done["expected"] and done["present"] >= done["expected"]:
        said = (f"{w.capital(w.count(analysts, 'analyst'))} scored "
                f"{w.count(len(result['options']), 'option')} against "
                f"{len(result['criteria'])} criteria in round {result['settings']['round']}: "
                f"all {done['expected']:,} scores")
    else:
        said = (f"{w.capital(w.count(analysts, 'analyst'))} {'was' if analysts == 1 else 'were'}"
                f" to score {w.count(len(result['options']), 'option')} against "
                f"{len(result['criteria'])} criteria in round {result['settings']['round']}; "
                f"{done['present']:,} of {done['expected']:,} scores are in "
                f"({w.share_of(done['present'], done['expected'])})")
    return said + "."


def ranking_sentence(result: dict, ranking: list[dict]) -> str:
    ranked = [row for row in ranking if row["status"] == "ranked"]
    if not ranked:
        return ""
    out = len([row for row in ranking if row["screened"]])
    unscored = [row["code"] for row in ranking if row["unscored"]]
    text = (f"{w.capital(w.count(len(ranked), 'option'))} "
            f"{'remains' if len(ranked) == 1 else 'remain'} in the comparison")
    if out:
        text += (f" after {w.count(out, 'option')} {'was' if out == 1 else 'were'} screened out "
                 f"by {'a red line' if out == 1 else 'red lines'}")
    text += f". {ranked[0]['code']} leads"
    if len(ranked) > 1:
        text += f"; {ranked[-1]['code']} comes last at {ranked[-1]['total']}"
    text += "."
    if unscored:
        text += (f" {w.listing(unscored)} {'is' if len(unscored) == 1 else 'are'} not scored, "
                 "so not compared.")
    return text


def red_line_sentences(result: dict, parts: dict) -> list[str]:
    criteria = {c["code"]: c for c in result["criteria"]}
    out = []
    for row in result["ranking"]:
        for line in row["screened_out"]:
            origin = criteria[line["criterion"]]["origin"]
            principle = (f" that {origin} ({parts['origins'][origin]}) draws"
                         if origin in parts["origins"] else "")
            side = "above" if line["direction"] == "cost" else "below"
            out.append(
                f"{row['option']} {row['title']} crosses a red line: the team scores it "
                f"{w.points(line['score'])} on {line['criterion']} {line['title']}, {side} the "
                f"threshold of {w.points(line['threshold'])}{principle}."
            )
    lines = [c["code"] for c in result["criteria"] if c["red_line_threshold"] is not None]
    if out or not lines:
        return out
    scores = result["matrix"]["scores"]
    # Only what was scored can be said to stay within a line.
    unchecked = [o["code"] for o in result["options"]
                 if any(scores[o["code"]][line] is None for line in lines)]
    if not unchecked:
        return [f"No option crosses a red line ({w.listing(lines)})."]
    if len(unchecked) == len(result["options"]):
        return [f"No option has been checked against the red lines ({w.listing(lines)}): "
                "the team has not scored them on those criteria."]
    return [f"No option scored on the red lines ({w.listing(lines)}) crosses one; "
            f"{w.listing(unchecked)} {'has' if len(unchecked) == 1 else 'have'} no score on "
            f"{'it' if len(lines) == 1 else 'them'}, so {'is' if len(unchecked) == 1 else 'are'} "
            "not checked."]


def touches(result: dict, parts: dict) -> list[dict]:
    """Per option, in ranking order: the risks (mitigation criteria) it does most and least
    against, and the actors (acceptability criteria) it suits most and least, by the team's
    normalised score."""
    normalised, raw = result["matrix"]["normalised"], result["matrix"]["scores"]
    groups = {
        "risk": [c for c in result["criteria"] if c["kind"] == "mitigation" and c["origin"]],
        "actor": [c for c in result["criteria"] if c["kind"] == "acceptability" and c["origin"]],
    }
    rows = []
    for row in result["ranking"]:
        code = row["option"]
        found = {"code": code, "title": row["title"]}
        for kind, criteria in groups.items():
            scored = sorted(
                ((normalised[code][c["code"]], c) for c in criteria
                 if normalised[code][c["code"]] is not None),
                key=lambda item: (-item[0], item[1]["code"]),
            )
            if len(scored) >= 2:
                for end, (_, criterion) in (("best", scored[0]), ("worst", scored[-1])):
                    found[f"{kind}_{end}"] = {
                        "origin": criterion["origin"],
                        "name": parts["origins"].get(criterion["origin"], criterion["title"]),
                        "score": w.points(raw[code][criterion["code"]]),
                        "max": w.points(criterion["scale_max"]), "criterion": criterion["code"],
                    }
        rows.append(found)
    return rows


def touch_sentence(row: dict) -> str:
    """The recommended option's best and worst risk and actor, in a sentence."""
    def part(item):
        return (f"{item['origin']} {item['name']} ({item['score']} of {item['max']} on "
                f"{item['criterion']})")

    said = []
    if "risk_best" in row:
        said.append(f"does most against {part(row['risk_best'])} and least against "
                    f"{part(row['risk_worst'])}")
    if "actor_best" in row:
        said.append(f"is most acceptable to {part(row['actor_best'])} and least to "
                    f"{part(row['actor_worst'])}")
    return f"{row['code']} " + "; it ".join(said) + "." if said else ""


def contested_intro(result: dict, contested: int) -> str:
    cells = sum(1 for cell in result["disagreement"]["cells"])
    # One analyst's score is no agreement: count the cells at least two analysts scored.
    shared = sum(1 for cell in result["disagreement"]["cells"] if cell["n"] >= 2)
    if not contested and not shared:
        return ("No cell has scores from two analysts yet, so there is no agreement or "
                "disagreement to report.")
    if not contested:
        where = "the one cell" if shared == 1 else f"all {shared:,} cells"
        return (f"The team agrees on {where} scored by two or more analysts: on none are the "
                "middle half of the scores more than one scale point apart.")
    return (f"The team splits on {w.count(contested, 'cell')} of {cells} (the middle half of "
            "the analysts’ scores more than one scale point apart). The most contested, with "
            "the reasons at either end:")


def dissent_sentences(result: dict, names: dict) -> list[str]:
    out = []
    winner = result["winner"]
    groups = w.camps(result)
    if winner:
        for option, analysts in groups.items():
            if option == winner["option"]:
                continue
            who = w.listing([names.get(a, a) for a in analysts])
            if len(analysts) == 1:
                said = f"One analyst, {who}, ranks {option} first"
            else:
                said = f"{w.capital(w.count(len(analysts), 'analyst'))} ({who}) rank {option} first"
            out.append(f"{said} on their own scores, not {winner['option']}.")
    if winner and list(groups) == [winner["option"]]:
        backers, analysts = len(groups[winner["option"]]), len(result["analysts"])
        complete = all(share == 1 for share in result["completeness"]["analysts"].values())
        if complete and backers == analysts:
            out.append(
                f"No analyst dissents: each ranks {winner['option']} first on their own scores."
            )
        else:
            # A ranking on a few scores is no consensus: say how many ranked, and on what.
            out.append(
                f"{w.capital(w.of(backers, analysts))} {'ranks' if backers == 1 else 'rank'} "
                f"{winner['option']} first on their own scores, which are incomplete; none "
                "ranks another option first."
            )
    orders = result["orders"]
    if orders["winners_differ"]:
        individual = orders["weight_then_aggregate"]
        out.append(
            f"Weighting each analyst’s scores first and then taking the team’s "
            f"{w.AGGREGATIONS[result['settings']['aggregation']]} puts {individual['winner']} "
            f"first ({w.out_of_100(individual['totals'][individual['winner']])}): the team as "
            f"individuals leans to {individual['winner']}, the team as one to "
            f"{orders['aggregate_then_weight']['winner']}."
        )
    agreement = w.ranking_agreement(result["disagreement"]["kendall_w"])
    if agreement:
        out.append(agreement)
    return out


def method_sentences(result: dict) -> list[str]:
    settings, weights = result["settings"], result["weights"]
    weighting = w.WEIGHTINGS.get(weights["method"], weights["method"])
    if weights["source"] == "defaults":
        weighting = "the case’s default weights (the facilitator set none)"
    elif weights["source"] == "analysts":
        analysts = weights["analysts"]
        how = ("from the geometric mean of their judgements"
               if analysts["aggregation"] == "geometric_mean" else "the mean of theirs")
        weighting += (f" that each of {w.count(analysts['given'], 'analyst')} gave (the team’s "
                      f"weights: {how})")
    if weights["ahp"]:
        weighting += f" (consistency ratio {weights['ahp']['consistency_ratio']:.2f})"
    out = [
        "Each analyst scored every option on every criterion on the criterion’s own scale, "
        "privately, with a sentence of rationale. Scores were normalised to 0–1 by each scale "
        "(cost criteria inverted); the team’s "
        f"{w.AGGREGATIONS.get(settings['aggregation'], settings['aggregation'])} per cell was "
        f"weighted by {weighting} and combined by "
        f"{w.METHODS.get(settings['method'], settings['method'])}. Options below a red line "
        "were screened out first.",
    ]
    if settings["method"] == "topsis":
        scale = ("A total is the option’s TOPSIS closeness: how near it lies to an ideal option "
                 "with the best score on every criterion and how far from one with the worst")
    else:
        scale = "A total is the weighted average of the option’s normalised scores"
    out.append(
        f"{scale}, shown out of 100 (0 for the worst score on every criterion, 100 for the "
        "best); a margin is the difference between two totals, in points on that scale. An "
        "option not scored on every criterion is totalled on the criteria scored, and the "
        "ranking table says what share of the weight those carry."
    )
    mc = result["sensitivity"]["rank_acceptability"]
    if mc:
        out.append(f"Tab 2 tests the result against each criterion’s weight and in "
                   f"{mc['draws']:,} simulations.")
    kendall = result["disagreement"]["kendall_w"]
    if kendall["w"] is not None:
        out.append(
            f"Agreement on the order of the options is Kendall’s W, {kendall['w']:.2f} across "
            f"{w.count(kendall['raters'], 'analyst')}: 0 when their rankings are unrelated, 1 "
            "when they are identical; the memo calls 0.6 and over strong, under 0.3 weak."
        )
    return out
