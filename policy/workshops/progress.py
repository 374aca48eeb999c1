"""What a workshop page shows of who has done what: counted in two queries."""
from dataclasses import dataclass

from django.db.models import Count

from ..models import Membership, Score, Workshop


@dataclass
class AnalystProgress:
    user_id: int
    username: str
    scored: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.total) if self.total else 0


@dataclass
class ProgressTotals:
    """The room's progress without a name: what the projector shows, and all an analyst or
    observer sees of the others in an anonymous workshop (a row per label that moves while
    someone types would tie the label to the person)."""
    analysts: int  # who have joined as analysts
    finished: int  # analysts who have scored every cell of this round
    scored: int  # cells scored this round, all analysts together
    expected: int  # analysts x cells

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.expected) if self.expected else 0


def totals(progress: list[AnalystProgress]) -> ProgressTotals:
    return ProgressTotals(
        analysts=len(progress),
        finished=sum(1 for p in progress if p.total and p.scored >= p.total),
        scored=sum(p.scored for p in progress),
        expected=sum(p.total for p in progress),
    )


def progress_of(progress: list[AnalystProgress], user_id: int) -> AnalystProgress | None:
    return next((p for p in progress if p.user_id == user_id), None)


def scored_cells(workshop_id: int, round: int, user) -> int:
    """How many cells the analyst has scored in the round (a refused save's reply shows it;
    a save counts it as it writes: actions.save_score)."""
    return Score.objects.filter(workshop_id=workshop_id, round=round, analyst=user).count()


def workshop_progress(workshop: Workshop, cells: int) -> list[AnalystProgress]:
    """Each analyst's count of scored cells in the current round, out of `cells`."""
    counts = dict(
        Score.objects.filter(workshop=workshop, round=workshop.round)
        .values_list("analyst_id")
        .annotate(n=Count("id"))
    )
    # Joining order: the facilitator's table (who came when), never shown as labels.
    analysts = Membership.objects.filter(
        workshop=workshop, role=Membership.Role.ANALYST
    ).order_by("joined_at", "id").values_list("user_id", "user__username")
    return [AnalystProgress(uid, name, counts.get(uid, 0), cells) for uid, name in analysts]
