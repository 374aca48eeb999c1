"""Sessions that end on the server: logged out means logged out (DESIGN.md).

The session's data stays in the signed cookie, and each log-in also gets a UserSession row,
found by the hash of a random id that the cookie carries. A request's user is its session's
user only while that row exists, the session has been idle for less than
SESSION_IDLE_SECONDS, and it began less than SESSION_MAX_AGE_SECONDS ago. Log-out deletes the
row, so a copy of the cookie opens nothing afterwards; "log out everywhere" deletes all of a
user's rows. Nothing is kept in process memory: any process on any machine sees the same rows.

The check is one query on the primary key that also reads the user's row (a join), made only
when a request needs its user (never for /health/ or static files). The idle clock is written
at most once per refresh interval per session, and not by views marked `passive` (the
workshop page's automatic poll): a page left open does not keep its session alive, and polls
write nothing.
"""
import functools
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import Q
from django.dispatch import receiver

from .. import rows
from ..models import UserSession
from . import backends

User = auth.get_user_model()

# The session data's key for the random id of the session's row.
SESSION_ID_KEY = "_live_session_id"


@dataclass(frozen=True, eq=False)  # hashed by identity: the query built for it is kept
class Also:
    """What a view reads about its user in the same query as the session's check: outer
    joins from the user's row (`u`), the columns they add (models' columns named by
    rows.select), and the joins' parameters from the view's URL arguments."""
    joins: str = ""
    columns: str = ""
    models: dict = field(default_factory=dict)  # alias: model, for rows.fetch
    params: Callable[..., list] = lambda **kwargs: []


USER_ALONE = Also()  # the middleware's: the user, and nothing else


@functools.lru_cache(maxsize=None)
def _live_sql(also: Also) -> str:
    # The session's row and its user's, in one query (policy/rows.py converts the fields).
    # Built once per Also (each is a module's constant): it was 7% of a poll's time.
    columns = f", {also.columns}" if also.columns else ""
    return (
        f"SELECT {rows.select(User, 'u')}, s.started AS session_started, "
        f"s.seen AS session_seen{columns} "
        f"FROM {UserSession._meta.db_table} s "
        f"JOIN {User._meta.db_table} u ON u.{User._meta.pk.column} = s.user_id "
        f"{also.joins} WHERE s.key = %s"
    )


def now() -> int:
    """The clock every rule here reads, in Unix seconds."""
    return int(time.time())


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _dead(t: int) -> Q:
    return Q(started__lte=t - settings.SESSION_MAX_AGE_SECONDS) | Q(
        seen__lte=t - settings.SESSION_IDLE_SECONDS)


def start(session, user) -> None:
    """Give a session that has just logged in its row (every log-in: see the receiver below)."""
    end(session)  # logging in again replaces the session's old row
    t = now()
    session_id = secrets.token_urlsafe(32)
    UserSession.objects.create(key=_digest(session_id), user=user, started=t, seen=t)
    session[SESSION_ID_KEY] = session_id
    # Sessions that ended by time rather than by log-out leave rows: drop the user's here, so
    # the table holds about as many rows as there are live sessions.
    UserSession.objects.filter(_dead(t), user=user).delete()


def end(session) -> None:
    """End this session on the server (log-out)."""
    session_id = session.get(SESSION_ID_KEY)
    if session_id:
        UserSession.objects.filter(key=_digest(session_id)).delete()


def end_all(user) -> int:
    """End every session of the user, on every browser and device; the number ended."""
    return UserSession.objects.filter(user=user).delete()[0]


def live_count(user) -> int:
    return UserSession.objects.filter(user=user).exclude(_dead(now())).count()


def passive(view):
    """Mark a view whose requests are automatic (a poll): they need a live session like any
    other, but do not count as activity for the idle timeout."""
    view.session_passive = True
    return view


def get_user(request):
    """Django's auth.get_user(), for a session that is live on the server. A session that is
    not (logged out, idle too long, too old, or from before these rows) is flushed, so its
    cookie is deleted, and the request is anonymous."""
    return get_user_with(request, USER_ALONE, [])[0]


def get_user_with(request, also: Also, params: list) -> tuple:
    """get_user(), and the row of what `also` reads (None when the request is anonymous)."""
    session = request.session
    if auth.SESSION_KEY not in session:
        return AnonymousUser(), None  # never logged in: no query
    session_id = session.get(SESSION_ID_KEY)
    key = _digest(session_id) if session_id else None
    models = {"u": User, **also.models}
    found = rows.fetch(_live_sql(also), [*params, key], **models) if key else []
    t = now()
    if not found or str(found[0]["u"].pk) != session[auth.SESSION_KEY]:
        session.flush()
        return AnonymousUser(), None
    [row] = found
    started, seen = row["session_started"], row["session_seen"]
    if (t - started >= settings.SESSION_MAX_AGE_SECONDS
            or t - seen >= settings.SESSION_IDLE_SECONDS):
        UserSession.objects.filter(key=key).delete()
        session.flush()
        return AnonymousUser(), None
    # Django's own check, of the row just read: active, and the password hash still matching
    # the session's (a password change ends the other sessions).
    with backends.loaded(row["u"]):
        user = auth.get_user(request)
    if not user.is_authenticated:
        return user, None
    if t - seen >= _refresh_interval() and not _is_passive(request):
        UserSession.objects.filter(key=key).update(seen=t)
    return user, row


def login_required_with(also: Also):
    """login_required, for the app's busiest views: what the view needs about its user is read
    by the session's own query, and given to the view as `found` (the row, as rows.fetch
    makes it). One query where there would be two, on every poll and every cell save."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            user, found = get_user_with(request, also, also.params(**kwargs))
            request._cached_user = user  # what the middleware's lazy request.user gives
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, found=found, **kwargs)
        return wrapped
    return decorator


def _refresh_interval() -> float:
    # Writing the idle clock on every request would make every page view a write. Within
    # this interval the clock may lag by it: at most 5 minutes, or a twelfth of the timeout.
    return min(300, settings.SESSION_IDLE_SECONDS / 12)


def _is_passive(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and getattr(match.func, "session_passive", False))


@receiver(user_logged_in)
def _started(sender, request, user, **kwargs):
    start(request.session, user)


@receiver(user_logged_out)
def _ended(sender, request, user, **kwargs):
    end(request.session)
