"""What the projector shows: the workshop's title, how to join, how far the room has got and,
after the reveal, the ranking. Nothing on it names a person: it is on a wall for everyone."""
from dataclasses import dataclass

import segno
from django.db.models import Count

from ..models import Membership, Score, Workshop
from ..scoring import ScoringError
from .grid import cell_count
from .results import workshop_result

RANKING_SHOWN = 5


@dataclass
class RoomCounts:
    analysts: int  # who have joined as analysts
    finished: int  # analysts who have scored every cell of this round
    scored: int  # cells scored this round, all analysts together
    expected: int  # analysts x cells

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.expected) if self.expected else 0


def room_counts(workshop: Workshop) -> RoomCounts:
    cells = cell_count(workshop)
    analysts = list(
        Membership.objects.filter(workshop=workshop, role=Membership.Role.ANALYST)
        .values_list("user_id", flat=True)
    )
    per_analyst = dict(
        Score.objects.filter(workshop=workshop, round=workshop.round, analyst_id__in=analysts)
        .values_list("analyst_id").annotate(n=Count("id")).order_by()
    )
    return RoomCounts(
        analysts=len(analysts),
        finished=sum(1 for n in per_analyst.values() if cells and n >= cells),
        scored=sum(per_analyst.values()),
        expected=len(analysts) * cells,
    )


def join_qr_svg(url: str) -> str:
    """The join link as a QR code, an SVG the page can inline (segno writes no script)."""
    return segno.make(url, error="m").svg_inline(scale=8, dark="#1b1b1b", light="#ffffff",
                                                  border=2, omitsize=True)


def spaced_code(token: str) -> str:
    """ABCD EFGH: a code read aloud or off a wall is easier in two halves."""
    return f"{token[:4]} {token[4:]}" if len(token) == 8 else token


def screen_context(workshop: Workshop) -> dict:
    """The screen's live part: the counts, and the first options of the ranking once revealed."""
    ranking, error = [], ""
    if workshop.revealed:
        try:
            result = workshop_result(workshop)
            ranking = [row for row in result["ranking"] if row["status"] == "ranked"]
            ranking = ranking[:RANKING_SHOWN]
        except ScoringError as refused:
            error = str(refused)
    return {"workshop": workshop, "counts": room_counts(workshop), "ranking": ranking,
            "ranking_error": error}
