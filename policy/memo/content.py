"""What the memo says: the workshop's result (the same `workshop_result()` that
`results --json` prints) and its case, turned into the template's context.

Nothing here computes results: numbers come from the engine's dict; this module only picks,
orders and words them, and reads from the database what the engine does not carry (the case's
texts, the rationales, the participants' names). The body's words are in body.py, the tabs'
tables and charts in tabs.py.
"""

from django.utils import timezone

from .. import charts
from ..workshops.frames import cell_rationales
from ..workshops.results import workshop_result
from ..workshops.rounds import convergence
from ..models import Membership, Score, Workshop
from ..scoring import ScoringError
from . import wording as w
from .settings import apply_settings
from .texts import apply_texts, texts_for
from .body import (
    contested_intro,
    differs_sentence,
    dissent_sentences,
    method_sentences,
    principles_lead,
    ranking_rows,
    ranking_sentence,
    recommendations,
    red_line_sentences,
    team_sentence,
    touch_sentence,
    touches,
)
from .changes import changes_since
from .tabs import (
    acceptability_rows,
    comparison_chart,
    flip_rows,
    matrix_rows,
    order_rows,
    svg_chart,
    weight_rows,
)

QUOTED_CELLS = 1  # contested cells quoted in the body (Tab 3 quotes the rest)
APPENDIX_CELLS = 12  # contested cells whose rationales Tab 3 prints in full


SAVED = object()


def memo_context(workshop: Workshop, *, today=None, recommended=SAVED) -> dict:
    """Everything templates/memo/memo.html shows, for the workshop as it is now. `recommended`:
    an Option (or None) to draft for in place of the one saved, as a save about to name it."""
    result = workshop_result(workshop)
    saved = texts_for(workshop, result["settings"]["round"])
    if recommended is SAVED:
        recommended = saved.recommended if saved else None
    context = build_context(
        workshop, result, today=today or timezone.localdate(), recommended=recommended,
    )
    context["changes"] = round_changes(workshop, result)
    # The facilitator's words and lines over the drafted ones.
    return apply_settings(apply_texts(context, saved), workshop)


def round_changes(workshop: Workshop, result: dict) -> dict | None:
    """From round 2: what changed since the round before (None in round 1)."""
    now = result["settings"]["round"]
    if now < 2:
        return None
    try:
        # The same cached result the results page shows for that round.
        before = workshop_result(workshop, now - 1)
    except ScoringError:
        return None
    revised = Score.objects.filter(
        workshop=workshop, round=now, carried_from__isnull=True
    ).count()
    return changes_since(before, result, convergence(workshop), revised)


def build_context(workshop: Workshop, result: dict, *, today, recommended=None) -> dict:
    """The drafted memo. `recommended`: the Option the team names, when it has named one."""
    case = workshop.case
    parts = case_parts(case)
    people = participants(workshop, result)
    ranking = ranking_rows(result)
    screened = [row for row in ranking if row["screened"]]
    chosen = team_choice(result, ranking, recommended, screened=len(screened))
    recs = recommendations(result, people["names"], chosen)
    contested = [cell for cell in result["disagreement"]["cells"] if cell["contested"]]
    quotes = rationales(workshop, result, contested[:APPENDIX_CELLS], people["names"])
    winner = result["winner"]
    touch_rows = touches(result, parts)
    touched = touch_sentence(touch_rows[0]) if winner and touch_rows else ""
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
        "bluf": w.bluf(result, screened=len(screened),
                       differs=f"{chosen['said']} {chosen['differs']}" if chosen else ""),
        # The reasoning drafted under the recommendation: a split team's, who holds it.
        "reasoning": recs[0]["who"] if recs else "",
        "winner": winner,
        "winner_summary": parts["options"][winner["option"]]["summary"] if winner else "",
        "recommendations": recs,
        "question": case.question,
        "principles": parts["principles"],
        "principles_lead": principles_lead(parts["principles"]),
        "team_sentence": team_sentence(result),
        "ranking": ranking,
        "ranking_sentence": ranking_sentence(result, ranking),
        "red_lines": red_line_sentences(result, parts),
        "touches": touch_rows,
        "touch_sentence": touched + " Tab 4 sets out the same for every option." if touched else "",
        "contested_count": len(contested),
        "contested_intro": contested_intro(result, len(contested)),
        "quoted": quotes[:QUOTED_CELLS],
        "appendix_cells": quotes,
        "appendix_more": max(0, len(contested) - APPENDIX_CELLS),
        "contested_note": contested_note(len(contested), len(quotes)),
        "dissent": dissent_sentences(result, people["names"]),
        "method": method_sentences(result),
        "warnings": [item["message"] for item in result["warnings"]
                     if item["code"] not in ("winners_differ", "tie_for_first")],
        "chart": comparison_chart(result),
        "weights": weight_rows(result),
        "weights_entered": result["weights"]["source"] in ("inputs", "judgements"),
        "analysts_weighted": result["weights"]["source"] == "analysts",
        "orders": order_rows(result),
        "flips": flip_rows(result),
        "acceptability": acceptability_rows(result),
        "matrix": matrix_rows(result),
        "case_parts": parts,
        "actor_map": svg_chart(getattr(charts, "actor_map", None), parts["actors"]),
        "risk_map": svg_chart(getattr(charts, "risk_heatmap", None), parts["risks"]),
        "sources": parts["sources"],
        "drafted_by": facilitator or "The workshop team",
        "analyst_names": [people["names"].get(label, label) for label in result["analysts"]],
        "observers": people["observers"],
        "anonymous": workshop.anonymous,
        "workshop": workshop,
    }


def team_choice(result: dict, ranking: list[dict], option, *, screened: int) -> dict | None:
    """The option the team recommends over the comparison's first, with what the numbers say
    of it; None when the team named none, or named the first."""
    if option is None or not any(row["code"] == option.code for row in ranking):
        return None
    differs = differs_sentence(result, ranking, option.code, screened=screened)
    if not differs:
        return None
    return {"code": option.code, "title": option.title, "differs": differs,
            "said": f"The team recommends {option.code}, {option.title}."}


def contested_note(contested: int, quoted: int) -> str:
    if contested <= QUOTED_CELLS:
        return ""
    cells = (f"the {quoted} most contested cells" if contested > APPENDIX_CELLS
             else f"all {contested} contested cells")
    return f"Tab 3 gives every analyst’s score and rationale for {cells}."


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
         "stance_label": a.get_stance_display()}
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
    # Joining order: the first facilitator is the one named; observers listed as they came.
    members = list(
        Membership.objects.filter(workshop=workshop)
        .order_by("joined_at", "id").select_related("user")
    )
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
    said = cell_rationales(
        workshop, result["settings"]["round"], {(c["option"], c["criterion"]) for c in cells}
    )
    titles = {o["code"]: o["title"] for o in result["options"]}
    criteria = {c["code"]: c for c in result["criteria"]}
    out = []
    for cell in cells:
        scores = [
            {"label": label, "analyst": names.get(label, label), "value": w.points(value),
             "raw": value, "rationale": text}
            for label, value, text in said.get((cell["option"], cell["criterion"]), [])
        ]
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
