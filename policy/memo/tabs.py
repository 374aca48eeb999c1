"""The memo's tabs: the comparison chart and the tables behind the recommendation."""
import re

from .. import charts
from . import wording as w


def comparison_chart(result: dict) -> str:
    bars = charts.contribution_bars(result)
    if not bars:
        return ""
    title = "Weighted totals, stacked by criterion: " + "; ".join(
        f"{row['option']} {w.out_of_100(row['total'])}"
        for row in result["ranking"] if row["status"] == "ranked")
    return _with_font(charts.stacked_bars(bars, title=title))


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


def svg_chart(function, items) -> str:
    return _with_font(function(items)) if function and items else ""


def weight_rows(result: dict) -> list[dict]:
    """The criteria with their weight, the facilitator's input, and (when analysts weighted
    the criteria) the lowest and highest weight an analyst gave."""
    weights = result["weights"]
    spread = {row["criterion"]: row for row in analyst_spread(result)}
    return [
        {"code": c["code"], "title": c["title"], "origin": c["origin"] or "",
         "cost": c["direction"] == "cost", "red_line": w.points(c["red_line_threshold"])
         if c["red_line_threshold"] is not None else "",
         "input": w.points(weights["inputs"][c["code"]]), "share": w.pct(c["weight"]),
         "range": f"{w.pct(spread[c['code']]['min'])}–{w.pct(spread[c['code']]['max'])}"
         if c["code"] in spread else ""}
        for c in result["criteria"]
    ]


def analyst_spread(result: dict) -> list[dict]:
    """Per criterion the spread of the analysts' own weights, when they gave the team's."""
    analysts = result["weights"].get("analysts")
    return analysts["spread"] if analysts and not analysts["fallback"] else []


def order_rows(result: dict) -> list[dict]:
    orders = result["orders"]
    one, many = orders["aggregate_then_weight"]["totals"], orders["weight_then_aggregate"]["totals"]
    return [{"code": o["code"], "title": o["title"], "one": w.out_of_100(one[o["code"]]),
             "many": w.out_of_100(many[o["code"]])} for o in result["options"]]


def flip_rows(result: dict) -> list[dict]:
    return [
        {"code": row["criterion"], "title": row["title"], "weight": w.pct(row["weight"]),
         "lower": w.pct(row["lower"]), "upper": w.pct(row["upper"]),
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
        "from_analysts": mc.get("weights_drawn") == "analysts",
        "ranks": list(range(1, len(result["options"]) + 1)),
        "rows": [
            {"code": o["option"], "title": titles[o["option"]], "first": w.pct(o["p_first"]),
             "weights": w.pct(o["p_first_weights"]), "analysts": w.pct(o["p_first_analysts"]),
             "screened": w.pct(o["p_screened"]), "ranks": [w.pct(r) for r in o["ranks"]],
             "no_total": w.pct(o["p_no_total"])}
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
