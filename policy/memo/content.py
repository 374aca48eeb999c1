"""What the memo says: the workshop's result (the same `compare(...).to_dict()` that
`results --json` prints) and its case, turned into the template's context.

Nothing here computes results: numbers come from the engine's dict; this module only picks,
orders and words them, and reads from the database what the engine does not carry (the case's
texts, the rationales, the participants' names).
"""
import re

import numpy as np
from django.utils import timezone

from .. import charts
from ..frames import analyst_labels, workshop_frames
from ..models import Membership, Score, Workshop
from ..scoring import compare
from . import wording as w

QUOTED_CELLS = 3  # contested cells quoted in the body
ALTERNATIVES = 2  # a split memo's alternative recommendations, the largest camps first
APPENDIX_CELLS = 12  # contested cells whose rationales Tab 3 prints in full
STANCES = {-2: "−2 opposes", -1: "−1", 0: "0 neutral", 1: "+1", 2: "+2 supports"}


def memo_context(workshop: Workshop, *, today=None) -> dict:
    """Everything templates/memo/memo.html shows, for the workshop as it is now."""
    result = compare(workshop_frames(workshop)).to_dict()
    return build_context(workshop, result, today=today or timezone.localdate())


def build_context(workshop: Workshop, result: dict, *, today) -> dict:
    case = workshop.case
    parts = case_parts(case)
    people = participants(workshop, result)
    ranking = ranking_rows(result)
    screened = [row for row in ranking if row["screened"]]
    contested = [cell for cell in result["disagreement"]["cells"] if cell["contested"]]
    quotes = rationales(workshop, result, contested[:APPENDIX_CELLS], people["names"])
    winner = result["winner"]
    touch_rows = touches(result, parts)
    facilitator = people["facilitator"]
    analysts = len(result["analysts"])
    return {
        "result": result,
        "title": f"Action memo: {case.title}",
        "handling": workshop.handling,
        "date": today,
        "letterhead": "Options Room",
        "letterhead_sub": f"Policy options workshop · {workshop.title}",
        "memo_for": f"the principal ({case.decider})",
        "from_line": (f"{facilitator}, facilitator, for " if facilitator else "")
        + f"the workshop team ({w.count(analysts, 'analyst')})",
        "subject": f"{case.title}: the options compared and the team’s recommendation",
        "bluf": w.bluf(result, screened=len(screened)),
        "winner": winner,
        "winner_summary": parts["options"][winner["option"]]["summary"] if winner else "",
        "recommendations": recommendations(result, people["names"]),
        "question": case.question,
        "principles": parts["principles"],
        "principles_lead": principles_lead(parts["principles"]),
        "team_sentence": team_sentence(result),
        "ranking": ranking,
        "ranking_sentence": ranking_sentence(result, ranking),
        "red_lines": red_line_sentences(result, parts),
        "touches": touch_rows,
        "touch_sentence": touch_sentence(touch_rows[0]) if winner and touch_rows else "",
        "contested_count": len(contested),
        "contested_intro": contested_intro(result, len(contested)),
        "quoted": quotes[:QUOTED_CELLS],
        "appendix_cells": quotes,
        "appendix_more": max(0, len(contested) - APPENDIX_CELLS),
        "dissent": dissent_sentences(result, people["names"]),
        "method": method_sentences(result),
        "warnings": [item["message"] for item in result["warnings"]
                     if item["code"] not in ("winners_differ", "tie_for_first")],
        "chart": comparison_chart(result),
        "weights": weight_rows(result),
        "weights_entered": result["weights"]["source"] != "defaults",
        "orders": order_rows(result),
        "flips": flip_rows(result),
        "acceptability": acceptability_rows(result),
        "matrix": matrix_rows(result),
        "case_parts": parts,
        "actor_map": _chart(getattr(charts, "actor_map", None), parts["actors"]),
        "risk_map": _chart(getattr(charts, "risk_heatmap", None), parts["risks"]),
        "sources": parts["sources"],
        "drafted_by": facilitator or "The workshop team",
        "analyst_names": [people["names"].get(label, label) for label in result["analysts"]],
        "observers": people["observers"],
        "anonymous": workshop.anonymous,
        "workshop": workshop,
    }


# --- reading what the engine does not carry -----------------------------------------------

def case_parts(case) -> dict:
    """The case's texts by code, in the case's order."""
    principles = [
        {"code": p.code, "title": p.title, "statement": p.statement, "red_line": p.red_line}
        for p in case.principles.all()
    ]
    actors = [
        {"code": a.code, "name": a.name, "label": a.name, "kind": a.kind,
         "kind_label": a.get_kind_display(), "influence": a.influence, "stance": a.stance,
         "stance_label": STANCES.get(a.stance, str(a.stance))}
        for a in case.actors.all()
    ]
    risks = [
        {"code": r.code, "title": r.title, "label": r.title, "likelihood": r.likelihood,
         "impact": r.impact, "severity": r.severity,
         "actors": [a.code for a in r.actors.all()]}
        for r in case.risks.prefetch_related("actors")
    ]
    options = {o.code: {"title": o.title, "summary": o.summary} for o in case.options.all()}
    sources = [{"code": s.code, "citation": s.citation, "url": s.url} for s in case.sources.all()]
    titles = {p["code"]: p["title"] for p in principles}
    titles.update({a["code"]: a["name"] for a in actors})
    titles.update({r["code"]: r["title"] for r in risks})
    return {"principles": principles, "actors": actors, "risks": risks, "options": options,
            "sources": sources, "origins": titles}


def display_name(user) -> str:
    return user.get_full_name() or user.username


def participants(workshop: Workshop, result: dict) -> dict:
    """Analyst label (as the engine names them) -> the name the memo prints; the facilitator;
    the observers. Anonymous workshops print "Analyst A1" and name no analyst or observer."""
    members = list(Membership.objects.filter(workshop=workshop).select_related("user"))
    facilitators = [m.user for m in members if m.role == Membership.Role.FACILITATOR]
    facilitator = display_name(facilitators[0]) if facilitators else ""
    if workshop.anonymous:
        names = {label: f"Analyst {label}" for label in result["analysts"]}
        observers = []
    else:
        users = {m.user.username: m.user for m in members}
        names = {label: display_name(users[label]) if label in users else label
                 for label in result["analysts"]}
        observers = [display_name(m.user) for m in members if m.role == Membership.Role.OBSERVER]
    return {"names": names, "facilitator": facilitator, "observers": observers}


def rationales(workshop: Workshop, result: dict, cells: list[dict], names: dict) -> list[dict]:
    """The contested cells with every analyst's score and rationale, lowest score first."""
    if not cells:
        return []
    wanted = {(cell["option"], cell["criterion"]) for cell in cells}
    rows = list(
        Score.objects.filter(
            workshop=workshop, round=result["settings"]["round"],
            option__code__in={o for o, _ in wanted}, criterion__code__in={c for _, c in wanted},
        ).values_list("analyst_id", "option__code", "criterion__code", "value", "rationale")
    )
    # Label as the engine does (frames.analyst_labels), from every scorer of the round, so that
    # an anonymous workshop's codes match the result's.
    scorers = Score.objects.filter(workshop=workshop, round=result["settings"]["round"])
    scorer_ids = sorted(scorers.order_by().values_list("analyst_id", flat=True).distinct())
    labels = analyst_labels(workshop, np.array(scorer_ids, dtype=int))
    said: dict[tuple, list[dict]] = {}
    for analyst_id, option, criterion, value, text in rows:
        if (option, criterion) in wanted:
            label = labels.get(analyst_id, str(analyst_id))
            said.setdefault((option, criterion), []).append({
                "label": label, "analyst": names.get(label, label), "value": w.points(value),
                "raw": value, "rationale": text.strip(),
            })
    titles = {o["code"]: o["title"] for o in result["options"]}
    criteria = {c["code"]: c for c in result["criteria"]}
    out = []
    for cell in cells:
        scores = sorted(said.get((cell["option"], cell["criterion"]), []),
                        key=lambda s: (s["raw"], s["label"]))
        criterion = criteria[cell["criterion"]]
        ends = [scores[0], scores[-1]] if len(scores) > 1 else scores
        out.append({
            "option": cell["option"], "option_title": titles[cell["option"]],
            "criterion": cell["criterion"], "criterion_title": criterion["title"],
            "scale": f"{w.points(criterion['scale_min'])}–{w.points(criterion['scale_max'])}",
            "median": w.points(cell["median"]), "iqr": w.points(cell["iqr"]), "n": cell["n"],
            "low": w.points(min(cell["values"].values())),
            "high": w.points(max(cell["values"].values())),
            "scores": scores,
            "ends": [s for s in ends if s["rationale"]],
        })
    return out


# --- the body -----------------------------------------------------------------------------

def ranking_rows(result: dict) -> list[dict]:
    winner = result["winner"]
    rows = []
    for row in result["ranking"]:
        crossed = "; ".join(
            f"{line['criterion']} {w.points(line['score'])} "
            f"{'above' if line['direction'] == 'cost' else 'below'} {w.points(line['threshold'])}"
            for line in row["screened_out"]
        )
        gap = None
        if winner and row["total"] is not None and row["status"] == "ranked":
            gap = winner["total"] - row["total"]
        rows.append({
            "code": row["option"], "title": row["title"], "rank": row["rank"],
            "total": w.total(row["total"]), "gap": w.total(gap) if gap else "–",
            "first": w.pct(w.first_share(result, row["option"])),
            "status": row["status"], "screened": crossed if row["status"] == "screened_out" else "",
            "unscored": row["status"] == "no_scores",
        })
    return rows


def recommendations(result: dict, names: dict) -> list[dict]:
    """The team's recommendation and, where analysts' own rankings put another option first,
    theirs: a split memo's alternatives, each with the analysts who hold it."""
    winner = result["winner"]
    if winner is None:
        return []
    groups = w.camps(result)
    titles = {o["code"]: o["title"] for o in result["options"]}
    scorers = len(result["orders"]["analyst_winners"])
    backers = groups.pop(winner["option"], [])
    main = {"option": winner["option"], "title": winner["title"], "who": ""}
    if groups:
        main["who"] = ("The team’s recommendation, on the group’s scores; "
                       + w.of(len(backers), scorers))
        if backers:
            main["who"] += (f" ({w.listing([names.get(b, b) for b in backers])}) also rank it "
                            "first on their own scores.")
        else:
            main["who"] += " rank it first on their own scores."
    alternatives = [
        {"option": option, "title": titles[option],
         "who": f"Recommended by {w.listing([names.get(a, a) for a in analysts])}, who "
                f"{'ranks' if len(analysts) == 1 else 'each rank'} it first on their own scores."}
        for option, analysts in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    return [main, *alternatives[:ALTERNATIVES]]


def principles_lead(principles: list[dict]) -> str:
    lines = sum(p["red_line"] for p in principles)
    lead = f"The options were judged against {w.count(len(principles), 'principle')}"
    if lines:
        lead += (f", {w.count(lines, 'of them a red line', 'of them red lines')} that screen"
                 f"{'s' if lines == 1 else ''} out an option falling below "
                 f"{'it' if lines == 1 else 'them'}")
    return lead


def team_sentence(result: dict) -> str:
    done = result["completeness"]
    return (
        f"{w.capital(w.count(len(result['analysts']), 'analyst'))} scored "
        f"{w.count(len(result['options']), 'option')} against "
        f"{len(result['criteria'])} criteria in round {result['settings']['round']}: "
        f"{done['present']:,} of {done['expected']:,} scores ({w.pct(done['overall'])})."
    )


def ranking_sentence(result: dict, ranking: list[dict]) -> str:
    ranked = [row for row in ranking if row["status"] == "ranked"]
    if not ranked:
        return ""
    out = len([row for row in ranking if row["screened"]])
    text = f"{w.capital(w.count(len(ranked), 'option'))} remain in the comparison"
    if out:
        verb = "was" if out == 1 else "were"
        text += f" after {w.count(out, 'option')} {verb} screened out by red lines"
    text += f". {ranked[0]['code']} leads"
    if len(ranked) > 1:
        text += f"; {ranked[-1]['code']} comes last at {ranked[-1]['total']}"
    return text + "."


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
    if not out:
        lines = [c["code"] for c in result["criteria"] if c["red_line_threshold"] is not None]
        if lines:
            out.append(f"No option crosses a red line ({w.listing(lines)}).")
    return out


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
    if not contested:
        return (f"The team agrees on all {cells} cells: no interquartile range exceeds one "
                "scale point.")
    return (f"The team splits on {w.count(contested, 'cell')} of {cells} (interquartile range "
            f"above one scale point). The most contested, with the rationales at either end:")


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
        out.append(f"No analyst dissents: each ranks {winner['option']} first on their own scores.")
    orders = result["orders"]
    if orders["winners_differ"]:
        individual = orders["weight_then_aggregate"]
        out.append(
            f"Weighting each analyst’s scores first and then taking the team’s "
            f"{w.AGGREGATIONS[result['settings']['aggregation']]} puts {individual['winner']} "
            f"first ({w.total(individual['totals'][individual['winner']])}): the team as "
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
    elif weights["ahp"]:
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
    mc = result["sensitivity"]["rank_acceptability"]
    if mc:
        out[0] += (f" Tab 2 tests the result against each criterion’s weight and in "
                   f"{mc['draws']:,} simulations.")
    return out


# --- the tabs -----------------------------------------------------------------------------

def comparison_chart(result: dict) -> str:
    ranked = [row for row in result["ranking"] if row["status"] == "ranked"]
    if not ranked:
        return ""
    criteria = result["criteria"]
    bars = [
        charts.Bar(
            label=_short(f"{row['option']} {row['title']}", 30),
            segments=[(f"{c['code']} {c['title']}",
                       result["contributions"][row["option"]][c["code"]] or 0.0)
                      for c in criteria],
            total=row["total"],
        )
        for row in ranked
    ]
    title = "Weighted totals, stacked by criterion: " + "; ".join(
        f"{row['option']} {w.total(row['total'])}" for row in ranked)
    return _with_font(charts.stacked_bars(bars, title=title))


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _with_font(svg: str) -> str:
    """The chart as the memo prints it: its fixed pixel size dropped, so that it scales to the
    text width by its viewBox; and a font from static/ where it names none."""
    end = svg.find(">")
    if not svg.startswith("<svg ") or end < 0:
        return svg
    head = re.sub(r'\s(width|height)="[^"]*"', "", svg[:end])
    if "font-family" not in head:
        head += ' font-family="Public Sans"'
    return head + svg[end:]


def _chart(function, items) -> str:
    return _with_font(function(items)) if function and items else ""


def weight_rows(result: dict) -> list[dict]:
    weights = result["weights"]
    return [
        {"code": c["code"], "title": c["title"], "origin": c["origin"] or "",
         "cost": c["direction"] == "cost", "red_line": w.points(c["red_line_threshold"])
         if c["red_line_threshold"] is not None else "",
         "input": w.points(weights["inputs"][c["code"]]), "share": w.total(c["weight"])}
        for c in result["criteria"]
    ]


def order_rows(result: dict) -> list[dict]:
    orders = result["orders"]
    one, many = orders["aggregate_then_weight"]["totals"], orders["weight_then_aggregate"]["totals"]
    return [{"code": o["code"], "title": o["title"], "one": w.total(one[o["code"]]),
             "many": w.total(many[o["code"]])} for o in result["options"]]


def flip_rows(result: dict) -> list[dict]:
    return [
        {"code": row["criterion"], "title": row["title"], "weight": w.total(row["weight"]),
         "lower": w.total(row["lower"]), "upper": w.total(row["upper"]),
         "below": row["below_takes_over"] or "", "above": row["above_takes_over"] or ""}
        for row in result["sensitivity"]["flip_points"]
    ]


def acceptability_rows(result: dict) -> dict | None:
    mc = result["sensitivity"]["rank_acceptability"]
    if not mc:
        return None
    titles = {o["code"]: o["title"] for o in result["options"]}
    rows = sorted(mc["options"], key=lambda o: -(o["p_first"] or 0))
    return {
        "draws": f"{mc['draws']:,}",
        "seed": mc["seed"],
        "ranks": list(range(1, len(result["options"]) + 1)),
        "rows": [
            {"code": o["option"], "title": titles[o["option"]], "first": w.pct(o["p_first"]),
             "weights": w.pct(o["p_first_weights"]), "analysts": w.pct(o["p_first_analysts"]),
             "screened": w.pct(o["p_screened"]), "ranks": [w.pct(r) for r in o["ranks"]]}
            for o in rows
        ],
    }


def matrix_rows(result: dict) -> dict:
    """Criteria down, options across: the team's score per cell, its IQR, contested marked."""
    spread = {(c["option"], c["criterion"]): c for c in result["disagreement"]["cells"]}
    options = [o["code"] for o in result["options"]]
    rows = []
    for c in result["criteria"]:
        cells = []
        for o in options:
            cell = spread.get((o, c["code"]))
            cells.append({
                "value": w.points(result["matrix"]["scores"][o][c["code"]]),
                "iqr": w.points(cell["iqr"]) if cell else "",
                "contested": bool(cell and cell["contested"]),
            })
        rows.append({"code": c["code"], "title": c["title"],
                     "scale": f"{w.points(c['scale_min'])}–{w.points(c['scale_max'])}",
                     "cost": c["direction"] == "cost", "cells": cells})
    return {"options": options, "rows": rows}
