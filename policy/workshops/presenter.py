"""What the projector shows: the workshop's title, how to join, how far the room has got and,
after the reveal, the ranking. Nothing on it names a person: it is on a wall for everyone."""
import segno

from ..models import Workshop
from ..scoring import ScoringError
from .grid import cell_count
from .paced import current_item, distribution
from .progress import totals, workshop_progress
from .results import workshop_result

RANKING_SHOWN = 5
# The paced item's dot plot at 1920x1080: text at 28 px in a chart drawn at its own size
# in the screen's wide column, options' names in a column beside their dots.
CHART = {"width": 1320, "font": 28, "label_w": 680}


def join_qr_svg(url: str) -> str:
    """The join link as a QR code, an SVG the page can inline (segno writes no script)."""
    return segno.make(url, error="m").svg_inline(scale=8, dark="#1b1b1b", light="#ffffff",
                                                  border=2, omitsize=True)


def spaced_code(token: str) -> str:
    """ABCD EFGH: a code read aloud or off a wall is easier in two halves."""
    return f"{token[:4]} {token[4:]}" if len(token) == 8 else token


def screen_context(workshop: Workshop) -> dict:
    """The screen's live part: the counts, the paced item (its answers once revealed), and
    the first options of the ranking once the scores are revealed."""
    ranking, error = [], ""
    if workshop.revealed:
        try:
            result = workshop_result(workshop)
            ranking = [row for row in result["ranking"] if row["status"] == "ranked"]
            ranking = ranking[:RANKING_SHOWN]
        except ScoringError as refused:
            error = str(refused)
    progress = workshop_progress(workshop, cell_count(workshop))
    item = current_item(workshop, [p.user_id for p in progress])
    return {"workshop": workshop, "counts": totals(progress), "ranking": ranking,
            "ranking_error": error, "item": item,
            # The wall sees an item's answers only once the team does.
            "item_chart": distribution(item, **CHART) if item and item.revealed else ""}
