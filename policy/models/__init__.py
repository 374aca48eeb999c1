from .account import UserSession
from .case import Actor, Case, Criterion, Event, Option, Principle, Risk, Source
from .history import HistoryEntry
from .memo import MemoPDF, MemoSettings, MemoText
from .record import LockedRecord
from .workshop import AnalystWeight, Membership, Score, Weight, Workshop

__all__ = [
    "Actor", "Case", "Criterion", "Event", "Option", "Principle", "Risk", "Source",
    "Membership", "Score", "Weight", "Workshop", "MemoPDF", "MemoSettings", "MemoText",
    "HistoryEntry", "UserSession", "LockedRecord", "AnalystWeight",
]
