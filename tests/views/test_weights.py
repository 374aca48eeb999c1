"""The weights page: AHP pairs on the verbal scale (a spanning set is enough, an unlinked set
is refused without losing a choice), what it shows after saving, and the sliders."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.models import Weight, Workshop
from tests.factories import make_case, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=2, criteria=4), analysts=1, weighting="ahp")
    for criterion in ("C1", "C2", "C3", "C4"):
        score(ws, "ana1", "O1", criterion, 6, "because")
        score(ws, "ana1", "O2", criterion, 4, "because")
    return ws


def post(client, workshop, data, **extra):
    client.force_login(User.objects.get(username="fac"))
    url = reverse("workshop_weights", args=[workshop.pk])
    return client.post(url, {"weighting": "ahp", "shown": "ahp", **data}, **extra)


def checked(body: str) -> dict[str, str]:
    """Each radio group's checked value, as the page shows it."""
    return dict(re.findall(r'name="(ahp_[^"]+)" id="[^"]+" value="([^"]*)" checked', body))


def test_the_spanning_pairs_come_first_and_the_others_are_optional(client, workshop):
    client.force_login(User.objects.get(username="fac"))
    body = client.get(reverse("workshop_weights", args=[workshop.pk])).content.decode()
    head, more = body.split("More comparisons (optional): 3 pairs")
    assert re.findall(r'name="(ahp_[^"]+)" id="[^"]+" value="9"', head) == [
        "ahp_C1|C2", "ahp_C1|C3", "ahp_C1|C4"]
    assert re.findall(r'name="(ahp_[^"]+)" id="[^"]+" value="9"', more) == [
        "ahp_C2|C3", "ahp_C2|C4", "ahp_C3|C4"]
    assert "3 comparisons, each criterion against" in head
    assert "are enough for weights. The other 3 are optional" in head
    # Nothing judged yet: every pair shows "not compared", and the disclosure is closed.
    assert set(checked(body).values()) == {""}
    assert '<details class="ahp-more-pairs" id="ahp-more-pairs">' in body
    # One fieldset per pair, named by both criteria, each radio named by side and size.
    assert body.count('<fieldset class="ahp-pair">') == 6
    assert ('<legend><span class="code">C1</span> Criterion 1 <span class="ahp-or">or</span> '
            '<span class="code">C3</span> Criterion 3</legend>') in body
    assert ('value="1/7"><span class="ahp-side">C3</span> very strongly'
            '<span class="ahp-more"> more important</span>') in body


def test_a_spanning_set_gives_weights_and_says_it_cannot_be_checked(client, workshop):
    response = post(client, workshop, {"ahp_C1|C2": "3", "ahp_C1|C3": "1", "ahp_C1|C4": "1/3"})
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.ahp_judgements == {"C1|C2": 3, "C1|C3": 1, "C1|C4": pytest.approx(1 / 3)}
    body = client.get(response.url).content.decode()
    # w1 = 3 w2 = w3 = w4 / 3: 3/16, 1/16, 3/16, 9/16.
    assert re.findall(r'<td class="num">(\d+%)</td>', body)[-4:] == ["19%", "6%", "19%", "56%"]
    assert "Consistency ratio <strong>0.000</strong>; Saaty's limit for 4 criteria is 0.08" in body
    assert "With only the comparisons needed, the judgements cannot contradict each other" in body
    assert "were compared; the weights are completed from them by logarithmic least squares" in body
    assert checked(body)["ahp_C1|C4"] == "1/3"


def test_an_unlinked_set_is_refused_by_name_and_keeps_every_choice(client, workshop):
    workshop.ahp_judgements = {"C1|C2": 5}
    workshop.save()
    data = {"ahp_C1|C2": "3", "ahp_C1|C3": "", "ahp_C1|C4": "", "ahp_C3|C4": "1/7"}
    for extra in ({}, HTMX):
        body = post(client, workshop, data, **extra).content.decode()
        assert ("Not saved yet: C3, C4 are not compared with C1 Criterion 1, directly or through "
                "other criteria") in body
        shown = checked(body)
        assert (shown["ahp_C1|C2"], shown["ahp_C3|C4"], shown["ahp_C1|C3"]) == ("3", "1/7", "")
        # The optional pair judged is counted; its disclosure stays closed (not refused).
        assert ("The other 3 are optional: they check that the judgements agree with each "
                "other (1 made).") in body
        assert '<details class="ahp-more-pairs" id="ahp-more-pairs" hx-preserve>' in body
    workshop.refresh_from_db()
    assert workshop.ahp_judgements == {"C1|C2": 5}


def test_inconsistent_judgements_show_the_ratio_against_the_limit_and_the_worst_three(
        client, workshop):
    # 8 : 4 : 2 : 1, but C1 said equal to C4.
    data = {"ahp_C1|C2": "3", "ahp_C1|C3": "5", "ahp_C1|C4": "1", "ahp_C2|C3": "3",
            "ahp_C2|C4": "5", "ahp_C3|C4": "3"}
    body = client.get(post(client, workshop, data).url).content.decode()
    assert "Saaty's limit for 4 criteria is 0.08: the judgements contradict each other" in body
    furthest = re.search(r'<ol class="small ahp-furthest">(.*?)</ol>', body, re.S).group(1)
    assert furthest.count("<li>") == 3
    assert ('<span class="code">C1</span> or <span class="code">C4</span>: judged equal '
            'importance (1); the weights say') in furthest
    assert "nearest on the scale <strong>C1 " in furthest


def test_a_stored_value_off_the_offered_scale_is_shown_and_kept(client, workshop):
    # Stored the other way round, and even: C2 is 2x C1, so C1 against C2 is 1/2.
    workshop.ahp_judgements = {"C2|C1": 2, "C1|C3": 1, "C1|C4": 1}
    workshop.save()
    client.force_login(User.objects.get(username="fac"))
    body = client.get(reverse("workshop_weights", args=[workshop.pk])).content.decode()
    assert checked(body)["ahp_C1|C2"] == "1/2"
    assert ('value="1/2" checked><span class="ahp-side">C2</span> equal to moderately') in body
    assert 'name="ahp_C1|C3" id="ahp-C1-C3-4" value="1/2"' not in body  # offered to its pair only
    response = post(client, workshop, {"ahp_C1|C2": "1/2", "ahp_C1|C3": "1", "ahp_C1|C4": "1"})
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.ahp_judgements == {"C1|C2": 0.5, "C1|C3": 1, "C1|C4": 1}
    refused = post(client, workshop, {"ahp_C1|C2": "1/2", "ahp_C1|C3": "1/2", "ahp_C1|C4": "1"})
    assert "Select a valid choice" in refused.content.decode()


def test_direct_and_swing_numbers_have_sliders_and_the_number_is_what_is_saved(client):
    ws = make_workshop(make_case(options=2, criteria=2), analysts=1)
    client.force_login(User.objects.get(username="fac"))
    url = reverse("workshop_weights", args=[ws.pk])
    body = client.get(url).content.decode()
    # Direct points from the case's defaults (1 each): a 0-10 slider, hidden until app.js.
    assert ('<input type="range" class="weight-slider" id="id_w_C1_slider" '
            'data-weight-for="id_w_C1" min="0" max="10" step="0.1" value="1.0" '
            'aria-labelledby="id_w_C1_label" hidden>') in body
    assert 'name="w_C1"' in body and 'id="id_w_C1"' in body
    swing = client.post(url, {"weighting": "swing", "shown": "direct"}).content.decode()
    assert 'data-weight-for="id_w_C2" min="0" max="100" step="1"' in swing
    response = client.post(url, {"weighting": "swing", "shown": "swing", "w_C1": "100",
                                 "w_C2": "40"}, **HTMX)
    assert ('id="id_w_C2_slider" data-weight-for="id_w_C2" min="0" max="100" step="1" '
            'value="40"') in response.content.decode()
    assert dict(Weight.objects.values_list("criterion__code", "value")) == {"C1": 100, "C2": 40}
    assert Workshop.objects.get(pk=ws.pk).weighting == "swing"
    rank = client.post(url, {"weighting": "rank", "shown": "swing"}).content.decode()
    assert 'type="range"' not in rank


def test_stored_judgements_that_no_longer_link_every_criterion_are_explained(client, workshop):
    # C4 added to the case after C1-C3 were judged: no weights, and the pages say why.
    Workshop.objects.filter(pk=workshop.pk).update(ahp_judgements={"C1|C2": 3, "C1|C3": 1})
    workshop.bump()
    client.force_login(User.objects.get(username="fac"))
    for name in ("workshop_results", "workshop_weights"):
        body = client.get(reverse(name, args=[workshop.pk])).content.decode()
        assert "The AHP comparisons do not link every criterion: C4 is not compared with C1" in body


def test_an_analysts_own_ahp_page_has_the_same_controls_and_check(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(analysts_weigh=True)
    client.force_login(User.objects.get(username="ana1"))
    url = reverse("workshop_my_weights", args=[workshop.pk])
    refused = client.post(url, {"shown": "ahp", "ahp_C1|C2": "3"}).content.decode()
    assert "Not saved yet: C3, C4 are not compared with C1 Criterion 1" in refused
    assert checked(refused)["ahp_C1|C2"] == "3"
    data = {"shown": "ahp", "ahp_C1|C2": "3", "ahp_C1|C3": "3", "ahp_C1|C4": "3",
            "ahp_C2|C3": "5"}
    body = client.get(client.post(url, data).url).content.decode()
    membership = workshop.memberships.get(user__username="ana1")
    assert membership.ahp_judgements == {"C1|C2": 3, "C1|C3": 3, "C1|C4": 3, "C2|C3": 5}
    assert "Consistency ratio of your judgements <strong>" in body
    assert "Saaty's limit for 4 criteria is 0.08" in body
    assert '<span class="code">C2</span> or <span class="code">C3</span>: judged C2' in body
