"""Log-in rate limiting (policy/accounts/ratelimit.py, policy/views/accounts.login_view)."""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from policy.accounts import ratelimit
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pass-word-123"


def attempt(client, username, password="wrong-guess", ip="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "Signed in as" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_five_failures_then_429_even_with_the_right_password(client):
    make_user("ana")
    for _ in range(5):
        response = attempt(client, "ana")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    response = attempt(client, "ana", PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    body = response.content.decode()
    assert "Too many failed log-ins for this username or from your network. " \
           "Try again in 15 minutes." in body
    assert 'name="username"' in body  # the form is still there for later
    assert not signed_in(client)


@pytest.mark.django_db
def test_refusal_reads_the_same_for_a_username_that_does_not_exist(client):
    make_user("ana")
    refusals = []
    for username in ("ana", "nobody-here"):
        for _ in range(5):
            attempt(client, username, ip="10.0.0.1" if username == "ana" else "10.0.0.2")
        response = attempt(client, username, ip="10.0.0.1" if username == "ana" else "10.0.0.2")
        assert response.status_code == 429
        refusals.append(response)
    assert refusals[0]["Retry-After"] == refusals[1]["Retry-After"]
    first, second = (r.content.decode().split('class="message error">')[1].split("<")[0]
                     for r in refusals)
    assert first == second


@pytest.mark.django_db
def test_another_username_from_another_address_still_logs_in(client):
    make_user("ana")
    make_user("bob")
    for _ in range(5):
        attempt(client, "ana", ip="10.0.0.1")
    assert attempt(client, "ana", PASSWORD, ip="10.0.0.1").status_code == 429
    # The username is counted wherever it comes from...
    assert attempt(client, "ana", PASSWORD, ip="10.0.0.9").status_code == 429
    assert attempt(client, "ANA", PASSWORD, ip="10.0.0.9").status_code == 429
    # ...and only it: bob from elsewhere, and bob from ana's address (below its own limit).
    response = attempt(client, "bob", PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302 and signed_in(client)
    client.logout()
    assert attempt(client, "bob", PASSWORD, ip="10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_an_address_is_refused_after_its_own_limit_across_usernames(client, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    make_user("bob")
    for n in range(8):
        assert attempt(client, f"guess{n}", ip="10.0.0.1").status_code == 200
    assert attempt(client, "bob", PASSWORD, ip="10.0.0.1").status_code == 429
    assert attempt(client, "bob", PASSWORD, ip="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_a_successful_log_in_clears_the_usernames_failures(client):
    make_user("ana")
    for _ in range(4):
        attempt(client, "ana")
    assert attempt(client, "ana", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "ana").status_code == 200
    # 4 + 4 failures, but the success between them cleared the first four.
    assert attempt(client, "ana", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_refusal_ends_when_the_oldest_failure_leaves_the_window(client, settings, monkeypatch):
    settings.LOGIN_FAILURE_WINDOW = 1
    start = time.time()
    monkeypatch.setattr(ratelimit, "clock", lambda: start)
    make_user("ana")
    for _ in range(5):
        attempt(client, "ana")
    assert attempt(client, "ana", PASSWORD).status_code == 429
    monkeypatch.setattr(ratelimit, "clock", lambda: start + 0.9)
    assert attempt(client, "ana", PASSWORD).status_code == 429
    monkeypatch.setattr(ratelimit, "clock", lambda: start + 1.2)
    assert attempt(client, "ana", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_log_in_is_the_limited_one(client):
    make_user("ana")
    for _ in range(5):
        client.post("/admin/login/", {"username": "ana", "password": "wrong-guess"})
    response = client.post("/admin/login/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 429


# --- the client's address ----------------------------------------------------------------

def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_ip_ignores_x_forwarded_for_unless_proxies_are_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(request_from("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


@pytest.mark.parametrize("count, forwarded, expected", [
    (1, "203.0.113.5", "203.0.113.5"),
    # The client wrote the left part itself; the proxy appended what it saw.
    (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),
    (2, "6.6.6.6, 203.0.113.5, 10.0.0.3", "203.0.113.5"),
    (1, "2001:db8::1", "2001:db8::1"),
    # Fewer entries than trusted proxies, or garbage: the direct peer.
    (2, "203.0.113.5", "127.0.0.1"),
    (1, "not-an-address", "127.0.0.1"),
    (1, "", "127.0.0.1"),
])
def test_client_ip_takes_the_address_the_outermost_trusted_proxy_saw(
        settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert ratelimit.client_ip(request_from("127.0.0.1", forwarded)) == expected


@pytest.mark.django_db
def test_the_client_address_behind_a_proxy_is_what_gets_limited(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    make_user("bob")
    for n in range(3):
        client.post(reverse("login"), {"username": f"guess{n}", "password": "x"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    refused = client.post(reverse("login"), {"username": "bob", "password": PASSWORD},
                          REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert refused.status_code == 429
    # Another client behind the same proxy is not refused.
    allowed = client.post(reverse("login"), {"username": "bob", "password": PASSWORD},
                          REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert allowed.status_code == 302


# --- shared across processes -------------------------------------------------------------

def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


def blocked_in_another_process(username, ip, extra_env=None) -> int:
    """seconds_blocked() as a fresh process with the production settings sees it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "policy.settings", "DATABASE_URL": database_url(),
                "SECRET_KEY": "x", "DEBUG": "0"})
    env.update(extra_env or {})
    code = ("import django, sys; django.setup(); from policy.accounts import ratelimit; "
            "print(ratelimit.seconds_blocked(sys.argv[1], sys.argv[2]))")
    out = subprocess.run([sys.executable, "-c", code, username, ip], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_failures_are_counted_in_the_database_cache_that_every_process_shares(client, settings):
    # Production's default cache (the suite's own lives in process memory: tests/settings.py).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "django_cache"}}
    assert blocked_in_another_process("ana", "10.0.0.1") == 0
    for _ in range(5):
        attempt(client, "ana", ip="10.0.0.1")
    assert 0 < blocked_in_another_process("ana", "10.0.0.1") <= 15 * 60
    assert blocked_in_another_process("bob", "10.0.0.2") == 0
    cache.clear()  # the table is not emptied between tests as the models' tables are


@pytest.mark.django_db(transaction=True)
def test_failures_are_counted_in_redis_when_cache_url_names_it(client, settings):
    redis_url = "redis://127.0.0.1:6379/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_url}}
    # Another test run may share this Redis: names of its own, and keys gone in 30 s.
    settings.LOGIN_FAILURE_WINDOW = 30
    username, ip = f"ana-{uuid.uuid4().hex}", f"10.{uuid.uuid4().int % 250}.7.7"
    env = {"CACHE_URL": redis_url, "LOGIN_FAILURE_WINDOW": "30"}
    for _ in range(5):
        attempt(client, username, ip=ip)
    assert 0 < blocked_in_another_process(username, ip, env) <= 30
    # Not in the database cache: the counters went to Redis.
    assert blocked_in_another_process(username, ip) == 0
    assert blocked_in_another_process(f"other-{username}", "10.0.0.1", env) == 0


# --- every spelling of a username shares its count ------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("spelling", [" rl_x", "rl_x ", "\trl_x", "ｒｌ_ｘ"])
def test_another_spelling_of_a_locked_username_is_refused_too(client, spelling):
    make_user("rl_x")
    for _ in range(5):
        attempt(client, "rl_x")
    response = attempt(client, spelling, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_failures_in_any_spelling_count_against_the_one_username(client):
    make_user("rl_x")
    for spelling in (" rl_x", "rl_x ", "\trl_x", "ｒｌ_ｘ", "RL_X"):
        assert attempt(client, spelling).status_code == 200
    assert attempt(client, "rl_x", PASSWORD).status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_a_spelling_that_logs_in_logs_in_as_the_username_and_clears_its_count(client):
    make_user("rl_x")
    for _ in range(4):
        attempt(client, "rl_x")
    response = attempt(client, " ｒｌ_ｘ\t", PASSWORD)
    assert response.status_code == 302
    assert "Signed in as <strong>rl_x</strong>" in client.get(reverse("home")).content.decode()
    client.logout()
    # The success counted for rl_x: four more failures are not yet five.
    for _ in range(4):
        attempt(client, "rl_x")
    assert attempt(client, "rl_x", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_counted_username_is_the_one_authentication_looks_up():
    from django.contrib.auth.forms import AuthenticationForm

    for typed in (" rl_x", "rl_x ", "\trl_x", "ｒｌ_ｘ", "\u3000rl_x"):
        form = AuthenticationForm(data={"username": typed, "password": "x"})
        form.is_valid()
        assert form.cleaned_data["username"] == "rl_x"
        assert ratelimit.counted_username(typed) == "rl_x"
    assert ratelimit.counted_username("RL_X") == "rl_x"
