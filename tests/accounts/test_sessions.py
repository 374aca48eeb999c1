"""Sessions end on the server (policy/accounts/sessions.py): log-out, log out everywhere, the
idle timeout and the absolute lifetime."""
import hashlib

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import connection
from django.test import Client
from django.urls import reverse

from policy.accounts import sessions
from policy.models import UserSession
from tests.factories import make_case, make_workshop

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-123"
HTMX = {"HTTP_HX_REQUEST": "true"}
HOUR = 3600


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved by the test instead of sleeping: clock.now = ..."""
    class Clock:
        now = 1_900_000_000

    monkeypatch.setattr(sessions, "now", lambda: Clock.now)
    return Clock


@pytest.fixture
def workshop():
    return make_workshop(make_case(title="Grain corridor options"), analysts=2)


def logged_in(username) -> Client:
    """A browser that logged in through the log-in form."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def copy_of(client) -> Client:
    """Another browser holding a copy of the client's session cookie."""
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return copy


def opens(client, workshop) -> bool:
    """Whether the workshop page opens (True), or the client is sent to log in (False)."""
    response = client.get(reverse("workshop_detail", args=[workshop.pk]))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
        assert workshop.title not in response.content.decode()
        return False
    assert response.status_code == 200
    assert workshop.title in response.content.decode()
    return True


def poll(client, workshop):
    return client.get(reverse("workshop_poll", args=[workshop.pk]),
                      {"revision": workshop.revision, "state": "open-1"},
                      HTTP_HX_CURRENT_URL=f"http://testserver/workshops/{workshop.pk}/", **HTMX)


def test_a_cookie_copied_before_log_out_opens_nothing_after(workshop):
    ana = logged_in("ana1")
    copy = copy_of(ana)
    assert opens(copy, workshop)
    ana.post(reverse("logout"))
    assert not opens(copy, workshop)
    assert not opens(ana, workshop)
    assert UserSession.objects.filter(user__username="ana1").count() == 0


def test_the_poll_of_an_ended_session_sends_the_page_to_log_in(workshop):
    ana = logged_in("ana1")
    copy = copy_of(ana)
    assert poll(copy, workshop).status_code == 204
    ana.post(reverse("logout"))
    response = poll(copy, workshop)
    # The whole page goes to the log-in page, back to the workshop after: nothing swapped in.
    assert response["HX-Redirect"] == f"/accounts/login/?next=/workshops/{workshop.pk}/"
    assert response.content == b""


def test_the_table_holds_only_a_hash_of_the_cookies_session_id(workshop):
    ana = logged_in("ana1")
    cookie = ana.cookies[settings.SESSION_COOKIE_NAME].value
    session_id = SessionStore(session_key=cookie)[sessions.SESSION_ID_KEY]
    row = UserSession.objects.get(user__username="ana1")
    assert row.key == hashlib.sha256(session_id.encode()).hexdigest()
    assert session_id not in row.key


def test_a_signed_session_without_a_live_row_is_refused(workshop):
    # A session made as the signed cookies alone made them (before this change, or by anyone
    # holding SECRET_KEY): signed, with the right password hash, but no row on the server.
    user = workshop.memberships.get(user__username="ana1").user
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert not opens(client, workshop)


def test_log_out_everywhere_ends_every_session_of_the_user_and_only_theirs(workshop):
    laptop, phone = logged_in("ana1"), logged_in("ana1")
    colleague = logged_in("ana2")
    page = laptop.get(reverse("password_change")).content.decode()
    assert "You are logged in on 2 browsers or devices." in page
    response = laptop.post(reverse("logout_everywhere"), follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "You were logged out everywhere (2 sessions)." in response.content.decode()
    assert not opens(phone, workshop)
    assert not opens(laptop, workshop)  # this browser too
    assert opens(colleague, workshop)
    assert UserSession.objects.filter(user__username="ana1").count() == 0


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(workshop):
    laptop, phone = logged_in("ana1"), logged_in("ana1")
    response = laptop.post(reverse("password_change"), {
        "old_password": PASSWORD,
        "new_password1": "new-Passphrase-22", "new_password2": "new-Passphrase-22",
    })
    assert response["Location"] == reverse("password_change_done")
    assert opens(laptop, workshop)
    assert not opens(phone, workshop)


def test_a_deactivated_users_sessions_open_nothing(workshop):
    ana = logged_in("ana1")
    assert opens(ana, workshop)
    User = UserSession._meta.get_field("user").related_model
    User.objects.filter(username="ana1").update(is_active=False)
    assert not opens(ana, workshop)


def test_the_session_its_user_and_the_polls_state_are_one_query(
        workshop, django_assert_num_queries):
    ana = logged_in("ana1")
    with django_assert_num_queries(1) as queries:
        assert poll(ana, workshop).status_code == 204
    [sql] = [q["sql"] for q in queries.captured_queries]
    assert "policy_usersession" in sql and "auth_user" in sql and "policy_workshop" in sql


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                    reason="prepared statements are PostgreSQL's")
def test_on_postgresql_the_polls_query_is_prepared_once_it_repeats(workshop):
    ana = logged_in("ana1")
    for _ in range(6):
        assert poll(ana, workshop).status_code == 204
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("policy_usersession" in sql and "policy_workshop" in sql for sql in prepared)


def test_log_out_everywhere_takes_a_post(workshop):
    ana = logged_in("ana1")
    assert ana.get(reverse("logout_everywhere")).status_code == 405
    assert opens(ana, workshop)


def test_idle_timeout_ends_a_session_that_did_nothing_for_twelve_hours(clock, workshop, settings):
    assert settings.SESSION_IDLE_SECONDS == 12 * HOUR  # the default
    settings.SESSION_MAX_AGE_SECONDS = 7 * 24 * HOUR  # out of the way
    start = clock.now
    ana = logged_in("ana1")
    clock.now = start + 11 * HOUR
    assert opens(ana, workshop)  # activity: the idle clock starts again
    assert UserSession.objects.get(user__username="ana1").seen == start + 11 * HOUR
    clock.now = start + 23 * HOUR - 1
    assert opens(ana, workshop)
    clock.now = start + 35 * HOUR - 1
    assert not opens(ana, workshop)
    assert UserSession.objects.filter(user__username="ana1").count() == 0


def test_polls_do_not_keep_a_session_alive(clock, workshop):
    start = clock.now
    ana = logged_in("ana1")
    for hours in (1, 6, 11):
        clock.now = start + hours * HOUR
        assert poll(ana, workshop).status_code == 204
    # An open page polls, but nobody is there: the idle clock did not move.
    assert UserSession.objects.get(user__username="ana1").seen == start
    clock.now = start + 12 * HOUR
    assert poll(ana, workshop)["HX-Redirect"].startswith(reverse("login"))


def test_the_idle_clock_is_written_at_most_every_five_minutes(clock, workshop):
    start = clock.now
    ana = logged_in("ana1")
    clock.now = start + 299
    assert opens(ana, workshop)
    assert UserSession.objects.get(user__username="ana1").seen == start
    clock.now = start + 300
    assert opens(ana, workshop)
    assert UserSession.objects.get(user__username="ana1").seen == start + 300


def test_absolute_lifetime_ends_even_an_active_session(clock, workshop, settings):
    settings.SESSION_MAX_AGE_SECONDS = 24 * HOUR
    start = clock.now
    ana = logged_in("ana1")
    for hours in range(0, 24, 4):  # active every four hours: never idle
        clock.now = start + hours * HOUR
        assert opens(ana, workshop)
    clock.now = start + 24 * HOUR
    assert not opens(ana, workshop)
    # Logging in again starts a new lifetime.
    ana = logged_in("ana1")
    assert opens(ana, workshop)


def test_the_lifetime_and_timeout_are_settings(clock, workshop, settings):
    settings.SESSION_IDLE_SECONDS = 600
    settings.SESSION_MAX_AGE_SECONDS = 3600
    start = clock.now
    ana = logged_in("ana1")
    for seconds in range(500, 3600, 500):  # active every 500 s: the clock is written each time
        clock.now = start + seconds
        assert opens(ana, workshop)
    clock.now = start + 3600
    assert not opens(ana, workshop)
    idle = logged_in("ana1")
    clock.now = start + 3600 + 600
    assert not opens(idle, workshop)


def test_a_log_in_drops_the_users_rows_of_sessions_that_ended_by_time(clock, workshop):
    start = clock.now
    logged_in("ana1")
    logged_in("ana1")
    clock.now = start + 13 * HOUR
    logged_in("ana1")
    assert list(UserSession.objects.filter(user__username="ana1").values_list("started", flat=True)) \
        == [start + 13 * HOUR]
