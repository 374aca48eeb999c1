"""The live panels are rendered once per audience and shared through the cache, at most
once per RENDER_INTERVAL, and never older than what the page already shows."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policy.workshops import live
from policy.models import Membership, Workshop
from tests.factories import make_case, make_workshop, score

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def workshop():
    return make_workshop(make_case(), analysts=3)


def poll(client, username, ws, seen):
    """A poll from a page that shows the workshop's state and audience as they are now."""
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    ws.refresh_from_db()
    role = Membership.objects.get(workshop=ws, user=user).role
    return client.get(
        reverse("workshop_poll", args=[ws.pk]),
        {"revision": seen, "state": live.page_state(ws), "audience": live.audience_of(role, ws)},
        **HTMX,
    )


def saved(ws, analyst, option, value):
    score(ws, analyst, option, "C1", value)
    ws.bump()


def test_second_member_of_an_audience_gets_the_panels_from_the_cache(client, workshop):
    saved(workshop, "ana1", "O1", 7)
    first = poll(client, "ana1", workshop, 0)
    client.force_login(get_user_model().objects.get(username="ana2"))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(
            reverse("workshop_poll", args=[workshop.pk]),
            {"revision": 0, "state": "open-1", "audience": "own-member"}, **HTMX,
        )
    # The user, the member's state, and (with the database cache) the cache row: no scores
    # counted, nothing rendered.
    assert len(queries) <= 3
    assert not any("policy_score" in q["sql"] for q in queries.captured_queries)
    assert second.content == first.content
    assert "1 / 6" in second.content.decode()


def test_within_the_interval_a_page_gets_newer_panels_but_not_the_newest(
    client, workshop, monkeypatch
):
    monkeypatch.setattr(live, "RENDER_INTERVAL", 60.0)
    saved(workshop, "ana1", "O1", 7)                # revision 1
    assert "revision=1&" in poll(client, "ana1", workshop, 0).content.decode()
    saved(workshop, "ana1", "O2", 7)                # revision 2, within the interval
    body = poll(client, "ana2", workshop, 0).content.decode()
    assert "revision=1&" in body and "1 / 6" in body  # newer than its 0; its next poll brings 2


def test_within_the_interval_a_page_with_the_cached_panels_is_told_to_wait(
    client, workshop, monkeypatch
):
    monkeypatch.setattr(live, "RENDER_INTERVAL", 60.0)
    saved(workshop, "ana1", "O1", 7)
    poll(client, "ana1", workshop, 0)               # the cache holds revision 1
    saved(workshop, "ana1", "O2", 7)
    response = poll(client, "ana1", workshop, 1)    # nothing newer than its 1 is rendered yet
    assert response.status_code == 204 and response.content == b""
    assert "HX-Refresh" not in response


def test_after_the_interval_the_panels_are_rendered_afresh(client, workshop, monkeypatch):
    saved(workshop, "ana1", "O1", 7)
    poll(client, "ana1", workshop, 0)
    saved(workshop, "ana1", "O2", 7)
    monkeypatch.setattr(live, "RENDER_INTERVAL", 0.0)
    body = poll(client, "ana2", workshop, 0).content.decode()
    assert "revision=2&" in body and "2 / 6" in body


def test_the_facilitators_results_are_not_served_to_an_analyst_before_reveal(client, workshop):
    for analyst, value in (("ana1", 2), ("ana2", 8), ("ana3", 5)):
        saved(workshop, analyst, "O1", value)
    facilitator = poll(client, "fac", workshop, 0).content.decode()
    analyst = poll(client, "ana1", workshop, 0).content.decode()
    assert "Open the full results" in facilitator
    assert "Open the full results" not in analyst


def test_after_reveal_analysts_share_the_group_panels(client, workshop):
    for analyst, value in (("ana1", 2), ("ana2", 8), ("ana3", 5)):
        saved(workshop, analyst, "O1", value)
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    workshop.bump()
    first = poll(client, "ana1", workshop, 0).content.decode()
    assert "Open the full results" in first
    assert poll(client, "ana3", workshop, 0).content.decode() == first


def test_a_revision_that_is_not_a_number_counts_as_none(client, workshop):
    saved(workshop, "ana1", "O1", 7)
    poll(client, "ana1", workshop, 0)
    for garbage in ("", "abc", "1e999", "-", "２"):
        response = poll(client, "ana2", workshop, garbage)
        assert response.status_code == 200
        assert "revision=1&" in response.content.decode()
