"""Invitations by email, reminders and the round's deadline (the facilitator's page)."""
from datetime import datetime, timezone

import pytest
from django.core import mail
from django.urls import reverse

from policy.models import Membership, Workshop
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return make_workshop(make_case(options=2, criteria=1), analysts=2)


def url(workshop):
    return reverse("workshop_invitations", args=[workshop.pk])


def test_invitations_carry_the_join_link_that_admits(client, workshop):
    client.force_login(workshop.memberships.get(role="facilitator").user)
    response = client.post(url(workshop), {
        "action": "invite", "addresses": "a@example.org, b@example.org\nA@example.org"})
    assert response.status_code == 302
    workshop.refresh_from_db()
    join = reverse("workshop_join", args=[workshop.join_token])
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]
    assert all(f"http://testserver{join}" in m.body for m in mail.outbox)
    assert list(workshop.history.values_list("kind", "note")) == [
        ("link_made", ""), ("invited", "a@example.org, b@example.org")]
    assert mail.outbox[0].subject == f"Invitation: {workshop.title}"
    # The link in the mail admits whoever opens it, as the page's link does.
    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    client.post(join)
    assert Membership.objects.get(workshop=workshop, user=newcomer).role == "analyst"


def test_bad_addresses_are_named_and_nothing_is_sent(client, workshop):
    client.force_login(workshop.memberships.get(role="facilitator").user)
    response = client.post(url(workshop), {"action": "invite",
                                           "addresses": "a@example.org, not-an-address"})
    assert response.status_code == 400
    assert "Not an email address: not-an-address." in response.content.decode()
    assert mail.outbox == []
    assert Workshop.objects.get(pk=workshop.pk).join_token is None


def test_reminders_go_to_analysts_who_have_not_finished(client, workshop):
    ana1, ana2 = (workshop.memberships.get(user__username=n).user for n in ("ana1", "ana2"))
    ana1.email, ana2.email = "ana1@example.org", "ana2@example.org"
    ana1.save(), ana2.save()
    score(workshop, "ana1", "O1", "C1", 5, "x")
    score(workshop, "ana1", "O2", "C1", 6, "y")  # ana1 has finished
    score(workshop, "ana2", "O1", "C1", 5, "x")
    client.force_login(workshop.memberships.get(role="facilitator").user)
    page = client.get(url(workshop)).content.decode()
    assert "ana2 (1 scored)" in page and "ana1 (" not in page
    client.post(url(workshop), {"action": "remind"})
    assert [m.to for m in mail.outbox] == [["ana2@example.org"]]
    assert "You have scored 1 of 2 cells in round 1" in mail.outbox[0].body
    assert workshop.history.filter(kind="reminded").values_list("note", flat=True).get() == "1 sent"


def test_deadline_shows_on_the_grid_and_a_new_round_clears_it(client, workshop):
    client.force_login(workshop.memberships.get(role="facilitator").user)
    client.post(url(workshop), {"action": "deadline", "deadline": "2026-12-03T17:00"})
    workshop.refresh_from_db()
    assert workshop.round_deadline == datetime(2026, 12, 3, 17, 0, tzinfo=timezone.utc)
    assert workshop.history.get(kind="deadline").note == "2026-12-03T17:00:00+00:00"
    client.force_login(workshop.memberships.get(user__username="ana1").user)
    page = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    assert "Scores for round 1 are due by 3 December 2026, 17:00 UTC." in page
    from policy.workshops import actions

    score(workshop, "ana1", "O1", "C1", 5, "x")
    actions.start_next_round(workshop.pk)
    assert Workshop.objects.get(pk=workshop.pk).round_deadline is None


@pytest.mark.parametrize("who, status", [("ana1", 403), ("outsider", 404)])
def test_only_the_facilitator_invites(client, workshop, who, status):
    user = make_user(who) if who == "outsider" else workshop.memberships.get(
        user__username=who).user
    client.force_login(user)
    assert client.get(url(workshop)).status_code == status
    response = client.post(url(workshop), {"action": "invite", "addresses": "a@example.org"})
    assert response.status_code == status and mail.outbox == []
