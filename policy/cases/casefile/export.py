"""A case as a case file (docs/case-format.md), in full form: every optional key present, so
export -> import -> export gives the same document; with its workshops for a backup."""
from django.contrib.auth import get_user_model

from . import memo
from ...models import Case, Criterion, Workshop
from ...workshops import history

FORMAT = "options-room-case"
VERSION = 1


def export_case(case: Case, *, with_workshops: bool = False) -> dict:
    """The case as a case file, in full form; with its workshops if asked (a backup)."""
    sources = {s.pk: s.code for s in case.sources.all()}

    def part(obj, **fields) -> dict:
        return {
            "code": obj.code, **fields, "quote": obj.quote,
            "source": sources.get(obj.source_id),
        }

    def ordered(manager):
        return manager.order_by("position", "code")

    principles = list(ordered(case.principles))
    actors = list(ordered(case.actors))
    events = list(ordered(case.events))
    risks = list(ordered(case.risks).prefetch_related("actors", "events"))
    codes = {
        "principle": {p.pk: p.code for p in principles},
        "risk": {r.pk: r.code for r in risks},
        "actor": {a.pk: a.code for a in actors},
    }
    document = {
        "format": FORMAT,
        "version": VERSION,
        "slug": case.slug,
        "title": case.title,
        "question": case.question,
        "context": case.context,
        "decider": case.decider,
        "sources": [
            {"code": s.code, "citation": s.citation, "url": s.url}
            for s in case.sources.all()
        ],
        "principles": [
            part(p, title=p.title, statement=p.statement, red_line=p.red_line) for p in principles
        ],
        "actors": [
            part(a, name=a.name, kind=a.kind, influence=a.influence, stance=a.stance,
                 interests=a.interests)
            for a in actors
        ],
        "events": [
            part(e, date=e.date.isoformat(), title=e.title, description=e.description)
            for e in events
        ],
        "risks": [
            part(r, title=r.title, description=r.description, likelihood=r.likelihood,
                 impact=r.impact, actors=[a.code for a in r.actors.all()],
                 events=[e.code for e in r.events.all()], evidence=r.evidence)
            for r in risks
        ],
        "options": [part(o, title=o.title, summary=o.summary) for o in ordered(case.options)],
        "criteria": [
            part(c, title=c.title, description=c.description, kind=c.kind,
                 direction=c.direction, scale=_scale(c), default_weight=float(c.default_weight),
                 red_line_threshold=_float_or_none(c.red_line_threshold),
                 derived_from=_origin(c, codes))
            for c in ordered(case.criteria)
        ],
    }
    if with_workshops:
        document["workshops"] = [
            _export_workshop(w) for w in case.workshops.order_by("created_at", "id")
        ]
    return document


def _scale(criterion: Criterion) -> dict:
    # Levels in numeric order: PostgreSQL's jsonb keeps keys in its own order.
    anchors = sorted(criterion.anchors.items(), key=lambda item: int(item[0]))
    return {"min": criterion.scale_min, "max": criterion.scale_max, "anchors": dict(anchors)}


def _float_or_none(value):
    return None if value is None else float(value)


def _origin(criterion: Criterion, codes: dict) -> dict | None:
    for kind in ("principle", "risk", "actor"):
        pk = getattr(criterion, f"{kind}_id")
        if pk is not None:
            return {kind: codes[kind][pk]}
    return None


def _export_workshop(workshop: Workshop) -> dict:
    username = f"analyst__{get_user_model().USERNAME_FIELD}"
    members = workshop.memberships.order_by("joined_at", "id").select_related("user")
    weights = workshop.weights.order_by("criterion__position", "criterion__code").values_list(
        "criterion__code", "value"
    )
    scores = workshop.scores.order_by(
        "round", username, "option__position", "option__code",
        "criterion__position", "criterion__code",
    ).values_list(
        "round", username, "option__code", "criterion__code", "value", "rationale",
        "carried_from", "created_at", "updated_at",
    )
    return {
        "title": workshop.title,
        "status": workshop.status,
        "round": workshop.round,
        "hide_scores": workshop.hide_scores,
        "revealed": workshop.revealed,
        "anonymous": workshop.anonymous,
        "aggregation": workshop.aggregation,
        "method": workshop.method,
        "weighting": workshop.weighting,
        "ahp_judgements": dict(sorted(workshop.ahp_judgements.items())),
        "analysts_weigh": workshop.analysts_weigh,
        "handling": workshop.handling,
        "revision": workshop.revision,
        "members": [
            {"username": m.user.get_username(), "role": m.role,
             **({"ahp_judgements": dict(sorted(m.ahp_judgements.items()))}
                if m.ahp_judgements else {})}
            for m in members
        ],
        "weights": {code: float(value) for code, value in weights},
        "analyst_weights": [
            {"analyst": analyst, "weighting": weighting, "criterion": criterion,
             "value": float(value)}
            for analyst, weighting, criterion, value in workshop.analyst_weights.order_by(
                username, "weighting", "criterion__position", "criterion__code",
            ).values_list(username, "weighting", "criterion__code", "value")
        ],
        "scores": [
            {
                "round": rnd, "analyst": analyst, "option": option, "criterion": criterion,
                "value": float(value), "rationale": rationale,
                # Only on a score copied into its round and not saved since.
                **({"carried_from": carried} if carried else {}),
                "created_at": created.isoformat(), "updated_at": updated.isoformat(),
            }
            for rnd, analyst, option, criterion, value, rationale, carried, created, updated
            in scores
        ],
        "history": history.to_file(workshop),
        **memo.to_file(workshop),
    }
