"""The live panels of a workshop page (progress, and results for those who may see them),
rendered once for everyone who sees the same thing.

Every open page polls every 2 seconds; while analysts are saving, the workshop's revision
moves between most polls, so most polls need the panels again. Rendering them costs a few
milliseconds of queries and template, and for members who see the group's results a full
comparison (tens of milliseconds): paid by each page, a workshop of 20 analysts saving every
10 seconds would pay it 10 times a second. The panels depend only on the workshop and
on the member's audience (facilitator or not, group visible or not), so they are rendered
once per audience and kept in the shared cache, and rendered again at most once every
RENDER_INTERVAL seconds: within it, a page is given the cached panels if they are newer than
its own, or told nothing changed yet, and its next poll brings the rest. So a page's panels
lag the newest save by at most RENDER_INTERVAL plus one poll. Nothing is kept in process
memory, so this holds across processes and machines.
"""
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse

from ..accounts import sessions
from ..models import Membership, Workshop
from ..permissions import role_sees_group

RENDER_INTERVAL = 2.0  # seconds: at most one render per poll interval, workshop and audience
CACHE_SECONDS = 600


@dataclass(frozen=True)
class LiveState:
    """What the poll reads of the workshop and of the member's role, in one query."""
    revision: int
    status: str
    round: int
    revealed: bool
    hide_scores: bool
    created_at: object  # as the driver returns it (text on SQLite): only told apart
    paced_criterion_id: int | None
    role: str


# The member's view of the workshop, read with the session's check (accounts/sessions.py):
# every poll makes this one query, and nothing else when nothing changed. Plain SQL: building
# the same join through the ORM costs more than running it (docs/reliability.md).
STATE = sessions.Also(
    joins="""
        LEFT JOIN {membership} m ON m.workshop_id = %s AND m.user_id = u.id
        LEFT JOIN {workshop} w ON w.id = m.workshop_id
    """.format(membership=Membership._meta.db_table, workshop=Workshop._meta.db_table),
    columns="""w.revision AS live_revision, w.status AS live_status, w.round AS live_round,
        w.revealed AS live_revealed, w.hide_scores AS live_hide_scores,
        w.created_at AS live_created_at, w.paced_criterion_id AS live_paced_criterion_id,
        m.role AS live_role""",
    params=lambda pk: [pk],
)


def live_state(found: dict) -> LiveState | None:
    """The member's view of the workshop's state from the poll's row (read with STATE), or
    None if they are not a member."""
    if found["live_role"] is None:
        return None
    return LiveState(*(found[f"live_{name}"] for name in LiveState.__dataclass_fields__))


def page_state(workshop: Workshop | LiveState) -> str:
    """What, when it changes, needs a whole new page rather than fresh panels: the status,
    the round and the paced item (its score boxes are the page's own). A reveal or a hide is
    not among them: it changes the audience (below), whose panels, notice and memo link the
    poll swaps in, so that a reveal does not reload every page of the room at once. A paced
    item's reveal is not among them either: its answers come with the panels."""
    item = workshop.paced_criterion_id
    return _stage(workshop) + (f"{ITEM}{item}" if item else "")


ITEM = "-item"


def _stage(workshop: Workshop | LiveState) -> str:
    return f"{workshop.status}-{workshop.round}"


def reload(seen: str | None, state: LiveState) -> HttpResponse:
    """The poll's answer to a page whose state has moved: a new page.

    A new round or status changes every page of the room at once, and each would reload its
    grid, the app's heaviest page, within the same poll interval. So the page is told the
    workshop moved on (HX-Trigger), and static/js/app.js reloads it after a random moment of
    up to two seconds, saying so meanwhile: a room's reloads spread over about four seconds
    rather than two. A paced item's move reloads at once: the room is waiting for it, and the
    item's page is small."""
    response = HttpResponse(status=204)
    if seen and seen.split(ITEM)[0] == _stage(state):  # the same status and round
        response["HX-Refresh"] = "true"
    else:
        response["HX-Trigger"] = "workshop-moved"
    return response


def audience_of(role: str, workshop: Workshop | LiveState) -> str:
    """Who sees the same panels: the group's results or only their own, facilitator or not."""
    sees_group = role_sees_group(role, workshop.hide_scores, workshop.revealed, workshop.status)
    facilitator = role == Membership.Role.FACILITATOR
    return f"{'group' if sees_group else 'own'}-{'facilitator' if facilitator else 'member'}"


def audience(state: LiveState) -> str:
    return audience_of(state.role, state)


def panels_html(workshop_id: int, state: LiveState, seen: str | None, render) -> str | None:
    """The panels for this member's audience, or None when the page should keep its own.

    From the cache when they are of the current revision, or were rendered under
    RENDER_INTERVAL ago (then newer than the page's `seen`, or else None: nothing newer
    yet). Otherwise `render()`, kept for the others. `render` must not depend on the user.
    """
    # created_at (its digits: keys have no spaces) tells apart two workshops that got the
    # same id (SQLite may reuse one).
    created = "".join(ch for ch in str(state.created_at) if ch.isdigit())
    key = f"live:{workshop_id}:{created}:{audience(state)}"
    entry = cache.get(key)
    now = time.time()
    if entry is not None:
        if entry["revision"] == state.revision:
            return entry["html"]
        if now - entry["rendered_at"] < RENDER_INTERVAL:
            return entry["html"] if entry["revision"] > revision_number(seen) else None
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
