"""Deleting a part of a case: what it takes with it, whether it may go, and the deletion."""
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from ..models import (
    Actor,
    Criterion,
    Event,
    Principle,
    Risk,
    Score,
    Source,
    Weight,
    Workshop,
)
from . import words
from .parts import PART_KINDS, PartKind, criteria_warning


@dataclass
class Consequences:
    """What deleting a part takes with it, said plainly, and whether it may go at all."""

    part: object
    kind: PartKind
    lines: list[str] = field(default_factory=list)
    blocked: str = ""
    warning: str = ""

    @property
    def name(self) -> str:
        return f"{self.kind.singular} {self.part.code}"


def delete_consequences(part, kind: PartKind, user) -> Consequences:
    result = Consequences(part, kind)
    name = result.name
    if kind.scored:
        rows = (
            Score.objects.filter(**{kind.singular: part})
            .values("workshop_id", "workshop__title", "workshop__status")
            .annotate(n=Count("id"))
        )
        scores = sum(r["n"] for r in rows)
        workshops = {r["workshop_id"] for r in rows}
        weights = 0
        if isinstance(part, Criterion):
            weights = Weight.objects.filter(criterion=part).count()
        if isinstance(part, Criterion):
            weight_workshops = Weight.objects.filter(criterion=part).values_list(
                "workshop_id", flat=True
            )
            workshops |= set(weight_workshops)
        if scores or weights:
            what = [words.count(scores, "score")] if scores else []
            if weights:
                what.append(words.count(weights, "weight"))
            result.lines.append(
                f"Deleting {name} deletes {words.join(what)} in "
                f"{words.count(len(workshops), 'workshop')}."
            )
        else:
            result.lines.append(f"No scores depend on {name}.")
        locked = sorted({r["workshop__title"] for r in rows if r["workshop__status"] == "locked"})
        if locked:
            result.blocked = (
                f"{words.join([f'“{t}”' for t in locked])} {'is' if len(locked) == 1 else 'are'} "
                f"locked and {'holds' if len(locked) == 1 else 'hold'} scores on {name}: "
                "a locked workshop's scores cannot change, so it cannot be deleted."
            )
        if isinstance(part, Criterion):
            result.warning = criteria_warning(part.case, user)
    if isinstance(part, (Principle, Risk, Actor)):
        derived = list(part.criteria.values_list("code", flat=True))
        if derived:
            result.lines.append(
                f"{words.codes('Criterion', 'Criteria', derived)} will no longer derive from it "
                "(they and their scores stay)."
            )
    if isinstance(part, (Actor, Event)):
        risks = list(part.risks.values_list("code", flat=True))
        if risks:
            result.lines.append(
                f"{words.codes('Risk', 'Risks', risks)} will no longer "
                f"{'name this actor' if isinstance(part, Actor) else 'cite this event'}."
            )
    if isinstance(part, Source):
        citing = []
        for slug, other in PART_KINDS.items():
            if other.model is not Source:
                cited = other.queryset(part.case).filter(source=part)
                citing += cited.values_list("code", flat=True)
        if citing:
            result.lines.append(f"{words.join(citing)} will no longer cite it.")
    if not result.lines:
        result.lines.append(f"Nothing else in the case depends on {name}.")
    return result


def delete_part(part, kind: PartKind) -> str | None:
    """Delete the part, or return why it may not go. Workshops' judgements lose its code; the
    delete reaches changes.case_changed through its signal."""
    with transaction.atomic():
        consequences = delete_consequences(part, kind, None)  # only why it is refused
        if consequences.blocked:
            return consequences.blocked
        case_id, code = part.case_id, part.code
        part.delete()
        if isinstance(part, Criterion):
            for workshop in Workshop.objects.filter(case_id=case_id).exclude(ahp_judgements={}):
                kept = {
                    pair: value for pair, value in workshop.ahp_judgements.items()
                    if code not in pair.split("|")
                }
                if kept != workshop.ahp_judgements:
                    workshop.ahp_judgements = kept
                    workshop.save(update_fields=["ahp_judgements"])
    return None
