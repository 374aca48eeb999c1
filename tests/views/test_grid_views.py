"""The grid by criterion (the default) and by option (?view=option), without JavaScript: which
cell comes where, and a plain save that returns to the view it came from."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.models import Score
from tests.factories import make_case, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return make_workshop(make_case(options=2, criteria=3), analysts=1)


@pytest.fixture
def analyst(client, workshop):
    client.force_login(get_user_model().objects.get(username="ana1"))
    return client


def cell_order(ws, body: str) -> list[tuple[str, str]]:
    """The cells of the page, in document order, as (option code, criterion code)."""
    options = {o.pk: o.code for o in ws.case.options.all()}
    criteria = {c.pk: c.code for c in ws.case.criteria.all()}
    return [(options[int(o)], criteria[int(c)])
            for o, c in re.findall(r'<td id="cell-(\d+)-(\d+)"', body)]


def cell_url(ws, option, criterion):
    return reverse("score_cell", args=[
        ws.pk, ws.case.options.get(code=option).pk, ws.case.criteria.get(code=criterion).pk])


BY_CRITERION = [("O1", "C1"), ("O2", "C1"), ("O1", "C2"), ("O2", "C2"), ("O1", "C3"), ("O2", "C3")]
BY_OPTION = [("O1", "C1"), ("O1", "C2"), ("O1", "C3"), ("O2", "C1"), ("O2", "C2"), ("O2", "C3")]


@pytest.mark.parametrize("query, order, current", [
    ("", BY_CRITERION, "By criterion"),
    ("?view=option", BY_OPTION, "By option"),
    ("?view=nonsense", BY_CRITERION, "By criterion"),
])
def test_each_view_lays_out_the_same_cells(analyst, workshop, query, order, current):
    body = analyst.get(reverse("workshop_detail", args=[workshop.pk]) + query).content.decode()
    assert cell_order(workshop, body) == order
    assert re.findall(r'aria-current="page">([^<]+)<', body) == [current]
    # Each criterion's scale wording is on the page once, where the inputs' descriptions point.
    assert body.count('id="anchors-') == 3 and body.count("None at all") == 3


def test_plain_save_from_the_option_view_returns_to_it(analyst, workshop):
    response = analyst.post(cell_url(workshop, "O2", "C3") + "?view=option",
                            {"value": "8", "rationale": "Fits", "round": "1"})
    option = workshop.case.options.get(code="O2").pk
    criterion = workshop.case.criteria.get(code="C3").pk
    assert response["Location"] == (reverse("workshop_detail", args=[workshop.pk])
                                    + f"?view=option#cell-{option}-{criterion}")
    assert list(Score.objects.values_list("value", "rationale")) == [(8.0, "Fits")]


def test_refused_plain_save_from_the_option_view_reshows_that_view(analyst, workshop):
    response = analyst.post(cell_url(workshop, "O1", "C2") + "?view=option",
                            {"value": "12", "rationale": "Too high", "round": "1"})
    body = response.content.decode()
    assert response.status_code == 400
    assert cell_order(workshop, body) == BY_OPTION
    assert 'value="12"' in body and "must be between 0 and 10" in body
    assert Score.objects.count() == 0
