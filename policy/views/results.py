"""The group results: the ranking, the chart, disagreement, sensitivity, red lines."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from ..charts import contribution_bars, stacked_bars
from ..workshops.frames import cell_rationales, workshop_frames
from ..models import Workshop
from ..workshops.permissions import can_see_group, is_facilitator, membership_for, require_group_view
from ..workshops.rounds import convergence
from ..scoring import ScoringError, compare

CONTESTED_SHOWN = 12


def results_context(workshop: Workshop, round: int | None = None) -> dict:
    """The comparison as the page needs it, or the engine's message when there is none."""
    try:
        result = compare(workshop_frames(workshop, round)).to_dict()
    except ScoringError as error:
        return {"result": None, "result_error": str(error)}
    titles = {o["code"]: o["title"] for o in result["options"]}
    return {
        "result": result,
        "option_titles": titles,
        "criterion_titles": {c["code"]: c["title"] for c in result["criteria"]},
        # charts escapes every text it draws
        "chart": mark_safe(stacked_bars(
            contribution_bars(result),
            title="Weighted contribution of each criterion to each option's total",
        )),
        "acceptability": {
            row["option"]: row
            for row in (result["sensitivity"]["rank_acceptability"] or {}).get("options", [])
        },
    }


def contested_rationales(workshop: Workshop, round: int, cells: list[dict]) -> list[dict]:
    """The most contested cells of a round with each analyst's value and reason, side by side,
    the analysts labelled as in the result (A1, A2... when the workshop is anonymous)."""
    shown = [cell for cell in cells if cell["contested"]][:CONTESTED_SHOWN]
    said = cell_rationales(workshop, round, {(c["option"], c["criterion"]) for c in shown})
    return [
        {**cell, "reasons": [
            {"analyst": label, "value": value, "rationale": text}
            for label, value, text in said.get((cell["option"], cell["criterion"]), [])
        ]}
        for cell in shown
    ]


def disagreement_heatmap(result: dict) -> list[dict]:
    """Rows of criteria, a cell per option: the median, the IQR, and a shade 0-10 that grows
    with the IQR as a share of the scale (the numbers are printed too: colour is not alone).
    The shade is a CSS class (shade-0 ... shade-10 in app.css), not a style attribute, which
    the content security policy would block."""
    cells = {(c["option"], c["criterion"]): c for c in result["disagreement"]["cells"]}
    rows = []
    for criterion in result["criteria"]:
        span = (criterion["scale_max"] - criterion["scale_min"]) or 1
        row = []
        for option in result["options"]:
            cell = cells.get((option["code"], criterion["code"]))
            iqr = cell["iqr"] if cell and cell["iqr"] is not None else None
            shade = 0 if iqr is None else round(min(iqr / (span / 2), 1) * 10)
            row.append({"cell": cell, "shade": shade})
        rows.append({"criterion": criterion, "cells": row})
    return rows


def chosen_round(asked: str | None, current: int) -> int:
    """The round asked for in ?round=N, if it is one of the workshop's; else the current one."""
    if asked and asked.isdigit() and 1 <= int(asked) <= current:
        return int(asked)
    return current


@login_required
@require_GET
def workshop_results(request, pk):
    membership = membership_for(request.user, pk)
    require_group_view(membership)
    workshop = membership.workshop
    round = chosen_round(request.GET.get("round"), workshop.round)
    context = {
        "workshop": workshop,
        "membership": membership,
        "is_facilitator": is_facilitator(membership),
        "can_see_group": can_see_group(membership),
        "round": round,
        "rounds": range(1, workshop.round + 1),
        **results_context(workshop, round),
    }
    # Convergence compares the current round with the one before it.
    context["convergence"] = convergence(workshop) if round == workshop.round else []
    if context["result"]:
        context["heatmap"] = disagreement_heatmap(context["result"])
        context["contested"] = contested_rationales(
            workshop, round, context["result"]["disagreement"]["cells"]
        )
    return render(request, "policy/results.html", context)
