"""Database queries per page: a ceiling each, and the same count whatever the workshop's size.

Every page runs on the shipped case with a workshop of 2 analysts and one of 6 (all cells
scored, revealed): the counts must be equal, so no query runs once per analyst, option or
criterion. Each ceiling is the count measured when it was set (in the comment): a change that
adds a query shows here and has to argue for it.
"""
import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from policy.cases.casefile import import_case
from policy.management.commands.demo_workshop import make_demo_workshop
from policy.models import (
    Actor,
    Case,
    Criterion,
    Event,
    Membership,
    Option,
    Principle,
    Risk,
    Source,
    Workshop,
)
from policy.workshops import actions
from policy.workshops.live import audience_of, page_state

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "central-asia-2012.json"
pytestmark = pytest.mark.django_db


@pytest.fixture
def case() -> Case:
    return import_case(json.loads(FIXTURE.read_text(encoding="utf-8")))


def open_workshop(case: Case, analysts: int, seed: int) -> Workshop:
    """Every analyst has scored every cell; scoring is open and the scores are revealed."""
    workshop = make_demo_workshop(case, analysts=analysts, seed=seed)
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.OPEN)
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def workshops(case) -> list[Workshop]:
    return [open_workshop(case, 2, seed=1), open_workshop(case, 6, seed=2)]


def member(workshop: Workshop, role: str):
    return (Membership.objects.filter(workshop=workshop, role=role)
            .order_by("joined_at", "id").first().user)


def counted(assert_max, ceiling: int, send):
    """(response, queries) of one request under the ceiling, with an empty shared cache:
    a cold page, nothing rendered for it before."""
    cache.clear()
    with assert_max(ceiling) as queries:
        response = send()
    return response, len(queries)


# -- A workshop's pages: the same count with 2 analysts as with 6 -------------------------


def first_cell(workshop: Workshop) -> tuple[int, int]:
    option = workshop.case.options.order_by("position", "code").first()
    criterion = workshop.case.criteria.order_by("position", "code").first()
    return option.pk, criterion.pk


def workshop_page(client, workshop):
    response = client.get(reverse("workshop_detail", args=[workshop.pk]))
    assert workshop.title in response.text
    return response


def results_page(client, workshop):
    response = client.get(reverse("workshop_results", args=[workshop.pk]))
    assert "Kendall" in response.text
    return response


def weights_page(client, workshop):
    response = client.get(reverse("workshop_weights", args=[workshop.pk]))
    assert 'name="weighting"' in response.text
    return response


def poll_unchanged(client, workshop):
    response = client.get(reverse("workshop_poll", args=[workshop.pk]),
                          {"revision": workshop.revision, "state": page_state(workshop)})
    assert (response.status_code, response.content) == (204, b"")
    return response


def poll_changed(client, workshop):
    """As an analyst's page polls (the only role it is measured for)."""
    role = Membership.Role.ANALYST
    response = client.get(reverse("workshop_poll", args=[workshop.pk]),
                          {"revision": workshop.revision - 1, "state": page_state(workshop),
                           "audience": audience_of(role, workshop)},
                          HTTP_HX_REQUEST="true")
    assert 'id="live"' in response.text
    return response


def cell_save(client, workshop):
    option, criterion = workshop.cell
    response = client.post(reverse("score_cell", args=[workshop.pk, option, criterion]),
                           {"value": "3", "rationale": "Changed my mind", "round": "1"},
                           HTTP_HX_REQUEST="true")
    assert "Saved" in response.text
    return response


def csv_export(client, workshop):
    response = client.get(reverse("workshop_export", args=[workshop.pk, "csv"]))
    assert response.content.decode("utf-8-sig").startswith("analyst,option,")
    return response


def xlsx_export(client, workshop):
    response = client.get(reverse("workshop_export", args=[workshop.pk, "xlsx"]))
    assert response.content[:2] == b"PK"
    return response


def memo_cached(client, workshop):
    response = client.get(reverse("workshop_memo", args=[workshop.pk]))
    assert response["X-Memo-Cache"] == "hit"
    return response


# Every signed-in request checks that its session is live on the server, in one primary-key
# query that also reads the user's row (policy/accounts/sessions.py, "logout ends the
# session"), on top of each page's own. (Until issue 15 the user was a query of its own,
# counted in each page's.)
SESSION = 1

# (page, who asks, ceiling): each ceiling is the count measured when it was set.
WORKSHOP_PAGES = [
    # measured 11: the grid's options, criteria and scores (which count the cells too)
    (workshop_page, "analyst", 11 + SESSION),
    (workshop_page, "facilitator", 11 + SESSION),  # measured 11: 10, and the members for roles
    (results_page, "facilitator", 9 + SESSION),  # measured 9
    (weights_page, "facilitator", 8 + SESSION),  # measured 8
    # measured 1: the session's check, which reads the workshop's state too (2 before
    # session 5: the state was a query of its own)
    (poll_unchanged, "analyst", SESSION),
    (poll_changed, "analyst", 10 + SESSION),  # measured 11: the panels rendered cold
    # measured 5 (12 before issue 15, 6 before session 5): the session's check, which reads
    # the membership with the workshop's state and the cell too, then a transaction of three
    # statements (the bump that checks the round is open, the history line, the upsert) and
    # its BEGIN and COMMIT (SAVEPOINT and RELEASE here, inside the test's transaction):
    # tests/views/test_workshops.py lists them
    (cell_save, "analyst", 5 + SESSION),
    (csv_export, "facilitator", 4 + SESSION),  # measured 4
    (xlsx_export, "facilitator", 9 + SESSION),  # measured 9
    # measured 4: the cached PDF, no render; the history row
    (memo_cached, "facilitator", 4 + SESSION),
]


@pytest.mark.parametrize(
    "page, role, ceiling", WORKSHOP_PAGES, ids=lambda v: v.__name__ if callable(v) else str(v)
)
def test_workshop_page_queries(client, workshops, django_assert_max_num_queries, page, role,
                               ceiling):
    counts = []
    for workshop in workshops:
        workshop.cell = first_cell(workshop)
        client.force_login(member(workshop, role))
        if page is memo_cached:
            client.get(reverse("workshop_memo", args=[workshop.pk]))  # renders it, once
        _, count = counted(django_assert_max_num_queries, ceiling, lambda: page(client, workshop))
        counts.append(count)
    assert counts[0] == counts[1]  # 2 analysts and 6: no query per analyst


# -- When analysts weight the criteria themselves: one query more for the engine's frames ---


def analysts_weigh(workshop: Workshop) -> None:
    """The setting on, and every analyst's own points (each a little different)."""
    actions.set_analysts_weigh(workshop.pk, True)
    codes = list(workshop.case.criteria.order_by("position").values_list("code", flat=True))
    analysts = Membership.objects.filter(workshop=workshop, role=Membership.Role.ANALYST)
    for i, analyst in enumerate(analysts.select_related("user")):
        points = {code: 1 + (i + j) % 3 for j, code in enumerate(codes)}
        actions.set_own_weights(workshop.pk, analyst.user, "direct", points, {})
    workshop.refresh_from_db()


def my_weights_page(client, workshop):
    response = client.get(reverse("workshop_my_weights", args=[workshop.pk]))
    assert "Your weights as shares" in response.text
    return response


def results_with_weight_spread(client, workshop):
    response = results_page(client, workshop)
    assert "Disagreement on the weights" in response.text
    return response


OWN_WEIGHT_PAGES = [
    (my_weights_page, "analyst", 4 + SESSION),  # measured 4: membership, criteria, own inputs
    (results_with_weight_spread, "facilitator", 11 + SESSION),  # measured 11: 10, their inputs
    (weights_page, "facilitator", 10 + SESSION),  # measured 10: 9, their inputs
    (workshop_page, "analyst", 13 + SESSION),  # measured 13: 12, their inputs
]


@pytest.mark.parametrize(
    "page, role, ceiling", OWN_WEIGHT_PAGES, ids=lambda v: v.__name__ if callable(v) else str(v)
)
def test_pages_when_analysts_weigh(client, workshops, django_assert_max_num_queries, page, role,
                                   ceiling):
    counts = []
    for workshop in workshops:
        analysts_weigh(workshop)
        client.force_login(member(workshop, role))
        _, count = counted(django_assert_max_num_queries, ceiling, lambda: page(client, workshop))
        counts.append(count)
    assert counts[0] == counts[1]  # 2 analysts and 6: no query per analyst


def paced_item(client, workshop):
    response = client.get(reverse("workshop_detail", args=[workshop.pk]))
    assert 'id="paced-live"' in response.text and "<circle" in response.text
    return response


def presenter(client, workshop):
    response = client.get(reverse("workshop_present", args=[workshop.pk]))
    assert "<circle" in response.text
    return response


# In paced mode, on a revealed item: its dot plot, and (for the team) its reasons. The item
# costs its criteria, options and answers, and the reasons the analysts' labels.
PACED_PAGES = [
    (paced_item, "analyst", 17 + SESSION),  # measured 17
    (paced_item, "facilitator", 17 + SESSION),  # measured 17
    (paced_item, "observer", 16 + SESSION),  # measured 16
    (poll_changed, "analyst", 17 + SESSION),  # measured 17: the panels and the item, cold
    (presenter, "facilitator", 16 + SESSION),  # measured 16
]


@pytest.mark.parametrize(
    "page, role, ceiling", PACED_PAGES, ids=lambda v: v.__name__ if callable(v) else str(v)
)
def test_paced_page_queries(client, workshops, django_assert_max_num_queries, page, role,
                            ceiling):
    counts = []
    for workshop in workshops:
        actions.pace(workshop.pk, "start")
        actions.pace(workshop.pk, "reveal")
        workshop.refresh_from_db()
        if role == "observer":
            Membership.objects.create(workshop=workshop, role=role,
                                      user=get_user_model().objects.create_user(f"obs{workshop.pk}"))
        client.force_login(member(workshop, role))
        _, count = counted(django_assert_max_num_queries, ceiling, lambda: page(client, workshop))
        counts.append(count)
    assert counts[0] == counts[1]  # 2 analysts and 6: no query per analyst


# -- The case's pages: the same count with one more part of every kind --------------------


def add_one_of_each(case: Case) -> None:
    source = Source.objects.create(case=case, code="S-extra", citation="A later article.",
                                   position=99)
    principle = Principle.objects.create(case=case, code="P-extra", title="Another principle",
                                         statement="Hold to this too.", source=source)
    actor = Actor.objects.create(case=case, code="A-extra", name="Another actor",
                                 kind=Actor.Kind.STATE, influence=3, stance=1,
                                 source=source)
    event = Event.objects.create(case=case, code="E-extra", date=date(2012, 6, 1),
                                 title="Another event", source=source)
    risk = Risk.objects.create(case=case, code="R-extra", title="Another risk", likelihood=2,
                               impact=3, source=source)
    risk.actors.add(actor)
    risk.events.add(event)
    Option.objects.create(case=case, code="O-extra", title="Another option", source=source)
    Criterion.objects.create(case=case, code="C-extra", title="Another criterion",
                             kind=Criterion.Kind.ALIGNMENT, principle=principle, source=source)


def home(client, case):
    response = client.get(reverse("home"))
    assert case.title in response.text
    return response


def case_page(client, case):
    response = client.get(reverse("case_detail", args=[case.slug]))
    assert case.question in response.text
    return response


def case_edit(client, case):
    response = client.get(reverse("case_edit", args=[case.slug]))
    assert 'name="new-criteria-code"' in response.text
    return response


CASE_PAGES = [
    (home, 2 + SESSION),  # measured 2: the cases, the user's workshops
    (case_page, 11 + SESSION),  # measured 11: a query a kind of part (risks: 3)
    # measured 27 (35 before each section's form loaded the sources again): per section its
    # parts and the next free code; the choices once for the page
    (case_edit, 27 + SESSION),
]


@pytest.mark.parametrize("page, ceiling", CASE_PAGES, ids=lambda v: getattr(v, "__name__", v))
def test_case_page_queries(client, case, workshops, django_assert_max_num_queries, page,
                           ceiling):
    owner = get_user_model().objects.create_user("owner")
    case.owners.add(owner)
    Membership.objects.create(workshop=workshops[0], user=owner, role=Membership.Role.OBSERVER)
    client.force_login(owner)
    _, before = counted(django_assert_max_num_queries, ceiling, lambda: page(client, case))
    add_one_of_each(case)
    Membership.objects.create(workshop=workshops[1], user=owner, role=Membership.Role.OBSERVER)
    response, after = counted(django_assert_max_num_queries, ceiling, lambda: page(client, case))
    assert before == after  # no query per part, per workshop
    if page is not home:
        assert "Another criterion" in response.text
