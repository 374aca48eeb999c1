"""The facilitator makes a member an analyst or an observer from the workshop page: recorded
in the history, the revision bumped; confirmed first where an analyst has scored; refused to
everyone else."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.models import HistoryEntry, Membership, Workshop
from policy.workshops.frames import workshop_frames
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=2, criteria=1), analysts=3)
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    make_user("outsider")
    score(ws, "ana1", "O1", "C1", 3)
    return ws


def role_of(workshop, username) -> str:
    return Membership.objects.get(workshop=workshop, user__username=username).role


def change(client, as_user, workshop, username, role, **extra):
    client.force_login(User.objects.get(username=as_user))
    target = User.objects.get(username=username)
    return client.post(reverse("workshop_member_role", args=[workshop.pk, target.pk]),
                       {"role": role, **extra})


def test_the_workshop_page_offers_the_facilitator_a_form_per_member(client, workshop):
    client.force_login(User.objects.get(username="fac"))
    body = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    obs = User.objects.get(username="obs")
    assert f'action="{reverse("workshop_member_role", args=[workshop.pk, obs.pk])}"' in body
    assert "<td>obs</td><td>Observer</td>" in body and "Make analyst" in body


def test_an_analyst_who_has_not_scored_becomes_an_observer_at_once(client, workshop):
    response = change(client, "fac", workshop, "ana2", "observer")
    assert response.status_code == 302
    assert role_of(workshop, "ana2") == "observer"
    entry = HistoryEntry.objects.get(workshop=workshop, kind="role")
    assert (entry.user.username, entry.note) == ("fac", "ana2: analyst → observer")
    assert Workshop.objects.get(pk=workshop.pk).revision == workshop.revision + 1
    history = client.get(reverse("workshop_history", args=[workshop.pk])).content.decode()
    assert "Changed a member&#x27;s role: ana2: analyst → observer" in history


def test_an_analyst_who_scored_is_made_an_observer_only_once_confirmed(client, workshop):
    page = change(client, "fac", workshop, "ana1", "observer")
    body = page.content.decode()
    assert page.status_code == 200 and "Make ana1 an observer?" in body
    assert "The score they gave stays in the database and still counts in the results" in body
    assert role_of(workshop, "ana1") == "analyst" and not HistoryEntry.objects.exists()
    change(client, "fac", workshop, "ana1", "observer", confirmed="1")
    assert role_of(workshop, "ana1") == "observer"
    # What the confirmation said: the observer's score still counts in the round's result.
    assert "ana1" in set(workshop_frames(workshop).scores["analyst"])


def test_an_observer_becomes_an_analyst(client, workshop):
    change(client, "fac", workshop, "obs", "analyst")
    assert role_of(workshop, "obs") == "analyst"
    client.force_login(User.objects.get(username="obs"))
    page = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    assert "Your scores, round 1" in page


@pytest.mark.parametrize("target, role, message", [
    ("fac", "observer", "The facilitator&#x27;s own role does not change."),
    ("ana2", "facilitator", "A member can be made an analyst or an observer."),
])
def test_no_one_is_made_or_unmade_facilitator(client, workshop, target, role, message):
    response = change(client, "fac", workshop, target, role)
    assert message in client.get(response["Location"]).content.decode()
    assert role_of(workshop, target) == ("facilitator" if target == "fac" else "analyst")
    assert not HistoryEntry.objects.exists()


def test_a_locked_workshop_keeps_its_roles(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.LOCKED)
    response = change(client, "fac", workshop, "ana2", "observer")
    assert "The workshop is locked" in client.get(response["Location"]).content.decode()
    assert role_of(workshop, "ana2") == "analyst"


@pytest.mark.parametrize("as_user, status", [("ana1", 403), ("obs", 403), ("outsider", 404)])
def test_only_the_facilitator_changes_roles(client, workshop, as_user, status):
    response = change(client, as_user, workshop, "ana2", "observer", confirmed="1")
    assert response.status_code == status
    assert role_of(workshop, "ana2") == "analyst" and not HistoryEntry.objects.exists()


def test_a_user_who_is_not_a_member_is_a_404(client, workshop):
    response = change(client, "fac", workshop, "outsider", "analyst")
    assert response.status_code == 404
    assert not Membership.objects.filter(workshop=workshop, user__username="outsider").exists()
