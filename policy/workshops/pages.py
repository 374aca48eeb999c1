"""What the workshop, weights and results pages show, built from a membership (and the page's
own inputs), never from a request: the views gather input, call one of these, and render.

The live panels are built here too, for a whole audience at once (policy/workshops/live.py),
so nothing here may depend on who asks beyond the membership given.
"""
from urllib.parse import urljoin

from django.urls import reverse
from django.utils.safestring import mark_safe

from ..charts import contribution_bars, stacked_bars
from ..models import Membership, Workshop
from ..permissions import (
    can_give_own_weights,
    can_score,
    can_see_group,
    can_see_item,
    can_see_names,
    is_facilitator,
    item_shown_to_team,
)
from ..scoring import ScoringError
from . import live, paced, steps
from .forms import ahp_initial
from .frames import cell_rationales
from .grid import PACED, analyst_grid, by_option, cell_count, view_query
from .members import members
from .progress import progress_of, totals, workshop_progress
from .rounds import convergence
from .results import workshop_result

CONTESTED_SHOWN = 12
ITEM_CHART_WIDE = {"width": 960, "font": 14, "label_w": 340}  # the options' names beside
RESULTS_CHART_WIDTH = 1200  # the page's content width (.wrap in app.css): text at its own size


# -- The workshop page ---------------------------------------------------------------------


def panels_context(membership: Membership, cells: int | None = None) -> dict:
    """The live panels (progress, results) as the member may see them; `cells`, the number
    of cells in the grid, when the caller has counted them."""
    workshop = membership.workshop
    if cells is None:
        cells = cell_count(workshop)
    progress = workshop_progress(workshop, cells)
    context = {
        "workshop": workshop,
        "membership": membership,
        # Without a name in an anonymous workshop: the panels are shared by the audience.
        "progress": progress if can_see_names(membership) else [],
        "totals": totals(progress),
        "cells": cells,
        "is_facilitator": is_facilitator(membership),
        "can_score": can_score(membership),
        "can_see_group": can_see_group(membership),
        "state": live.page_state(workshop),
        "audience": live.audience_of(membership.role, workshop),
    }
    if context["can_see_group"]:
        context.update(results_context(workshop))
    if can_score(membership):
        context["my_progress"] = progress_of(progress, membership.user_id)
    context.update(item_context(membership, [p.user_id for p in progress]))
    return context


def item_context(membership: Membership, analyst_ids: list[int]) -> dict:
    """The paced item (none outside paced mode) with what the member may see of its answers:
    the dot plot for those who see them (permissions.can_see_item), the reasons once the team
    sees them (the facilitator's dot plot names no one before that)."""
    workshop = membership.workshop
    item = paced.current_item(workshop, analyst_ids)
    if item is None:
        return {"item": None}
    shown = can_see_item(membership)
    return {
        "item": item,
        # Drawn twice, for wide screens and for phones (CSS shows one): the panels are the
        # same for every screen of an audience.
        "item_chart": {"wide": paced.distribution(item, **ITEM_CHART_WIDE),
                       "narrow": paced.distribution(item)} if shown else None,
        "item_reasons": (paced.reasons(workshop, item)
                         if shown and item_shown_to_team(workshop) else []),
    }


def workshop_context(membership: Membership, site_url: str, overrides: dict | None = None,
                     view: str = "criterion") -> dict:
    """The whole page: the panels, the analyst's grid in its `view` (grid.VIEWS; `overrides`
    replaces some cells, by (option id, criterion id), to show a refused value), and the
    facilitator's join link on `site_url`, the address the site is reached at."""
    workshop = membership.workshop
    grid = analyst_grid(workshop, membership.user, overrides) if can_score(membership) else None
    # The grid's options and criteria count its cells: no query to count them again.
    context = panels_context(membership, len(grid[0]) * len(grid[1]) if grid else None)
    context["view"] = view
    context["gives_own_weights"] = can_give_own_weights(membership)
    context["view_query"] = view_query(view, workshop.paced_criterion_id is not None)
    if grid:
        context["options"], context["rows"] = grid
        if view == "option":
            context["option_rows"] = by_option(context["options"], context["rows"])
        if view == PACED:
            context["rows"] = [row for row in context["rows"]
                               if row.criterion.pk == context["item"].criterion.pk]
    if context["is_facilitator"]:
        context["paced_moves"] = paced.offered(workshop, context["item"])
        # Whether the round has scores, from the progress already counted: no extra query.
        has_scores = context["totals"].scored > 0
        context["steps"] = steps.offered(workshop, has_scores)
        context["members"] = members(workshop)
    if context["is_facilitator"] and workshop.join_token:
        join_path = reverse("workshop_join", args=[workshop.join_token])
        context["join_url"] = urljoin(site_url, join_path)
    return context


# -- The weights page ----------------------------------------------------------------------


def initial_weights(workshop: Workshop, method: str, criteria) -> dict:
    """The form's starting values: the saved inputs when they are in this method, else a
    neutral start derived from the case's default weights."""
    if method == Workshop.Weighting.AHP:
        saved = workshop.ahp_judgements if workshop.weighting == method else {}
        return ahp_initial(criteria, saved)
    if workshop.weighting == method:
        saved = dict(workshop.weights.values_list("criterion__code", "value"))
        if saved:
            return {f"w_{code}": value for code, value in saved.items()}
    return default_inputs(method, criteria)


def default_inputs(method: str, criteria) -> dict:
    """A neutral start for the form in `method` (not AHP), from the case's default weights."""
    defaults = {c.code: c.default_weight for c in criteria}
    if method == Workshop.Weighting.DIRECT:
        values = defaults
    elif method == Workshop.Weighting.SWING:
        top = max(defaults.values()) or 1
        values = {code: round(100 * w / top) for code, w in defaults.items()}
    else:
        ordered = sorted(defaults, key=lambda code: -defaults[code])
        values = {code: ordered.index(code) + 1 for code in defaults}
    return {f"w_{code}": value for code, value in values.items()}


def weights_context(membership: Membership, form) -> dict:
    """The facilitator's weights form, beside the ranking those weights give."""
    workshop = membership.workshop
    return {"workshop": workshop, "membership": membership, "form": form,
            **results_context(workshop)}


# -- The results page ----------------------------------------------------------------------


def results_context(workshop: Workshop, round: int | None = None) -> dict:
    """The comparison of a round (the current one by default) as the page needs it, or the
    engine's message when there is none."""
    try:
        result = workshop_result(workshop, round, reload=False)  # loaded by membership_for
    except ScoringError as error:
        return {"result": None, "result_error": str(error)}
    titles = {o["code"]: o["title"] for o in result["options"]}
    analysts = result["weights"].get("analysts")
    return {
        "result": result,
        # The analysts gave their own weights: their spread and range are shown.
        "analyst_range": bool(analysts and not analysts["fallback"]),
        "option_titles": titles,
        "criterion_titles": {c["code"]: c["title"] for c in result["criteria"]},
        # charts escapes every text it draws
        "chart": mark_safe(stacked_bars(
            contribution_bars(result),
            title="Weighted contribution of each criterion to each option's total",
            width=RESULTS_CHART_WIDTH,
        )),
        "acceptability": {
            row["option"]: row
            for row in (result["sensitivity"]["rank_acceptability"] or {}).get("options", [])
        },
    }


def chosen_round(asked: str | None, current: int) -> int:
    """The round asked for in ?round=N, if it is one of the workshop's; else the current one."""
    if asked and asked.isdigit() and 1 <= int(asked) <= current:
        return int(asked)
    return current


def results_page(membership: Membership, round: int) -> dict:
    """The results page of a round: the comparison, convergence across rounds, the
    disagreement heat map and the most contested cells with their reasons."""
    workshop = membership.workshop
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
    return context


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
