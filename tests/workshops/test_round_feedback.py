"""Round feedback hides who said what (issue 12, item 1): a cell's spread and reasons are
shown only where at least three analysts scored it, and never with a name."""
import html

import pytest
from django.urls import reverse

from policy.workshops import actions
from tests.factories import make_case, make_workshop, score

pytestmark = pytest.mark.django_db


def grid_of(client, workshop, username):
    client.force_login(workshop.memberships.get(user__username=username).user)
    return client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()


def test_with_two_analysts_no_one_reads_the_others_score_or_words(client):
    workshop = make_workshop(make_case(options=1, criteria=1), analysts=2)  # never revealed
    score(workshop, "ana1", "O1", "C1", 2, "A secret reason of ana1")
    score(workshop, "ana2", "O1", "C1", 9, "What ana2 thinks")
    actions.start_next_round(workshop.pk)
    page = grid_of(client, workshop, "ana2")
    assert "A secret reason of ana1" not in page
    assert "<strong>2</strong>" not in page
    assert "Round 1: median" not in page


def test_with_three_analysts_the_cell_shows_median_spread_and_reasons_without_names(client):
    workshop = make_workshop(make_case(options=2, criteria=1), analysts=3)
    for name, value in (("ana1", 2), ("ana2", 5), ("ana3", 9)):
        score(workshop, name, "O1", "C1", value, f"Reason of {name}")
    score(workshop, "ana1", "O2", "C1", 4, "Only two scored this")
    score(workshop, "ana2", "O2", "C1", 6, "Only two scored this either")
    actions.start_next_round(workshop.pk)
    page = grid_of(client, workshop, "ana3")
    assert page.count("Round 1: median") == 1  # O1 only: O2 had two scores
    assert "Round 1: median 5, IQR 3.5 (3)" in page
    assert "Reason of ana1" in page and "Only two scored this" not in page
    feedback = page.split("Round 1: median")[1].split("</details>")[0]
    assert "ana1" not in feedback.replace("Reason of ana1", "")  # no name beside a reason


def test_the_round_confirmation_says_unrevealed_feedback_will_be_shown(client):
    workshop = make_workshop(make_case(options=1, criteria=1), analysts=3)
    score(workshop, "ana1", "O1", "C1", 5, "x")
    client.force_login(workshop.memberships.get(role="facilitator").user)
    page = html.unescape(client.get(reverse("workshop_round", args=[workshop.pk])).content.decode())
    assert ("Beside each cell that at least 3 analysts scored, every analyst sees the group's "
            "round-1 median, spread and reasons, without names, although you have not revealed "
            "round 1.") in page
