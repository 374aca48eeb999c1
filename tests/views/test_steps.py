"""The facilitator's steps: each is confirmed on a page that says what it will do, offered
only when it makes sense, and reversible (hide after reveal, unlock after lock)."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.models import Membership, Workshop
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(), analysts=2)
    score(ws, "ana1", "O1", "C1", 5)
    return ws


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def page(client, ws) -> str:
    return client.get(reverse("workshop_detail", args=[ws.pk])).content.decode()


def state(ws):
    return Workshop.objects.values("status", "revealed", "round", "revision").get(pk=ws.pk)


@pytest.mark.parametrize("anonymous, names_hidden", [(False, "no"), (True, "yes")])
def test_reveal_is_confirmed_on_a_page_that_says_what_it_shows(client, workshop, anonymous,
                                                               names_hidden):
    Workshop.objects.filter(pk=workshop.pk).update(anonymous=anonymous)
    before = state(workshop)
    url = reverse("workshop_reveal", args=[workshop.pk])
    body = as_user(client, "fac").get(url, {"revealed": "1"}).content.decode()
    assert "<h1>Reveal scores to the team?</h1>" in body
    assert "Reveal shows every analyst&#x27;s round-1 scores and reasons, and the group results, " \
           f"to the team (names hidden: {names_hidden})." in body
    # The confirmation form posts the step to the same address; the GET changed nothing.
    assert f'<form method="post" action="{url}"' in body
    assert '<input type="hidden" name="revealed" value="1">' in body
    assert state(workshop) == before
    client.post(url, {"revealed": "1"})
    assert Workshop.objects.get(pk=workshop.pk).revealed is True


@pytest.mark.parametrize("url_name, query, heading", [
    ("workshop_status", {"status": "closed"}, "Close scoring?"),
    ("workshop_status", {"status": "locked"}, "Lock the workshop?"),
    ("workshop_round", {}, "Start round 2?"),
])
def test_every_step_asks_before_it_acts(client, workshop, url_name, query, heading):
    before = state(workshop)
    body = as_user(client, "fac").get(reverse(url_name, args=[workshop.pk]), query).content.decode()
    assert f"<h1>{heading}</h1>" in body and "What will happen" in body
    assert state(workshop) == before


def test_the_workshop_page_links_to_confirmations_and_posts_no_step(client, workshop):
    body = page(as_user(client, "fac"), workshop)
    pk = workshop.pk
    for label, href in [
        ("Close scoring", f"/workshops/{pk}/status/?status=closed"),
        ("Reveal scores to the team", f"/workshops/{pk}/reveal/?revealed=1"),
        ("Start round 2", f"/workshops/{pk}/round/"),
        ("Lock the workshop", f"/workshops/{pk}/status/?status=locked"),
    ]:
        assert re.search(rf'href="{re.escape(href)}">{label}…</a>', body), label
    # No form on the page takes a step on one click.
    steps = r'<form method="post" action="/workshops/\d+/(status|reveal|round)/"'
    assert not re.search(steps, body)


def test_a_draft_with_no_analysts_offers_only_opening(client):
    ws = make_workshop(make_case(), analysts=0, status=Workshop.Status.DRAFT)
    body = page(as_user(client, "fac"), ws)
    assert "Open scoring…" in body
    for label in ["Reveal scores", "Start round", "Lock the workshop", "Close scoring"]:
        assert label not in body, label
    # Posted anyway, each is refused with the reason, and nothing changes.
    before = state(ws)
    for url_name, data in [("workshop_reveal", {"revealed": "1"}), ("workshop_round", {}),
                           ("workshop_status", {"status": "locked"})]:
        response = client.post(reverse(url_name, args=[ws.pk]), data, follow=True)
        assert "Round 1 has no scores yet." in response.content.decode(), url_name
    assert state(ws) == before


def test_a_refused_step_says_why_on_its_page_and_offers_no_button(client):
    ws = make_workshop(make_case(), analysts=1)
    body = as_user(client, "fac").get(
        reverse("workshop_status", args=[ws.pk]), {"status": "locked"}
    ).content.decode()
    assert "Round 1 has no scores yet." in body
    assert '<button type="submit" class="button-danger">' not in body


def test_hide_after_reveal_and_unlock_after_lock(client, workshop):
    as_user(client, "fac")
    client.post(reverse("workshop_reveal", args=[workshop.pk]), {"revealed": "1"})
    assert "Hide scores again…" in page(client, workshop)
    client.post(reverse("workshop_reveal", args=[workshop.pk]), {"revealed": "0"})
    assert Workshop.objects.get(pk=workshop.pk).revealed is False

    client.post(reverse("workshop_status", args=[workshop.pk]), {"status": "locked"})
    body = page(client, workshop)
    assert "Unlock the workshop…" in body and "Reveal scores" not in body
    confirm = client.get(reverse("workshop_status", args=[workshop.pk]), {"status": "closed"})
    assert "<h1>Unlock the workshop?</h1>" in confirm.content.decode()
    client.post(reverse("workshop_status", args=[workshop.pk]), {"status": "closed"})
    assert Workshop.objects.get(pk=workshop.pk).status == "closed"


@pytest.mark.parametrize("username, status", [("ana1", 403), ("obs", 403), ("stranger", 404)])
def test_only_the_facilitator_sees_a_confirmation(client, workshop, username, status):
    Membership.objects.create(workshop=workshop, user=make_user("obs"), role="observer")
    make_user("stranger")
    response = as_user(client, username).get(
        reverse("workshop_status", args=[workshop.pk]), {"status": "locked"}
    )
    assert response.status_code == status
    assert "Lock the workshop?" not in response.content.decode()


def test_lock_makes_results_and_memo_readable_by_every_member(client, workshop):
    Membership.objects.create(workshop=workshop, user=make_user("obs"), role="observer")
    score(workshop, "ana2", "O1", "C1", 7)
    results = reverse("workshop_results", args=[workshop.pk])
    assert as_user(client, "ana1").get(results).status_code == 403  # hidden before the lock
    lock = reverse("workshop_status", args=[workshop.pk])
    as_user(client, "fac").post(lock, {"status": "locked"})
    for username in ["ana1", "obs"]:
        as_user(client, username)
        assert "Open the full results" in page(client, workshop)
        body = client.get(results).content.decode()
        assert "<h1>Results, round 1</h1>" in body and '<h2 id="ranking-h">Ranking</h2>' in body
        memo = client.get(reverse("workshop_memo", args=[workshop.pk]))
        assert memo["Content-Type"] == "application/pdf"
        assert memo.content.startswith(b"%PDF"), username
