"""The database refuses what the models forbid, whatever code path writes the row.

Each bad row is written inside its own transaction.atomic() so the IntegrityError rolls back
only that savepoint and the test can go on (PostgreSQL aborts the whole transaction otherwise).
"""
import math

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse

from policy.cases.casefile import import_case, load_file
from policy.models import (
    Actor,
    Case,
    Criterion,
    Event,
    Membership,
    MemoPDF,
    MemoSettings,
    Option,
    Principle,
    Risk,
    Score,
    Source,
    Weight,
    Workshop,
)
from tests.factories import make_case, make_workshop, score

pytestmark = pytest.mark.django_db
TINY = settings.BASE_DIR / "fixtures" / "tiny-case.json"


def refused(model, **fields) -> None:
    """Assert the database refuses to store this row."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


def actor(case, **fields):
    return {"case": case, "code": "A9", "name": "An actor", "kind": "state", "influence": 3,
            "stance": 0, **fields}


def risk(case, **fields):
    return {"case": case, "code": "R9", "title": "A risk", "likelihood": 3, "impact": 3, **fields}


def criterion(case, **fields):
    return {"case": case, "code": "C9", "title": "A criterion", "kind": "other", **fields}


@pytest.fixture
def case():
    return make_case()


def test_second_score_for_the_same_cell(case):
    workshop = make_workshop(case)
    score(workshop, "ana1", "O1", "C1", 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        score(workshop, "ana1", "O1", "C1", 6)
    # The same cell in another round is a different cell.
    Workshop.objects.filter(pk=workshop.pk).update(round=2)
    score(workshop, "ana1", "O1", "C1", 6, round=2)
    assert workshop.scores.count() == 2


def test_score_round_zero(case):
    workshop = make_workshop(case)
    with pytest.raises(IntegrityError), transaction.atomic():
        score(workshop, "ana1", "O1", "C1", 5, round=0)


@pytest.mark.parametrize(
    "model, fields",
    [
        (Principle, {"title": "Again", "statement": "Again."}),
        (Option, {"title": "Again"}),
        (Criterion, {"title": "Again", "kind": "other"}),
    ],
)
def test_duplicate_code_in_a_case(case, model, fields):
    existing = model.objects.filter(case=case).first().code
    refused(model, case=case, code=existing, **fields)


def test_duplicate_code_for_each_remaining_part(case):
    Source.objects.create(case=case, code="S1", citation="A book")
    refused(Source, case=case, code="S1", citation="Another book")
    Actor.objects.create(**actor(case, code="A1"))
    refused(Actor, **actor(case, code="A1"))
    Event.objects.create(case=case, code="E1", date="2012-01-01", title="An event")
    refused(Event, case=case, code="E1", date="2012-02-01", title="Another")
    Risk.objects.create(**risk(case, code="R1"))
    refused(Risk, **risk(case, code="R1"))


def test_the_same_code_in_another_case_is_fine(case):
    other = make_case(slug="other")
    assert other.options.filter(code="O1").exists()
    assert case.options.filter(code="O1").exists()


@pytest.mark.parametrize("influence", [0, 6])
def test_actor_influence_out_of_1_to_5(case, influence):
    refused(Actor, **actor(case, influence=influence))


@pytest.mark.parametrize("stance", [-3, 3])
def test_actor_stance_out_of_minus2_to_2(case, stance):
    refused(Actor, **actor(case, stance=stance))


def test_actor_bounds_are_accepted(case):
    Actor.objects.create(**actor(case, code="A1", influence=1, stance=-2))
    Actor.objects.create(**actor(case, code="A2", influence=5, stance=2))
    assert case.actors.count() == 2


@pytest.mark.parametrize("field", ["likelihood", "impact"])
@pytest.mark.parametrize("level", [0, 6])
def test_risk_levels_out_of_range(case, field, level):
    refused(Risk, **risk(case, **{field: level}))


@pytest.mark.parametrize("low, high", [(5, 5), (10, 0)])
def test_criterion_scale_min_not_below_max(case, low, high):
    refused(Criterion, **criterion(case, scale_min=low, scale_max=high))


def test_criterion_negative_default_weight(case):
    refused(Criterion, **criterion(case, default_weight=-0.5))
    Criterion.objects.create(**criterion(case, default_weight=0))  # zero: the criterion is off


@pytest.mark.parametrize("threshold", [-1, 10.5])
def test_red_line_threshold_off_the_scale(case, threshold):
    refused(Criterion, **criterion(case, red_line_threshold=threshold))


def test_red_line_threshold_on_the_bounds(case):
    Criterion.objects.create(**criterion(case, code="C8", red_line_threshold=0))
    Criterion.objects.create(**criterion(case, code="C9", red_line_threshold=10))


def test_criterion_with_two_origins(case):
    principle = case.principles.get()
    an_actor = Actor.objects.create(**actor(case))
    refused(Criterion, **criterion(case, principle=principle, actor=an_actor))


def test_workshop_round_zero(case):
    refused(Workshop, case=case, title="Round zero", round=0)


def test_negative_weight(case):
    workshop = make_workshop(case)
    refused(Weight, workshop=workshop, criterion=case.criteria.first(), value=-1)


def test_duplicate_weight(case):
    workshop = make_workshop(case)
    Weight.objects.create(workshop=workshop, criterion=case.criteria.first(), value=2)
    refused(Weight, workshop=workshop, criterion=case.criteria.first(), value=3)


def test_duplicate_membership(case):
    workshop = make_workshop(case)
    user = get_user_model().objects.get(username="ana1")
    refused(Membership, workshop=workshop, user=user, role="observer")


# -- Criterion.check_value: the rule every score goes through --------------------------------


@pytest.fixture
def scale_criterion(case):
    return Criterion(case=case, code="C9", title="Cost", kind="cost", scale_min=1, scale_max=5)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 0, 0.99, 5.01, 6])
def test_check_value_refuses(scale_criterion, value):
    with pytest.raises(ValidationError):
        scale_criterion.check_value(value)


@pytest.mark.parametrize("value", [1, 5, 2.5, 3])
def test_check_value_accepts_the_scale_and_its_bounds(scale_criterion, value):
    scale_criterion.check_value(value)  # no error


# -- The admin: every model's pages render, and it refuses what the models refuse --------------


@pytest.fixture
def filled(case):
    """The tiny case file (every kind of part) and a workshop with a weight and a score."""
    import_case(load_file(TINY))
    workshop = make_workshop(case)
    Weight.objects.create(workshop=workshop, criterion=case.criteria.first(), value=2)
    score(workshop, "ana1", "O1", "C1", 5)
    MemoPDF.objects.create(workshop=workshop, revision=1, version="1", page_size="Letter",
                           stamp="s", pdf=b"%PDF-1.7", pages=2, render_seconds=0.5)
    MemoSettings.objects.create(workshop=workshop, addressee="THE SECRETARY",
                                cleared_by=[{"name": "Pat", "office": "L", "date": ""}])
    return workshop


def test_admin_pages_render_for_every_model(admin_client, filled):
    request = admin_request()
    for model in apps.get_app_config("policy").get_models():
        assert model in admin.site._registry, model
        opts = model._meta
        views = [("changelist", [])]
        if admin.site._registry[model].has_add_permission(request):
            views.append(("add", []))
        if model.objects.exists():
            views.append(("change", [model.objects.first().pk]))
        for view, args in views:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
            assert admin_client.get(url).status_code == 200, url
    # The score list filters by workshop, round and criterion.
    url = reverse("admin:policy_score_changelist")
    response = admin_client.get(url, {"workshop__id__exact": filled.pk, "round": 1})
    assert response.status_code == 200 and "ana1" in response.text
    # A case's page carries its parts inline.
    tiny_case = Case.objects.get(slug="tiny-case")
    page = admin_client.get(reverse("admin:policy_case_change", args=[tiny_case.pk])).text
    assert "Farmers&#x27; union" in page and "Cost to the budget" in page
    assert Score.objects.count() == 1


def admin_request():
    """A request by a superuser, for asking a ModelAdmin what it permits."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    return request


def criterion_post(criterion, **changes) -> dict:
    """The admin form's data for a criterion as it stands, with changes."""
    data = {
        "case": criterion.case_id, "code": criterion.code, "position": criterion.position,
        "quote": "", "title": criterion.title, "description": "", "kind": criterion.kind,
        "direction": criterion.direction, "scale_min": criterion.scale_min,
        "scale_max": criterion.scale_max, "anchors": '{"0": "None", "10": "All"}',
        "default_weight": 1, "red_line_threshold": "", "_save": "Save",
    }
    return {**data, **changes}


@pytest.mark.parametrize("changes, field", [
    ({"scale_min": 10, "scale_max": 10}, "scale_max"),
    ({"anchors": '{"11": "Beyond"}'}, "anchors"),
    ({"red_line_threshold": 12}, "red_line_threshold"),
])
def test_criterion_admin_refuses_a_bad_scale(admin_client, case, changes, field):
    criterion = case.criteria.get(code="C2")
    url = reverse("admin:policy_criterion_change", args=[criterion.pk])
    response = admin_client.post(url, criterion_post(criterion, **changes))
    assert response.status_code == 200  # the form again, not a redirect
    assert field in response.context["adminform"].form.errors
    criterion.refresh_from_db()
    assert (criterion.scale_min, criterion.scale_max, criterion.red_line_threshold) == (0, 10, None)


def test_criterion_admin_saves_a_good_scale(admin_client, case):
    criterion = case.criteria.get(code="C2")
    url = reverse("admin:policy_criterion_change", args=[criterion.pk])
    response = admin_client.post(url, criterion_post(criterion, scale_min=1, scale_max=5,
                                                      anchors='{"1": "Low", "5": "High"}',
                                                      red_line_threshold=2))
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.scale_min, criterion.scale_max, criterion.red_line_threshold) == (1, 5, 2.0)


def test_score_admin_uses_autocomplete_and_survives_a_missing_criterion(admin_client, filled):
    page = admin_client.get(reverse("admin:policy_score_add")).text
    # Autocomplete widgets render no <option> per row, so 100k scores' parts never load here.
    assert page.count("admin-autocomplete") >= 4
    data = {"workshop": filled.pk, "round": 1, "analyst": filled.created_by_id,
            "option": filled.case.options.first().pk, "value": 5, "rationale": ""}
    response = admin_client.post(reverse("admin:policy_score_add"), data)
    assert response.status_code == 200  # the form with its error, not a server error
    assert "criterion" in response.context["adminform"].form.errors
    assert Score.objects.count() == 1
