"""Log-in rate limiting: failed log-ins counted per username and per client address, in the
shared cache (the database's cache table, or Redis), so the limit holds across every app
process and machine.

Each failure takes one of LIMIT slots, a cache key that expires WINDOW seconds after the
failure and holds its time. Taking a slot is cache.add(), which is atomic (an INSERT on the
primary key in the database cache, SET NX in Redis): two failures at the same instant take two
slots, where a read-then-write counter would count them once. When every slot of a username or
of an address is taken, attempts are refused until the oldest failure is WINDOW seconds old.

Usernames are counted whether or not they exist, and the refusal is the same for both: the
limit tells nobody which usernames are real. They are counted as authentication sees them
(counted_username), so no other spelling of a username starts a fresh count.
"""
import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.core.cache import cache

# The time source of the window: tests move it forward instead of waiting out a window.
clock = time.time


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n > 0 the n-th address
    from the right of X-Forwarded-For, the one the outermost trusted proxy saw. Addresses to
    its left were written by the client and prove nothing."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted == 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < trusted:
        return remote  # the request did not come through every proxy: trust none of it
    candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _slots(scope: str, value: str, limit: int) -> list[str]:
    # Hashed: a key of fixed length and alphabet whatever was typed, and no usernames in Redis.
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return [f"login-failures:{scope}:{digest}:{n}" for n in range(limit)]


def counted_username(typed: str) -> str:
    """The username a failure counts against: what was typed as the log-in form hands it to
    authentication (Django's UsernameField, as sign-up uses too: stripped, NFKC-normalised),
    so " ana", "ana\t" and full-width "ａｎａ", which all log in as ana, all count as ana.
    Case-folded as well: "Ana" and "ana" share a count, so varying the case buys no extra
    guesses (sign-up refuses a username that differs from another only in case)."""
    return UsernameField().to_python(typed).casefold()


def _scopes(username: str, ip: str) -> list[list[str]]:
    return [
        _slots("user", counted_username(username), settings.LOGIN_FAILURE_LIMIT),
        _slots("ip", ip, settings.LOGIN_IP_FAILURE_LIMIT),
    ]


def seconds_blocked(username: str, ip: str) -> int:
    """0 if a log-in for this username from this address may be tried now; else the seconds
    until it may (until the oldest failure of a full username or address leaves the window)."""
    keys = [key for slots in _scopes(username, ip) for key in slots]
    taken = cache.get_many(keys)
    now = clock()
    wait = 0.0
    for slots in _scopes(username, ip):
        times = [taken[key] for key in slots if key in taken]
        if len(times) == len(slots):
            wait = max(wait, min(times) + settings.LOGIN_FAILURE_WINDOW - now)
    return math.ceil(wait) if wait > 0 else 0


def record_failure(username: str, ip: str) -> None:
    now = clock()
    for slots in _scopes(username, ip):
        for key in slots:
            if cache.add(key, now, timeout=settings.LOGIN_FAILURE_WINDOW):
                break


def record_success(username: str) -> None:
    """A log-in that succeeded clears its username's failures (not its address's: one good
    account must not buy an address fresh guesses at others)."""
    cache.delete_many(_slots("user", counted_username(username), settings.LOGIN_FAILURE_LIMIT))
