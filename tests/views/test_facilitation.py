"""Facilitator controls and join links: only the facilitator steers; links admit and revoke."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.models import Membership, Workshop
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(), analysts=1)
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    make_user("newcomer")
    return ws


def post(client, username, name, ws, data=None):
    client.force_login(User.objects.get(username=username))
    return client.post(reverse(name, args=[ws.pk]), data or {})


@pytest.mark.parametrize("name, data", [
    ("workshop_status", {"status": "closed"}),
    ("workshop_reveal", {"revealed": "1"}),
    ("workshop_round", {}),
    ("workshop_invite", {"action": "new"}),
])
@pytest.mark.parametrize("username, status", [("newcomer", 404), ("ana1", 403), ("obs", 403)])
def test_only_the_facilitator_steers(client, workshop, name, data, username, status):
    score(workshop, "ana1", "O1", "C1", 5)
    before = Workshop.objects.values().get(pk=workshop.pk)
    assert post(client, username, name, workshop, data).status_code == status
    assert Workshop.objects.values().get(pk=workshop.pk) == before


def test_close_reopen_lock_and_unlock(client, workshop):
    score(workshop, "ana1", "O1", "C1", 5)
    post(client, "fac", "workshop_status", workshop, {"status": "closed"})
    assert Workshop.objects.get(pk=workshop.pk).status == "closed"
    post(client, "fac", "workshop_status", workshop, {"status": "open"})
    assert Workshop.objects.get(pk=workshop.pk).status == "open"
    post(client, "fac", "workshop_status", workshop, {"status": "locked"})
    response = post(client, "fac", "workshop_status", workshop, {"status": "open"})
    assert Workshop.objects.get(pk=workshop.pk).status == "locked"
    page = client.get(response["Location"]).content.decode()
    assert "The workshop is locked: unlock it first." in page
    post(client, "fac", "workshop_status", workshop, {"status": "closed"})
    assert Workshop.objects.get(pk=workshop.pk).status == "closed"


def test_a_draft_cannot_become_a_draft_again(client, workshop):
    response = post(client, "fac", "workshop_status", workshop, {"status": "draft"})
    assert Workshop.objects.get(pk=workshop.pk).status == "open"
    assert "cannot become draft" in client.get(response["Location"]).content.decode()


def test_unknown_status_is_refused_with_a_message(client, workshop):
    response = post(client, "fac", "workshop_status", workshop, {"status": "bogus"})
    assert Workshop.objects.get(pk=workshop.pk).status == "open"
    assert "is not a workshop status" in client.get(response["Location"]).content.decode()


def test_reveal_bumps_revision(client, workshop):
    score(workshop, "ana1", "O1", "C1", 5)
    post(client, "fac", "workshop_reveal", workshop, {"revealed": "1"})
    ws = Workshop.objects.get(pk=workshop.pk)
    assert (ws.revealed, ws.revision) == (True, 1)


def test_join_link_admits_as_analyst_and_revoke_closes_it(client, workshop):
    post(client, "fac", "workshop_invite", workshop, {"action": "new"})
    token = Workshop.objects.get(pk=workshop.pk).join_token
    # A code to read off a projector: 8 of 30 unambiguous characters (tests/views/test_presenter.py)
    assert token and len(token) == 8
    client.force_login(User.objects.get(username="newcomer"))
    join_url = reverse("workshop_join", args=[token])
    assert "Join the workshop" in client.get(join_url).content.decode()
    client.post(join_url)
    assert Membership.objects.get(workshop=workshop, user__username="newcomer").role == "analyst"

    post(client, "fac", "workshop_invite", workshop, {"action": "revoke"})
    assert Workshop.objects.get(pk=workshop.pk).join_token is None
    client.force_login(User.objects.get(username="obs"))
    assert client.post(join_url).status_code == 404
    assert Membership.objects.get(workshop=workshop, user__username="obs").role == "observer"


def test_joining_again_keeps_the_members_role(client, workshop):
    post(client, "fac", "workshop_invite", workshop, {"action": "new"})
    token = Workshop.objects.get(pk=workshop.pk).join_token
    client.force_login(User.objects.get(username="obs"))
    client.post(reverse("workshop_join", args=[token]))
    assert Membership.objects.get(workshop=workshop, user__username="obs").role == "observer"


def test_home_lists_only_my_workshops(client, workshop):
    other = make_workshop(make_case(slug="other"), analysts=0, facilitator="someone", title="Not yours")
    client.force_login(User.objects.get(username="ana1"))
    body = client.get(reverse("home")).content.decode()
    assert workshop.title in body and other.title not in body


def test_create_workshop_makes_the_creator_facilitator(client, workshop):
    client.force_login(User.objects.get(username="newcomer"))
    response = client.post(reverse("workshop_create", args=[workshop.case.slug]), {
        "title": "Round table", "hide_scores": "on", "aggregation": "mean",
        "method": "topsis", "handling": "UNCLASSIFIED",
    })
    created = Workshop.objects.get(title="Round table")
    assert response["Location"] == reverse("workshop_detail", args=[created.pk])
    assert (created.aggregation, created.method, created.status) == ("mean", "topsis", "draft")
    assert created.memberships.get().role == "facilitator"
