"""Writing a case in the browser: who may, what a change touches, and proposing criteria.

Views gather input and call these; each change runs in one transaction. Changes a workshop can
see (its options and criteria) bump that workshop's revision, so open pages learn of them.
"""
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.http import Http404

from .models import (
    Actor,
    Case,
    Criterion,
    Event,
    Option,
    Principle,
    Risk,
    Score,
    Source,
    Weight,
    Workshop,
)

# Codes and slugs as the case file allows them (docs/case-format.md), so what is written in
# the browser always exports and imports again.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SLUG_PATTERN = re.compile(r"^[a-z0-9-]+$")
# Addresses under /cases/ that are pages, not cases.
RESERVED_SLUGS = {"new", "upload"}


# -- Who may change a case -----------------------------------------------------------------


def can_edit(user, case: Case) -> bool:
    """Owners and editors change a case; nobody else (not staff either: use the admin)."""
    if not user.is_authenticated:
        return False
    return (
        case.owners.filter(pk=user.pk).exists() or case.editors.filter(pk=user.pk).exists()
    )


def is_owner(user, case: Case) -> bool:
    return user.is_authenticated and case.owners.filter(pk=user.pk).exists()


def editable_case(user, slug: str) -> Case:
    """The case, if the user may change it: 404 if there is none, 403 if they may not.

    Cases are public to read, so refusing with 403 tells an outsider nothing new."""
    case = Case.objects.filter(slug=slug).first()
    if case is None:
        raise Http404
    if not can_edit(user, case):
        raise PermissionDenied("Only the case's owners and editors can change it.")
    return case


def owned_case(user, slug: str) -> Case:
    case = editable_case(user, slug)
    if not is_owner(user, case):
        raise PermissionDenied("Only the case's owners can change who may edit it.")
    return case


def create_case(user, **fields) -> Case:
    """A new, empty case; its creator owns it."""
    with transaction.atomic():
        case = Case.objects.create(**fields)
        case.owners.add(user)
    return case


def add_person(case: Case, user, role: str) -> None:
    """Make the user an owner or an editor (one role at a time)."""
    with transaction.atomic():
        if role == "owner":
            case.editors.remove(user)
            case.owners.add(user)
        else:
            case.owners.remove(user)
            case.editors.add(user)


def remove_person(case: Case, user) -> str | None:
    """Take the user's rights away; a refusal message if they are the last owner."""
    with transaction.atomic():
        owners = list(case.owners.select_for_update().values_list("pk", flat=True))
        if owners == [user.pk]:
            return "A case needs at least one owner: add another owner first."
        case.owners.remove(user)
        case.editors.remove(user)
    return None


# -- The parts of a case -------------------------------------------------------------------


@dataclass(frozen=True)
class PartKind:
    slug: str  # as in the URL and the case file: "principles"
    model: type
    singular: str
    plural: str
    prefix: str  # of new codes: P1, P2...
    orderable: bool = True  # events go by date
    # Sections whose rows or forms show this kind's parts (refreshed when it changes).
    shown_in: tuple[str, ...] = ()
    # Changing this kind changes what workshops score.
    scored: bool = False

    def queryset(self, case: Case):
        return self.model.objects.filter(case=case)

    @property
    def article(self) -> str:
        return "an" if self.singular[0] in "aeio" else "a"


PART_KINDS = {
    kind.slug: kind
    for kind in [
        PartKind("principles", Principle, "principle", "principles", "P", shown_in=("criteria",)),
        PartKind("actors", Actor, "actor", "actors", "A", shown_in=("risks", "criteria")),
        PartKind("events", Event, "event", "events", "E", orderable=False, shown_in=("risks",)),
        PartKind("risks", Risk, "risk", "risks", "R", shown_in=("criteria",)),
        PartKind("options", Option, "option", "options", "O", scored=True),
        PartKind("criteria", Criterion, "criterion", "criteria", "C", scored=True),
        PartKind(
            "sources", Source, "source", "sources", "S",
            shown_in=("principles", "actors", "events", "risks", "options", "criteria"),
        ),
    ]
}


def _kind_slug(part) -> str:
    return next(slug for slug, kind in PART_KINDS.items() if isinstance(part, kind.model))


def part_kind(slug: str) -> PartKind:
    try:
        return PART_KINDS[slug]
    except KeyError:
        raise Http404 from None


def get_part(case: Case, kind: PartKind, pk: int):
    part = kind.queryset(case).filter(pk=pk).first()
    if part is None:
        raise Http404
    return part


def parts_of(case: Case, kind: PartKind):
    """The parts in the order the case page shows them, with what their rows display."""
    queryset = kind.queryset(case)
    if kind.slug == "risks":
        queryset = queryset.prefetch_related("actors", "events")
    elif kind.slug == "criteria":
        queryset = queryset.select_related("principle", "risk", "actor")
    if kind.model is not Source:
        queryset = queryset.select_related("source")
    return queryset


def next_code(case: Case, kind: PartKind) -> str:
    """One past the highest number among the kind's codes that look like P1, P2..."""
    numbers = [0]
    for code in kind.queryset(case).values_list("code", flat=True):
        match = re.fullmatch(rf"{kind.prefix}(\d+)", code)
        if match:
            numbers.append(int(match.group(1)))
    return f"{kind.prefix}{max(numbers) + 1}"


def next_position(case: Case, kind: PartKind) -> int:
    top = kind.queryset(case).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def move_part(part, direction: str) -> bool:
    """Swap the part with its neighbour above ("up") or below ("down"). False at an end.

    Positions are renumbered 0..n-1 first, so parts imported with equal positions move too."""
    with transaction.atomic():
        siblings = list(
            type(part).objects.select_for_update()
            .filter(case_id=part.case_id).order_by("position", "code")
        )
        index = next(i for i, s in enumerate(siblings) if s.pk == part.pk)
        other = index - 1 if direction == "up" else index + 1
        if direction not in ("up", "down") or not 0 <= other < len(siblings):
            return False
        siblings[index], siblings[other] = siblings[other], siblings[index]
        changed = []
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                sibling.position = position
                changed.append(sibling)
        type(part).objects.bulk_update(changed, ["position"])
        if type(part) in (Option, Criterion):
            touch_workshops(part.case_id)
    return True


# -- Workshops a change touches ------------------------------------------------------------

ACTIVE = (Workshop.Status.DRAFT, Workshop.Status.OPEN, Workshop.Status.CLOSED)


def active_workshops(case: Case) -> list[Workshop]:
    """Workshops on the case that are not locked: changing the criteria changes what their
    analysts score (a closed round can reopen, a draft opens)."""
    return list(case.workshops.filter(status__in=ACTIVE).order_by("title", "pk"))


def workshop_names(workshops: list[Workshop]) -> str:
    return _join([f"“{w.title}” ({w.get_status_display().lower()})" for w in workshops])


def criteria_warning(case: Case) -> str:
    """What to tell an author before changing criteria, or "" when no workshop is in play."""
    workshops = active_workshops(case)
    if not workshops:
        return ""
    many = len(workshops) > 1
    return (
        f"{'The workshops' if many else 'The workshop'} {workshop_names(workshops)} "
        f"{'use' if many else 'uses'} this case. Changing its criteria changes what "
        f"{'their' if many else 'its'} analysts score and how the results are weighted."
    )


def touch_workshops(case_id: int) -> None:
    """Tell every open page on the case's workshops that something changed."""
    Workshop.objects.filter(case_id=case_id).update(revision=F("revision") + 1)


def save_part(part, *, old_code: str | None = None, then=None) -> None:
    """Save a part (new or edited) and keep what refers to it by code in step. `then` runs in
    the same transaction once the part has its id (a form's save_m2m)."""
    with transaction.atomic():
        if part.pk is None and hasattr(part, "position"):
            part.position = next_position(part.case, PART_KINDS[_kind_slug(part)])
        part.save()
        if then is not None:
            then()
        if isinstance(part, Criterion):
            if old_code and old_code != part.code:
                _rename_judgements(part.case_id, old_code, part.code)
        if isinstance(part, (Option, Criterion)):
            touch_workshops(part.case_id)


def _rename_judgements(case_id: int, old: str, new: str) -> None:
    # AHP judgements are keyed "C1|C2" by criterion code.
    for workshop in Workshop.objects.filter(case_id=case_id).exclude(ahp_judgements={}):
        renamed = {}
        for pair, value in workshop.ahp_judgements.items():
            a, _, b = pair.partition("|")
            renamed[f"{new if a == old else a}|{new if b == old else b}"] = value
        workshop.ahp_judgements = renamed
        workshop.save(update_fields=["ahp_judgements"])


def scores_off_scale(criterion: Criterion, low: int, high: int) -> int:
    """How many saved scores would fall outside a new scale low..high."""
    if criterion.pk is None:
        return 0
    return Score.objects.filter(criterion=criterion).filter(
        Q(value__lt=low) | Q(value__gt=high)
    ).count()


# -- Deleting a part -----------------------------------------------------------------------


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


def delete_consequences(part, kind: PartKind) -> Consequences:
    result = Consequences(part, kind)
    name = result.name
    if isinstance(part, (Option, Criterion)):
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
            what = [_count(scores, "score")] if scores else []
            if weights:
                what.append(_count(weights, "weight"))
            result.lines.append(
                f"Deleting {name} deletes {_join(what)} in {_count(len(workshops), 'workshop')}."
            )
        else:
            result.lines.append(f"No scores depend on {name}.")
        locked = sorted({r["workshop__title"] for r in rows if r["workshop__status"] == "locked"})
        if locked:
            result.blocked = (
                f"{_join([f'“{t}”' for t in locked])} {'is' if len(locked) == 1 else 'are'} "
                f"locked and {'holds' if len(locked) == 1 else 'hold'} scores on {name}: "
                "a locked workshop's scores cannot change, so it cannot be deleted."
            )
        if isinstance(part, Criterion):
            result.warning = criteria_warning(part.case)
    if isinstance(part, (Principle, Risk, Actor)):
        derived = list(part.criteria.values_list("code", flat=True))
        if derived:
            result.lines.append(
                f"{_codes('Criterion', 'Criteria', derived)} will no longer derive from it "
                "(they and their scores stay)."
            )
    if isinstance(part, (Actor, Event)):
        risks = list(part.risks.values_list("code", flat=True))
        if risks:
            result.lines.append(
                f"{_codes('Risk', 'Risks', risks)} will no longer "
                f"{'name this actor' if isinstance(part, Actor) else 'cite this event'}."
            )
    if isinstance(part, Source):
        citing = []
        for slug, other in PART_KINDS.items():
            if other.model is not Source:
                cited = other.queryset(part.case).filter(source=part)
                citing += cited.values_list("code", flat=True)
        if citing:
            result.lines.append(f"{_join(citing)} will no longer cite it.")
    if not result.lines:
        result.lines.append(f"Nothing else in the case depends on {name}.")
    return result


def delete_part(part, kind: PartKind) -> str | None:
    """Delete the part, or return why it may not go. Workshops' judgements lose its code."""
    with transaction.atomic():
        consequences = delete_consequences(part, kind)
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
        if kind.scored:
            touch_workshops(case_id)
    return None


# -- Proposing criteria --------------------------------------------------------------------

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
    transaction."""
    with transaction.atomic():
        start = next_position(case, PART_KINDS["criteria"])
        codes = CodeSeries(case)
        criteria = [p.build(case, codes.next(), start + i) for i, p in enumerate(proposals)]
        Criterion.objects.bulk_create(criteria)
        if criteria:
            touch_workshops(case.pk)
    return criteria


# -- Plain words ---------------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _join(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _codes(singular: str, plural: str, codes: list[str]) -> str:
    return f"{singular if len(codes) == 1 else plural} {_join(codes)}"
