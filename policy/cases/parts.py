"""The parts of a case (principles, actors, ... sources): finding, numbering, ordering and saving
them, and the workshops a change touches (changes.py tells them)."""
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404

from .casefile.limits import PART_LIMITS, part_limit
from ..models import (
    Actor,
    Case,
    Criterion,
    Event,
    Membership,
    Option,
    Principle,
    Risk,
    Score,
    Source,
    Workshop,
)
from . import changes, words


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

    def queryset(self, case: Case):
        return self.model.objects.filter(case=case)

    @property
    def scored(self) -> bool:
        """Changing this kind changes what workshops score (decided on the model)."""
        return self.model.scored

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
        PartKind("options", Option, "option", "options", "O"),
        PartKind("criteria", Criterion, "criterion", "criteria", "C"),
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


def too_many_to_add(case: Case, kind: PartKind, adding: int = 1) -> str | None:
    """Why `adding` more of the kind's parts would take the case past its limit, or None."""
    limit, count = part_limit(kind.slug), kind.queryset(case).count()
    if count + adding <= limit:
        return None
    if adding == 1:
        advice = "delete one to add another"
    else:
        advice = f"{adding} more would make {count + adding:,}"
    return (
        f"This case has {count:,} {kind.plural if count != 1 else kind.singular} and a case may "
        f"have at most {limit:,} ({PART_LIMITS[kind.slug]}): {advice}."
    )


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
        changes.case_changed(part.case_id, scored=part.scored)  # bulk_update sends no signal
    return True


# -- Workshops a change touches ------------------------------------------------------------

ACTIVE = (Workshop.Status.DRAFT, Workshop.Status.OPEN, Workshop.Status.CLOSED)


def active_workshops(case: Case) -> list[Workshop]:
    """Workshops on the case that are not locked: changing the criteria changes what their
    analysts score (a closed round can reopen, a draft opens)."""
    return list(case.workshops.filter(status__in=ACTIVE).order_by("title", "pk"))


def workshop_names(workshops: list[Workshop]) -> str:
    return words.join([f"“{w.title}” ({w.get_status_display().lower()})" for w in workshops])


def criteria_warning(case: Case, user) -> str:
    """What to tell an author before changing criteria, or "" when no workshop is in play.
    Workshops are named only to their members (`user`; None names none): a case's editors
    need not belong to the workshops on it (issue 12). One query, as the edit page asks."""
    workshops = case.workshops.order_by("title", "pk").annotate(mine=Exists(
        Membership.objects.filter(workshop=OuterRef("pk"), user_id=getattr(user, "pk", None))
    ))
    active = [w for w in workshops if w.status in ACTIVE]
    locked = len(workshops) - len(active)
    said = []
    if active:
        said.append(
            f"{_in_use(active)} Changing its criteria changes what "
            f"{'their' if len(active) > 1 else 'its'} analysts score and how the results are "
            "weighted."
        )
    if locked:
        # Lock is a record (policy/workshops/record.py): their results are stored.
        said.append(
            f"{words.count(locked, 'locked workshop')} "
            f"{'keeps the result it was' if locked == 1 else 'keep the result they were'} "
            "locked with."
        )
    return " ".join(said)


def _in_use(workshops: list[Workshop]) -> str:
    named = [w for w in workshops if w.mine]
    many = len(workshops) > 1
    if len(named) == len(workshops):
        return (f"{'The workshops' if many else 'The workshop'} {workshop_names(named)} "
                f"{'use' if many else 'uses'} this case.")
    in_use = f"{words.count(len(workshops), 'workshop')} {'use' if many else 'uses'} this case"
    if not named:
        return f"{in_use}."
    return f"{in_use}, among them {workshop_names(named)}."


def save_part(part, *, old_code: str | None = None, then=None) -> None:
    """Save a part (new or edited) and keep what refers to it by code in step. `then` runs in
    the same transaction once the part has its id (a form's save_m2m). The save and the links
    reach changes.case_changed through their signals."""
    with transaction.atomic():
        if part.pk is None and hasattr(part, "position"):
            part.position = next_position(part.case, PART_KINDS[_kind_slug(part)])
        part.save()
        if then is not None:
            then()
        if isinstance(part, Criterion):
            if old_code and old_code != part.code:
                _rename_judgements(part.case_id, old_code, part.code)


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
