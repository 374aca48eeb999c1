"""The presenter screen and joining by its code."""
import re

import pytest
from django.urls import reverse

from policy.models import Workshop
from policy.workshops import actions
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=2, criteria=1), analysts=3)
    actions.new_join_token(ws.pk)
    score(ws, "ana1", "O1", "C1", 7, "x")
    score(ws, "ana1", "O2", "C1", 4, "y")
    score(ws, "ana2", "O1", "C1", 5, "z")
    ws.refresh_from_db()
    return ws


def present(client, workshop, user="fac"):
    client.force_login(workshop.memberships.get(user__username=user).user)
    return client.get(reverse("workshop_present", args=[workshop.pk]))


def test_join_codes_are_eight_unambiguous_characters(workshop):
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTVWXYZ2-9]{8}", workshop.join_token)


def test_screen_shows_code_qr_and_counts_but_no_names(client, workshop):
    page = present(client, workshop).content.decode()
    code = workshop.join_token
    assert f"{code[:4]} {code[4:]}" in page
    assert 'aria-label="QR code of the join link"' in page and "<path" in page
    counts = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "3 analysts joined" in counts and "1 finished scoring" in counts
    assert "50% of the scores in (3 of 6)" in counts
    assert "ana1" not in page and "ana2" not in page and "ana3" not in page
    assert "Ranking" not in counts  # not revealed yet


def test_screen_shows_the_ranking_after_reveal(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    counts = " ".join(re.sub(r"<[^>]+>", " ", present(client, workshop).content.decode()).split())
    assert re.search(r"Ranking O1 Option 1 \d\.\d\d O2 Option 2 \d\.\d\d", counts), counts


def test_live_panel_answers_204_until_something_changes(client, workshop):
    present(client, workshop)
    live = reverse("workshop_present_live", args=[workshop.pk])
    assert client.get(live, {"revision": workshop.revision}).status_code == 204
    score(workshop, "ana3", "O1", "C1", 2, "w")
    workshop.bump()
    changed = client.get(live, {"revision": workshop.revision})
    assert changed.status_code == 200
    assert f"revision={workshop.revision + 1}" in changed.content.decode()
    assert "4 of 6" in changed.content.decode()


@pytest.mark.parametrize("who, status", [("ana1", 403), ("outsider", 404)])
def test_only_the_facilitator_presents(client, workshop, who, status):
    user = make_user(who) if who == "outsider" else workshop.memberships.get(
        user__username=who).user
    client.force_login(user)
    assert client.get(reverse("workshop_present", args=[workshop.pk])).status_code == status
    assert client.get(reverse("workshop_present_live", args=[workshop.pk])).status_code == status


def test_a_typed_code_leads_to_the_join_page(client, workshop):
    code = workshop.join_token
    typed = f" {code[:4].lower()} {code[4:].lower()} "
    response = client.get(reverse("join_by_code"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("workshop_join", args=[code])


def test_a_wrong_code_says_so_and_joins_nothing(client, workshop):
    response = client.get(reverse("join_by_code"), {"code": "ZZZZ ZZZZ"})
    assert response.status_code == 404
    assert "No workshop has that code" in response.content.decode()
    assert client.get(reverse("join_by_code")).status_code == 200
