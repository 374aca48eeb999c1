"""The adapter between the database and the scoring engine: a workshop's rows as DataFrames.

Five queries whatever the workshop's size (criteria, weights, options, analysts, scores), each
a `values_list` read straight into pandas; ids become codes and labels by a vectorised map.
One more when analysts weight the criteria themselves (their inputs, or their judgements).
"""
import hashlib
import hmac

import numpy as np
import pandas as pd
from django.conf import settings

from ..models import AnalystWeight, Criterion, Membership, Option, Score, Weight, Workshop
from ..scoring import Frames

CRITERION_FIELDS = [
    "id",
    "code",
    "title",
    "kind",
    "direction",
    "scale_min",
    "scale_max",
    "default_weight",
    "red_line_threshold",
    "principle__code",
    "risk__code",
    "actor__code",
]


def criteria_table(workshop: Workshop) -> tuple[pd.DataFrame, pd.Series]:
    rows = (
        Criterion.objects.filter(case_id=workshop.case_id)
        .order_by("position", "code")
        .values_list(*CRITERION_FIELDS)
    )
    table = pd.DataFrame.from_records(list(rows), columns=CRITERION_FIELDS)
    weights = dict(Weight.objects.filter(workshop=workshop).values_list("criterion_id", "value"))
    table["weight"] = table["id"].map(weights).astype(float)
    table["red_line_threshold"] = table["red_line_threshold"].astype(float)
    # The principle, risk or actor the criterion derives from (at most one, by constraint).
    table["origin"] = (
        table["principle__code"].fillna(table["risk__code"]).fillna(table["actor__code"]).fillna("")
    )
    return table, table.set_index("id")["code"]


def label_key(workshop_id: int, user_id: int) -> str:
    """Where a member falls in an anonymous workshop's order of labels: an HMAC of the
    workshop and the user keyed by SECRET_KEY, so the order is fixed for the workshop yet
    neither the joining order nor anything a member can compute (docs/design.md)."""
    message = f"analyst-label:{workshop_id}:{user_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def analyst_labels(workshop: Workshop, scorer_ids: np.ndarray) -> dict[int, str]:
    """User id -> label, in label order: the one function that names analysts for the
    results, contested reasons, exports, the history and the memo.

    The username, analysts in joining order; or, when the workshop is anonymous, A1, A2...
    in the order of `label_key`. Someone who scored without being an analyst now (a member
    since removed or made an observer) is labelled too: after the analysts by user id when
    named, among them when anonymous."""
    members = list(
        Membership.objects.filter(workshop=workshop, role=Membership.Role.ANALYST)
        .order_by("joined_at", "id")
        .values_list("user_id", "user__username")
    )
    known = {user_id for user_id, _ in members}
    others = sorted(int(u) for u in set(scorer_ids.tolist()) - known)
    if workshop.anonymous:
        ordered = sorted([user_id for user_id, _ in members] + others,
                         key=lambda user_id: label_key(workshop.pk, user_id))
        return {user_id: f"A{i}" for i, user_id in enumerate(ordered, start=1)}
    labels = dict(members)
    if others:
        from django.contrib.auth import get_user_model

        # Only reached when someone outside the analysts scored: one more query.
        labels.update(get_user_model().objects.filter(id__in=others).values_list("id", "username"))
    return labels


def cell_rationales(
    workshop: Workshop, round: int, cells: set[tuple[str, str]]
) -> dict[tuple[str, str], list[tuple[str, float, str]]]:
    """What each analyst said on the given (option code, criterion code) cells of a round:
    (label, value, rationale), lowest value first, labelled as the engine labels analysts
    (so an anonymous workshop's A1 is the same A1 as in the result)."""
    if not cells:
        return {}
    scores = Score.objects.filter(workshop=workshop, round=round)
    scorer_ids = sorted(scores.order_by().values_list("analyst_id", flat=True).distinct())
    labels = analyst_labels(workshop, np.array(scorer_ids, dtype=int))
    said: dict[tuple[str, str], list[tuple[str, float, str]]] = {}
    for analyst_id, option, criterion, value, text in scores.filter(
        option__code__in={o for o, _ in cells}, criterion__code__in={c for _, c in cells},
    ).values_list("analyst_id", "option__code", "criterion__code", "value", "rationale"):
        if (option, criterion) in cells:
            label = labels.get(analyst_id, str(analyst_id))
            said.setdefault((option, criterion), []).append((label, value, text.strip()))
    return {cell: sorted(rows, key=lambda row: (row[1], row[0])) for cell, rows in said.items()}


def coded(ids: pd.Series, names: pd.Series) -> pd.Categorical:
    """Ids as a categorical of their names (codes or labels): one integer lookup per row,
    and the engine reads the category codes without hashing 100,000 strings again."""
    positions = pd.Index(names.index).get_indexer(ids)
    return pd.Categorical.from_codes(positions, categories=pd.Index(names.to_numpy(), dtype=object))


def analysts_own_weights(
    workshop: Workshop, labels: dict[int, str], criterion_codes: pd.Series
) -> dict:
    """The analysts' own weights as the engine takes them (Frames.analyst_weights and
    analyst_judgements), in the workshop's weighting method, labelled as the scores are.
    Only the labelled count: the analysts, and whoever scored the round (so a member made
    observer before giving a score weighs nothing, and labels stay the scores' labels)."""
    if workshop.weighting == Workshop.Weighting.AHP:
        rows = Membership.objects.filter(workshop=workshop, user_id__in=list(labels))
        return {"analyst_judgements": {
            labels[user_id]: judgements
            for user_id, judgements in rows.values_list("user_id", "ahp_judgements") if judgements
        }}
    rows = pd.DataFrame.from_records(
        list(AnalystWeight.objects.filter(
            workshop=workshop, weighting=workshop.weighting, analyst_id__in=list(labels)
        ).values_list("analyst_id", "criterion_id", "value")),
        columns=["analyst_id", "criterion_id", "value"],
    )
    return {"analyst_weights": pd.DataFrame({
        "analyst": rows["analyst_id"].map(labels).astype(object),
        "criterion": rows["criterion_id"].map(criterion_codes).astype(object),
        "value": rows["value"].astype(float),
    }).dropna(subset=["criterion"])}


def workshop_frames(workshop: Workshop, round: int | None = None) -> Frames:
    """The workshop's scores for `round` (default: its current round) and everything the
    engine needs to weigh them."""
    round = round or workshop.round
    criteria, criterion_codes = criteria_table(workshop)
    options = pd.DataFrame.from_records(
        list(
            Option.objects.filter(case_id=workshop.case_id)
            .order_by("position", "code")
            .values_list("id", "code", "title")
        ),
        columns=["id", "code", "title"],
    )
    scores = pd.DataFrame.from_records(
        list(
            Score.objects.filter(workshop=workshop, round=round)
            .order_by()
            .values_list("analyst_id", "option_id", "criterion_id", "value")
        ),
        columns=["analyst_id", "option_id", "criterion_id", "value"],
    )
    labels = analyst_labels(workshop, scores["analyst_id"].unique())
    own = analysts_own_weights(workshop, labels, criterion_codes) if workshop.analysts_weigh else {}
    return Frames(
        scores=pd.DataFrame(
            {
                "analyst": coded(scores["analyst_id"], pd.Series(labels)),
                "option": coded(scores["option_id"], options.set_index("id")["code"]),
                "criterion": coded(scores["criterion_id"], criterion_codes),
                "value": scores["value"].astype(float),
            }
        ),
        criteria=criteria[
            [
                "code",
                "title",
                "kind",
                "origin",
                "direction",
                "scale_min",
                "scale_max",
                "weight",
                "default_weight",
                "red_line_threshold",
            ]
        ],
        options=options[["code", "title"]],
        analysts=pd.DataFrame({"label": list(dict.fromkeys(labels.values()))}, dtype=object),
        weighting=workshop.weighting,
        ahp_judgements=dict(workshop.ahp_judgements or {}),
        method=workshop.method,
        aggregation=workshop.aggregation,
        round=round,
        analysts_weigh=workshop.analysts_weigh,
        **own,
    )
