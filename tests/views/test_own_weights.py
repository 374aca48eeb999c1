"""The analyst's own weights page, the facilitator's switch, and what the results show of the
analysts' weights (and to whom)."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.models import AnalystWeight, Membership, Workshop
from policy.workshops import actions
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=2, criteria=2), analysts=2, analysts_weigh=True)
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    make_user("outsider")
    for analyst in ("ana1", "ana2"):
        for option, c1, c2 in (("O1", 10, 0), ("O2", 0, 10)):
            score(ws, analyst, option, "C1", c1)
            score(ws, analyst, option, "C2", c2)
    return ws


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def mine(ws):
    return reverse("workshop_my_weights", args=[ws.pk])


def save(client, ws, c1, c2, **extra):
    return client.post(mine(ws), {"shown": "direct", "w_C1": c1, "w_C2": c2}, **extra)


def own_rows(name):
    return sorted(AnalystWeight.objects.filter(analyst__username=name).values_list(
        "criterion__code", "value"))


def test_facilitator_turns_the_setting_on_and_off(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(analysts_weigh=False)
    as_user(client, "fac")
    url = reverse("workshop_analysts_weigh", args=[workshop.pk])
    page = client.get(reverse("workshop_weights", args=[workshop.pk])).content.decode()
    assert "Let analysts weight the criteria" in page
    response = client.post(url, {"analysts_weigh": "1"}, follow=True)
    assert Workshop.objects.get(pk=workshop.pk).analysts_weigh
    assert "Analysts now weight the criteria themselves." in response.content.decode()
    assert "No analyst has given weights yet" in response.content.decode()
    client.post(url, {"analysts_weigh": "0"})
    assert not Workshop.objects.get(pk=workshop.pk).analysts_weigh


@pytest.mark.parametrize("username", ["ana1", "obs"])
def test_only_the_facilitator_turns_the_setting(client, workshop, username):
    response = as_user(client, username).post(
        reverse("workshop_analysts_weigh", args=[workshop.pk]), {"analysts_weigh": "0"})
    assert response.status_code == 403
    assert Workshop.objects.get(pk=workshop.pk).analysts_weigh


def test_analyst_saves_own_weights(client, workshop):
    as_user(client, "ana1")
    page = client.get(mine(workshop)).content.decode()
    assert "Method: Direct points" in page and 'name="w_C1"' in page
    assert 'name="weighting"' not in page  # the method is the facilitator's choice
    response = save(client, workshop, "3", "1", follow=True)
    assert own_rows("ana1") == [("C1", 3.0), ("C2", 1.0)]
    body = response.content.decode()
    assert "Your weights are saved." in body and "75%" in body and "25%" in body
    # The workshop page links to it.
    detail = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    assert mine(workshop) in detail


def test_analyst_saves_by_htmx_and_sees_the_shares(client, workshop):
    response = save(as_user(client, "ana1"), workshop, "1", "3", **HTMX)
    body = response.content.decode()
    # The form's contents (its inputs kept on the screen by hx-preserve) and the preview.
    assert 'name="w_C1"' in body and "hx-preserve" in body
    assert 'hx-swap-oob="true"' in body and "75%" in body
    assert own_rows("ana1") == [("C1", 1.0), ("C2", 3.0)]


def test_analyst_gives_ahp_judgements(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(weighting=Workshop.Weighting.AHP)
    as_user(client, "ana1")
    assert 'name="ahp_C1|C2"' in client.get(mine(workshop)).content.decode()
    client.post(mine(workshop), {"shown": "ahp", "ahp_C1|C2": "1/3"})
    assert Membership.objects.get(user__username="ana1").ahp_judgements == pytest.approx(
        {"C1|C2": 1 / 3})


def test_a_page_from_before_the_method_changed_saves_nothing(client, workshop):
    as_user(client, "ana1")
    Workshop.objects.filter(pk=workshop.pk).update(weighting=Workshop.Weighting.SWING)
    body = save(client, workshop, "3", "1").content.decode()
    assert "The facilitator has changed the weighting method" in body
    assert own_rows("ana1") == []


def test_invalid_weights_are_refused_with_the_reason(client, workshop):
    body = save(as_user(client, "ana1"), workshop, "0", "0").content.decode()
    assert "At least one criterion needs a weight above zero." in body
    assert own_rows("ana1") == []


@pytest.mark.parametrize("username, status", [("fac", 403), ("obs", 403), ("outsider", 404)])
def test_others_are_refused_the_analysts_page(client, workshop, username, status):
    as_user(client, username)
    assert client.get(mine(workshop)).status_code == status
    assert save(client, workshop, "3", "1").status_code == status
    assert not AnalystWeight.objects.exists()


@pytest.mark.parametrize("change, reason", [
    ({"analysts_weigh": False}, "The facilitator weights the criteria in this workshop."),
    ({"status": Workshop.Status.LOCKED}, "The workshop is locked"),
])
def test_the_page_is_refused_when_off_or_locked(client, workshop, change, reason):
    Workshop.objects.filter(pk=workshop.pk).update(**change)
    as_user(client, "ana1")
    response = save(client, workshop, "3", "1")
    assert response.status_code == 403 and reason in response.content.decode()
    assert not AnalystWeight.objects.exists()
    page = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    assert mine(workshop) not in page


def test_before_the_reveal_an_analyst_sees_only_their_own_weights(client, workshop):
    actions.set_own_weights(workshop.pk, User.objects.get(username="ana2"), "direct",
                            {"C1": 1, "C2": 9}, {})
    as_user(client, "ana1")
    save(client, workshop, "3", "1")
    page = client.get(mine(workshop)).content.decode()
    assert "75%" in page and "90%" not in page and "ana2" not in page
    assert "nobody sees yours" in page
    assert client.get(reverse("workshop_results", args=[workshop.pk])).status_code == 403
    detail = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    assert "90%" not in detail and "Disagreement on the weights" not in detail


def test_results_show_the_weight_disagreement_beside_the_scores(client, workshop):
    for name, c1, c2 in (("ana1", 9, 1), ("ana2", 3, 7)):
        actions.set_own_weights(workshop.pk, User.objects.get(username=name), "direct",
                                {"C1": c1, "C2": c2}, {})
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    body = as_user(client, "ana1").get(
        reverse("workshop_results", args=[workshop.pk])).content.decode()
    assert "Where the team disagrees" in body and "Disagreement on the weights" in body
    # C1: the group's 60%, the analysts 30% to 90%; the winner flips inside that range.
    assert "60%" in body and "30%" in body and "90%" in body
    assert "Analysts gave" in body and "flips within: 1 analyst outside" in body
    assert "from the analysts&#x27; own" in body or "from the analysts' own" in body


def test_the_facilitators_page_counts_the_analysts_who_weighted(client, workshop):
    actions.set_own_weights(workshop.pk, User.objects.get(username="ana1"), "direct",
                            {"C1": 1, "C2": 1}, {})
    body = as_user(client, "fac").get(
        reverse("workshop_weights", args=[workshop.pk])).content.decode()
    assert "1 analyst has given weights; 1 has not and is left out." in body
