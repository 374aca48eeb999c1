"""SVG charts, the same markup in the pages and in the memo: pure functions from plain data."""
from .bars import PALETTE, Bar, clip, contribution_bars, stacked_bars
from .case_maps import (
    ACTOR_KINDS,
    CHAR_W,
    INK,
    INK_2,
    RISK_BANDS,
    STANCE_FILLS,
    actor_map,
    risk_heatmap,
)

__all__ = [
    "ACTOR_KINDS", "CHAR_W", "INK", "INK_2", "PALETTE", "RISK_BANDS", "STANCE_FILLS",
    "Bar", "actor_map", "clip", "contribution_bars", "risk_heatmap", "stacked_bars",
]
