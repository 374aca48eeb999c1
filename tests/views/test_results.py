"""The results and weights pages: who sees them, and that they show the engine's numbers."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.workshops.frames import workshop_frames
from policy.models import Membership, Weight, Workshop
from policy.scoring import compare
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=3, criteria=2), analysts=2)
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    make_user("outsider")
    for analyst, values in {"ana1": [8, 2, 5, 5, 1, 9], "ana2": [7, 3, 6, 1, 2, 8]}.items():
        cells = [(o, c) for o in ("O1", "O2", "O3") for c in ("C1", "C2")]
        for (option, criterion), value in zip(cells, values):
            score(ws, analyst, option, criterion, value, f"{analyst} on {option}/{criterion}")
    return ws


def get(client, username, name, ws, **extra):
    client.force_login(User.objects.get(username=username))
    return client.get(reverse(name, args=[ws.pk]), **extra)


@pytest.mark.parametrize("username, status", [
    ("outsider", 404), ("ana1", 403), ("obs", 403), ("fac", 200),
])
def test_results_hidden_until_reveal(client, workshop, username, status):
    response = get(client, username, "workshop_results", workshop)
    assert response.status_code == status
    if status != 200:
        assert "ana2 on O1/C1" not in response.content.decode()


@pytest.mark.parametrize("username", ["ana1", "obs", "fac"])
def test_results_after_reveal_show_the_engines_ranking(client, workshop, username):
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    workshop.refresh_from_db()
    expected = compare(workshop_frames(workshop)).to_dict()
    body = get(client, username, "workshop_results", workshop).content.decode()
    winner = expected["winner"]
    assert f'{winner["total"]:.3f}' in body
    assert f'<strong>{winner["option"]} {winner["title"]}</strong> ranks first' in body
    assert "<svg" in body and "Weighted contribution" in body


def test_results_name_the_settings_as_the_workshop_form_does(client, workshop):
    # The names come from policy/scoring/names.py: the label alone, the phrase in a sentence.
    Workshop.objects.filter(pk=workshop.pk).update(
        revealed=True, method="topsis", aggregation="trimmed_mean")
    body = get(client, "fac", "workshop_results", workshop).content.decode()
    assert "TOPSIS · 20% trimmed mean of 2 analysts · weights by direct points" in body
    assert ("Ranking of the options, TOPSIS (closeness to the ideal option) with 20% trimmed "
            "mean aggregation") in body


def test_contested_cell_shows_each_reason(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    body = get(client, "ana1", "workshop_results", workshop).content.decode()
    # O2/C2: 5 against 1 is an IQR of 2 scale points: contested.
    assert "ana1 on O2/C2" in body and "ana2 on O2/C2" in body


def test_anonymous_workshop_hides_names_beside_reasons(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True, anonymous=True)
    body = get(client, "fac", "workshop_results", workshop).content.decode()
    assert "ana1 on O2/C2" in body  # the rationale's own text is kept
    assert '<span class="muted">ana1</span>' not in body


@pytest.mark.parametrize("username", ["outsider", "ana1", "obs"])
def test_only_the_facilitator_sets_weights(client, workshop, username):
    client.force_login(User.objects.get(username=username))
    url = reverse("workshop_weights", args=[workshop.pk])
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, {"weighting": "direct", "shown": "direct", "w_C1": "1", "w_C2": "9"})
    assert response.status_code in (403, 404)
    assert Weight.objects.count() == 0


def test_direct_weights_saved_and_ranking_moves(client, workshop):
    client.force_login(User.objects.get(username="fac"))
    url = reverse("workshop_weights", args=[workshop.pk])
    response = client.post(url, {"weighting": "direct", "shown": "direct", "w_C1": "0", "w_C2": "10"}, **HTMX)
    assert dict(Weight.objects.values_list("criterion__code", "value")) == {"C1": 0.0, "C2": 10.0}
    workshop.refresh_from_db()
    assert workshop.revision == 1
    result = compare(workshop_frames(workshop)).to_dict()
    assert result["winner"]["option"] == "O3"  # C2 alone: O3 scores 9 and 8
    assert 'hx-swap-oob="true"' in response.content.decode()
    first_row = response.content.decode().split('<td class="num">1</td>', 1)[1].split("</tr>")[0]
    assert '<span class="code">O3</span> Option 3' in first_row


def test_all_zero_weights_are_refused_with_a_message(client, workshop):
    client.force_login(User.objects.get(username="fac"))
    response = client.post(reverse("workshop_weights", args=[workshop.pk]),
                           {"weighting": "direct", "shown": "direct", "w_C1": "0", "w_C2": "0"})
    assert "At least one criterion needs a weight above zero." in response.content.decode()
    assert Weight.objects.count() == 0


def test_negative_and_non_numeric_weights_are_refused(client, workshop):
    client.force_login(User.objects.get(username="fac"))
    response = client.post(reverse("workshop_weights", args=[workshop.pk]),
                           {"weighting": "direct", "shown": "direct", "w_C1": "-1", "w_C2": "abc"})
    body = response.content.decode()
    assert "greater than or equal to 0" in body and "Enter a number" in body
    assert Weight.objects.count() == 0


def test_ahp_judgements_saved_with_consistency_ratio_shown(client, workshop):
    client.force_login(User.objects.get(username="fac"))
    url = reverse("workshop_weights", args=[workshop.pk])
    switched = client.post(url, {"weighting": "ahp", "shown": "direct"}).content.decode()
    # switching method shows its form, saves nothing
    legend = '<legend><span class="code">C1</span> Criterion 1 <span class="ahp-or">or</span>'
    assert legend in switched
    assert Workshop.objects.get(pk=workshop.pk).weighting == "direct"
    client.post(url, {"weighting": "ahp", "shown": "ahp", "ahp_C1|C2": "1/3"})
    workshop.refresh_from_db()
    assert workshop.weighting == "ahp"
    assert workshop.ahp_judgements == {"C1|C2": pytest.approx(1 / 3)}
    body = client.get(url).content.decode()
    assert "Consistency ratio <strong>0.000</strong>" in body
    result = compare(workshop_frames(workshop)).to_dict()
    assert result["weights"]["values"] == {"C1": pytest.approx(0.25), "C2": pytest.approx(0.75)}


def test_switching_method_starts_from_default_ranks(client, workshop):
    client.force_login(User.objects.get(username="fac"))
    body = client.post(reverse("workshop_weights", args=[workshop.pk]),
                       {"weighting": "rank", "shown": "direct"}).content.decode()
    assert 'name="w_C1"' in body and 'value="1"' in body and 'value="2"' in body


def test_disagreement_heatmap_prints_median_and_iqr_and_marks_contested(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    body = get(client, "fac", "workshop_results", workshop).content.decode()
    # O2/C2 got 5 and 1: median 3, IQR 2 (type 7 quartiles of two values), contested.
    assert 'heat-cell shade-4 is-contested">3<br><span class="small">IQR 2</span>' in body
