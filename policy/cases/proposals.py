"""Proposing criteria from a case's principles, risks and actors, and adding the kept ones."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Case, Criterion
from . import changes
from .parts import PART_KINDS, next_code, next_position, too_many_to_add

ALIGNMENT_ANCHORS = {"0": "Works against the principle", "5": "Neither helps nor harms it",
                     "10": "Fully upholds the principle"}
MITIGATION_ANCHORS = {"0": "Makes the risk likelier or worse", "5": "No effect on the risk",
                      "10": "Largely removes the risk"}
ACCEPTABILITY_ANCHORS = {"0": "Would oppose it actively", "5": "Would accept it grudgingly",
                         "10": "Would welcome it"}


@dataclass
class Proposal:
    """A criterion the case suggests; kept or discarded by the author."""

    key: str  # "principle:P1": stable across requests, since codes are
    origin: object
    title: str
    description: str
    kind: str
    anchors: dict
    red_line_threshold: float | None = None
    reason: str = ""

    @property
    def kind_label(self) -> str:
        return Criterion.Kind(self.kind).label

    def build(self, case: Case, code: str, position: int) -> Criterion:
        criterion = Criterion(
            case=case, code=code, title=self.title[:200], description=self.description,
            kind=self.kind, direction=Criterion.Direction.BENEFIT, scale_min=0, scale_max=10,
            anchors=self.anchors, default_weight=1.0, red_line_threshold=self.red_line_threshold,
            position=position,
        )
        setattr(criterion, self.key.split(":")[0], self.origin)
        return criterion


def propose_criteria(
    case: Case, *, min_severity: int = 10, min_influence: int = 4,
    red_line_threshold: float = 3.0,
) -> list[Proposal]:
    """One alignment criterion per principle, one mitigation criterion per risk whose
    likelihood x impact reaches `min_severity`, one acceptability criterion per actor whose
    influence reaches `min_influence`; none for an origin that already has its criterion."""
    taken = set(
        case.criteria.filter(kind=Criterion.Kind.ALIGNMENT, principle__isnull=False)
        .values_list("principle_id", flat=True)
    )
    taken_risks = set(
        case.criteria.filter(kind=Criterion.Kind.MITIGATION, risk__isnull=False)
        .values_list("risk_id", flat=True)
    )
    taken_actors = set(
        case.criteria.filter(kind=Criterion.Kind.ACCEPTABILITY, actor__isnull=False)
        .values_list("actor_id", flat=True)
    )
    proposals = []
    for principle in case.principles.all():
        if principle.pk in taken:
            continue
        red = principle.red_line
        proposals.append(Proposal(
            key=f"principle:{principle.code}", origin=principle,
            title=f"Upholds: {principle.title}",
            description=f"How far the option keeps to {principle.code}: {principle.statement}",
            kind=Criterion.Kind.ALIGNMENT,
            anchors=ALIGNMENT_ANCHORS,
            red_line_threshold=red_line_threshold if red else None,
            reason=(f"{principle.code} is a red line: an option scoring below "
                    f"{red_line_threshold:g} is screened out" if red
                    else f"principle {principle.code}"),
        ))
    for risk in case.risks.all():
        if risk.pk in taken_risks or risk.severity < min_severity:
            continue
        proposals.append(Proposal(
            key=f"risk:{risk.code}", origin=risk,
            title=f"Reduces the risk: {risk.title}",
            description=f"How far the option makes {risk.code} less likely or less harmful.",
            kind=Criterion.Kind.MITIGATION, anchors=MITIGATION_ANCHORS,
            reason=(f"risk {risk.code}: likelihood {risk.likelihood} × impact {risk.impact} "
                    f"= {risk.severity}"),
        ))
    for actor in case.actors.all():
        if actor.pk in taken_actors or actor.influence < min_influence:
            continue
        proposals.append(Proposal(
            key=f"actor:{actor.code}", origin=actor,
            title=f"Acceptable to {actor.name}",
            description=f"How {actor.name} ({actor.code}) would receive the option.",
            kind=Criterion.Kind.ACCEPTABILITY, anchors=ACCEPTABILITY_ANCHORS,
            reason=f"actor {actor.code}: influence {actor.influence}, stance {actor.stance:+d}",
        ))
    return proposals


class CodeSeries:
    """Fresh criterion codes C<n>, past every code the case already uses."""

    def __init__(self, case: Case):
        self.taken = set(case.criteria.values_list("code", flat=True))
        self.n = int(next_code(case, PART_KINDS["criteria"])[1:]) - 1

    def next(self) -> str:
        self.n += 1
        while f"C{self.n}" in self.taken:
            self.n += 1
        self.taken.add(f"C{self.n}")
        return f"C{self.n}"


def add_proposed(case: Case, proposals: list[Proposal]) -> list[Criterion]:
    """Create the kept proposals after the case's criteria, numbered on from its codes, in one
    transaction. ValidationError if they would take the case past its limit of criteria."""
    refusal = too_many_to_add(case, PART_KINDS["criteria"], len(proposals))
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        start = next_position(case, PART_KINDS["criteria"])
        codes = CodeSeries(case)
        criteria = [p.build(case, codes.next(), start + i) for i, p in enumerate(proposals)]
        Criterion.objects.bulk_create(criteria)
        if criteria:
            changes.case_changed(case.pk, scored=Criterion.scored)  # bulk_create sends no signal
    return criteria
