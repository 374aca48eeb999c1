"""Paced mode through its pages: the facilitator's moves, the item on each member's workshop
page, who sees its answers before and after its reveal (page, poll and presenter alike),
saves into the same scores as the grid, and a late joiner landing on the item."""
import html
import re

import pytest
from django.urls import reverse

from policy.models import HistoryEntry, Membership, Score, Workshop
from policy.workshops import actions
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def workshop():
    """Three analysts, an observer, an outsider; paced on C1, which ana1 and ana2 answered."""
    ws = make_workshop(make_case(options=2, criteria=3), analysts=3)
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    make_user("outsider")
    for analyst, values in {"ana1": (2, 9), "ana2": (6, 4)}.items():
        for option, value in zip(("O1", "O2"), values):
            score(ws, analyst, option, "C1", value, f"{analyst} on {option}")
    actions.pace(ws.pk, "start", by=ws.created_by)
    ws.refresh_from_db()
    return ws


def as_user(client, name):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=name))
    return client


def page(client, workshop, name, **query):
    response = as_user(client, name).get(reverse("workshop_detail", args=[workshop.pk]), query)
    return response.status_code, response.content.decode()


def text(body: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_the_facilitator_steps_through_items_by_posting_moves(client, workshop):
    as_user(client, "fac")
    url = reverse("workshop_paced", args=[workshop.pk])
    response = client.post(url, {"move": "next"}, follow=True)
    body = text(response.content.decode())
    assert "Everyone is on the next item." in body
    assert "Everyone is on item 2 of 3, C2 Criterion 2" in body
    for label in ("Reveal this item's answers", "Previous item", "Next item", "Back to the open grid"):
        assert f">{label}</button>" in html.unescape(response.content.decode())
    response = client.post(url, {"move": "previous"}, follow=True)
    assert Workshop.objects.get(pk=workshop.pk).paced_criterion.code == "C1"
    response = client.post(url, {"move": "previous"}, follow=True)
    assert "This is the first item." in text(response.content.decode())  # refused, said why


@pytest.mark.parametrize("name, status", [("ana1", 403), ("obs", 403), ("outsider", 404)])
def test_only_the_facilitator_moves(client, workshop, name, status):
    before = HistoryEntry.objects.count()
    response = as_user(client, name).post(reverse("workshop_paced", args=[workshop.pk]),
                                          {"move": "reveal"})
    assert response.status_code == status
    assert Workshop.objects.get(pk=workshop.pk).paced_revealed is False
    assert HistoryEntry.objects.count() == before


def test_an_analyst_sees_the_item_its_wording_and_one_box_per_option(client, workshop):
    status, body = page(client, workshop, "ana3")
    assert status == 200
    words = text(body)
    assert "Item 1 of 3, led by the facilitator" in words
    assert "C1 Criterion 1" in words and "0 None at all 5 Some 10 Fully" in words
    criterion = workshop.case.criteria.get(code="C1")
    boxes = re.findall(r'action="/workshops/\d+/cells/\d+/(\d+)/"', body)
    assert boxes == [str(criterion.pk)] * 2  # the two options on C1, posting to the grid's save
    assert "2 of 3 analysts have answered this item." in words
    assert "The answers appear here when the facilitator reveals this item." in words
    assert "<circle" not in body and "ana1 on O1" not in body  # nobody's answers yet


@pytest.mark.parametrize("name", ["ana3", "obs"])
def test_the_items_answers_reach_the_team_only_once_revealed(client, workshop, name):
    _, before = page(client, workshop, name)
    assert "<circle" not in before
    actions.pace(workshop.pk, "reveal")
    _, after = page(client, workshop, name)
    assert after.count("<circle") == 8  # one dot per answer, drawn for wide screens and phones
    assert 'aria-label="O1 Option 1: 2 answers, 2, 6; median 4"' in after
    assert "ana1 on O1" in after  # the reasons, named as the workshop names analysts
    assert "the answers are shown to the team" in text(after)


def test_the_facilitator_sees_the_values_before_the_reveal_but_not_who_gave_them(client, workshop):
    _, body = page(client, workshop, "fac")
    assert body.count("<circle") == 8
    assert "only you see them until you reveal the item" in body
    assert "ana1 on O1" not in body and "Reasons given" not in body


def test_an_anonymous_workshops_reasons_are_labelled(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(anonymous=True)
    actions.pace(workshop.pk, "reveal")
    _, body = page(client, workshop, "ana3")
    said = re.findall(r"<li><strong>[\d.]+</strong> (\w+):", body)
    assert len(said) == 4 and set(said) <= {"A1", "A2", "A3"}
    assert "ana1:" not in body and "ana2:" not in body


def test_the_poll_brings_the_reveal_and_reloads_for_a_move(client, workshop):
    as_user(client, "ana3")
    poll = reverse("workshop_poll", args=[workshop.pk])
    state = f"open-1-item{workshop.paced_criterion_id}"
    actions.pace(workshop.pk, "reveal")
    workshop.refresh_from_db()
    response = client.get(poll, {"revision": workshop.revision - 1, "state": state}, **HTMX)
    body = response.content.decode()
    assert 'id="paced-live" class="paced-live" hx-swap-oob="true"' in body
    assert body.count("<circle") == 8 and "ana1 on O1" in body
    actions.pace(workshop.pk, "next")
    workshop.refresh_from_db()
    response = client.get(poll, {"revision": workshop.revision - 1, "state": state}, **HTMX)
    # At once, not after a random moment as for a new round: the room waits for the item.
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert "HX-Trigger" not in response


def test_before_the_reveal_the_poll_gives_an_analyst_no_answers(client, workshop):
    as_user(client, "ana3")
    state = f"open-1-item{workshop.paced_criterion_id}"
    score(workshop, "ana3", "O1", "C1", 3)
    workshop.bump()
    response = client.get(reverse("workshop_poll", args=[workshop.pk]),
                          {"revision": workshop.revision, "state": state}, **HTMX)
    body = response.content.decode()
    assert "2 of 3 analysts have answered this item." in text(body)
    assert "<circle" not in body and "ana1 on O1" not in body


@pytest.mark.parametrize("htmx", [False, True])
def test_a_paced_answer_is_a_score_of_the_grid(client, workshop, htmx):
    as_user(client, "ana3")
    option = workshop.case.options.get(code="O2")
    criterion = workshop.case.criteria.get(code="C1")
    response = client.post(reverse("score_cell", args=[workshop.pk, option.pk, criterion.pk]),
                           {"value": "7", "round": "1", "rationale": "because"},
                           **(HTMX if htmx else {}))
    saved = Score.objects.get(analyst__username="ana3")
    assert (saved.option, saved.criterion, saved.value, saved.round) == (option, criterion, 7, 1)
    if htmx:
        assert "Saved" in response.content.decode()
    else:  # back to the item, where the page was
        assert response["Location"] == (f"/workshops/{workshop.pk}/#cell-{option.pk}-{criterion.pk}")


def test_the_whole_grid_stays_one_click_away(client, workshop):
    _, body = page(client, workshop, "ana3", view="criterion")
    words = text(body)
    assert "Your scores, round 1" in words
    assert "Item 1 of 3: C1 Criterion 1" in words and "Go to the current item" in words
    assert len(re.findall(r'name="value"', body)) == 6
    # Its saves come back to the grid, not to the item.
    assert re.search(r'action="/workshops/\d+/cells/\d+/\d+/\?view=criterion"', body)


def test_a_late_joiner_lands_on_the_current_item(client, workshop):
    actions.pace(workshop.pk, "next")
    token = actions.new_join_token(workshop.pk)
    late = make_user("late")
    client.force_login(late)
    response = client.post(reverse("workshop_join", args=[token]), follow=True)
    words = text(response.content.decode())
    assert "Item 2 of 3, led by the facilitator" in words and "C2 Criterion 2" in words
    assert "0 of 4 analysts have answered this item." in words


def test_the_presenter_shows_the_item_and_its_answers_only_after_the_reveal(client, workshop):
    as_user(client, "fac")
    url = reverse("workshop_present", args=[workshop.pk])
    body = client.get(url).content.decode()
    words = text(body)
    assert "Item 1 of 3 · Round 1" in words and "C1 Criterion 1" in words
    assert "2 of 3 analysts answered (3 joined)" in words
    assert "The answers stay hidden" in words and "<circle" not in body
    actions.pace(workshop.pk, "reveal")
    workshop.refresh_from_db()
    live = client.get(reverse("workshop_present_live", args=[workshop.pk]),
                      {"revision": workshop.revision - 1}).content.decode()
    assert live.count("<circle") == 4 and 'font-size="28"' in live
    assert "ana1" not in live and "ana2" not in live  # no names on the wall, ever
