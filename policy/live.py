"""The live panels of a workshop page (progress, and results for those who may see them),
rendered once for everyone who sees the same thing.

Every open page polls every 2 seconds; while analysts are saving, the workshop's revision
moves between most polls, so most polls need the panels again. Rendering them costs a few
milliseconds of queries and template, and for members who see the group's results a full
comparison (tens of milliseconds): paid by each page, a workshop of 20 analysts saving every
10 seconds would pay it about 10 times a second. The panels depend only on the workshop and
on the member's audience (facilitator or not, group visible or not), so they are rendered
once per audience and kept in the shared cache, and rendered again at most once every
RENDER_INTERVAL seconds: a page may be shown panels up to that much older than the newest
save, always newer than what it had, and its next poll brings the rest. Nothing is kept in
process memory, so this holds across processes and machines.
"""
import time
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache

from .models import Membership, Workshop
from .permissions import role_sees_group

RENDER_INTERVAL = 1.0  # seconds: at most one render a second per workshop and audience
CACHE_SECONDS = 600


@dataclass(frozen=True)
class LiveState:
    """What the poll reads of the workshop and of the member's role, in one query."""
    revision: int
    status: str
    round: int
    revealed: bool
    hide_scores: bool
    created_at: datetime
    role: str


def live_state(workshop_id: int, user) -> LiveState | None:
    """The member's view of the workshop's state, or None if they are not a member."""
    row = (
        Membership.objects.filter(workshop_id=workshop_id, user=user)
        .values_list(
            "workshop__revision", "workshop__status", "workshop__round", "workshop__revealed",
            "workshop__hide_scores", "workshop__created_at", "role",
        )
        .first()
    )
    return LiveState(*row) if row else None


def page_state(workshop: Workshop | LiveState) -> str:
    """What, when it changes, needs a whole new page rather than fresh panels."""
    return f"{workshop.status}-{workshop.round}-{int(workshop.revealed)}"


def audience(state: LiveState) -> str:
    sees_group = role_sees_group(state.role, state.hide_scores, state.revealed)
    facilitator = state.role == Membership.Role.FACILITATOR
    return f"{'group' if sees_group else 'own'}-{'facilitator' if facilitator else 'member'}"


def panels_html(workshop_id: int, state: LiveState, seen: str | None, render) -> str:
    """The panels for this member's audience: from the cache when they are of the current
    revision, or newer than the page's (`seen`) and rendered under RENDER_INTERVAL ago;
    otherwise `render()`, kept for the others. `render` must not depend on the user."""
    # created_at tells apart two workshops that got the same id (SQLite may reuse one).
    key = f"live:{workshop_id}:{state.created_at.timestamp()}:{audience(state)}"
    entry = cache.get(key)
    now = time.time()
    if entry is not None:
        fresh = entry["revision"] == state.revision
        recent = now - entry["rendered_at"] < RENDER_INTERVAL
        if fresh or (recent and entry["revision"] > revision_number(seen)):
            return entry["html"]
    html = render()
    cache.set(
        key, {"revision": state.revision, "rendered_at": now, "html": html}, CACHE_SECONDS
    )
    return html


def revision_number(seen: str | None) -> int:
    """The revision a page says it shows; anything else (missing, garbage) as none."""
    try:
        return int(seen)
    except (TypeError, ValueError):
        return -1
