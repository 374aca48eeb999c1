"""Hostile input against every form and endpoint that changes data (issue 7, item 4).

Each row of a table is one hostile request. It must get a clear 4xx or a validation message,
write nothing (row counts and the relevant field values are compared before and after), and
leak nothing. Markup in every text field is checked escaped in the page and in the memo."""
import html
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from policy.memo.document import memo_html
from policy.models import (
    Actor,
    AnalystWeight,
    Case,
    Criterion,
    Event,
    Membership,
    Option,
    Principle,
    Risk,
    Score,
    Source,
    Weight,
    Workshop,
)
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}

NUMBERS = ["-1", "11", "10.0001", "NaN", "nan", "Infinity", "-Infinity", "inf", "1e309",
           "-1e309", "1e308", "0x10", "5; DROP TABLE", "", " "]
CONTROL = ["\x00", "a\x00b", "\u202eevil", "\x1b[31mred", "a\x7fb"]
HUGE = "x" * 100_000
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
ESCAPED = {
    "<script>alert(1)</script>": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<img src=x onerror=alert(1)>": "&lt;img src=x onerror=alert(1)&gt;",
}
MODELS = [Score, Weight, AnalystWeight, Workshop, Membership, Case, Principle, Actor, Event,
          Risk, Option, Criterion, Source]


def snapshot():
    """Row counts, and the fields a hostile request might move."""
    state = {m.__name__: m.objects.count() for m in MODELS}
    state["scores"] = sorted(Score.objects.values_list("pk", "value", "rationale", "round"))
    state["weights"] = sorted(Weight.objects.values_list("pk", "value"))
    state["analyst_weights"] = sorted(AnalystWeight.objects.values_list("pk", "value"))
    state["judgements"] = sorted(
        (pk, json.dumps(j, sort_keys=True))
        for pk, j in Membership.objects.values_list("pk", "ahp_judgements"))
    state["workshops"] = sorted(Workshop.objects.values_list(
        "pk", "title", "status", "round", "revealed", "join_token", "weighting",
        "ahp_judgements", "analysts_weigh", "revision", "paced_criterion", "paced_revealed"))
    state["cases"] = sorted(Case.objects.values_list("pk", "title", "question", "context"))
    state["options"] = sorted(Option.objects.values_list("pk", "code", "title", "summary"))
    state["criteria"] = sorted(Criterion.objects.values_list(
        "pk", "code", "title", "scale_min", "scale_max", "default_weight"))
    state["users"] = User.objects.count()
    return state


def refused(response) -> bool:
    """A clear refusal: a 4xx, or a page (200) that carries a validation message."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200:
        body = response.content.decode()
        return any(word in body for word in (
            "errorlist", "must be", "finite", "valid", "Ensure this value", "Enter a",
            "Select a", "required", "Null characters", "between", "At least one",
        ))
    return False


@pytest.fixture
def world():
    """Two cases; a workshop on each; ana1 and ana2 analysts of the first; 'other' runs the
    second; 'owner' owns the first case."""
    case = make_case("tiny")
    ws = make_workshop(case, analysts=2)
    other_case = make_case("other", title="Other case")
    other_fac = make_user("otherfac")
    other_ws = make_workshop(other_case, analysts=0, facilitator="otherfac")
    case.owners.add(make_user("owner"))
    other_case.owners.add(other_fac)
    make_user("outsider")
    return {"case": case, "ws": ws, "other_case": other_case, "other_ws": other_ws}


def client_for(username, csrf=False):
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(User.objects.get(username=username))
    return client


def cell_url(ws, option, criterion):
    return reverse("score_cell", args=[ws.pk, option.pk, criterion.pk])


def first(case, kind):
    return getattr(case, kind).order_by("pk").first()


# --- the score cell ---------------------------------------------------------------------

def score_requests(w):
    ws, case, other = w["ws"], w["case"], w["other_case"]
    o1, c1 = first(case, "options"), first(case, "criteria")
    url = cell_url(ws, o1, c1)
    rows = [(f"value={v!r}", "ana1", url, {"value": v, "round": "1", "rationale": "r"})
            for v in NUMBERS if v.strip()]
    rows += [
        ("rationale only", "ana1", url, {"value": "", "round": "1", "rationale": "why"}),
        ("round 0", "ana1", url, {"value": "5", "round": "0"}),
        ("round NaN", "ana1", url, {"value": "5", "round": "NaN"}),
        ("round huge", "ana1", url, {"value": "5", "round": "9" * 30}),
        ("round 2 while in 1", "ana1", url, {"value": "5", "round": "2"}),
        ("huge rationale", "ana1", url, {"value": "5", "round": "1", "rationale": HUGE}),
        ("huge value", "ana1", url, {"value": HUGE, "round": "1"}),
        ("null byte rationale", "ana1", url, {"value": "5", "round": "1", "rationale": "a\x00b"}),
        ("null byte value", "ana1", url, {"value": "5\x00", "round": "1"}),
        ("escape in rationale", "ana1", url, {"value": "5", "round": "1", "rationale": "a\x1b[2J"}),
        ("override in rationale", "ana1", url,
         {"value": "5", "round": "1", "rationale": "\u202eevil"}),
        ("isolate in rationale", "ana1", url,
         {"value": "5", "round": "1", "rationale": "a\u2066b"}),
        ("other case's option", "ana1",
         cell_url(ws, first(other, "options"), c1), {"value": "5", "round": "1"}),
        ("other case's criterion", "ana1",
         cell_url(ws, o1, first(other, "criteria")), {"value": "5", "round": "1"}),
        ("other workshop", "ana1",
         cell_url(w["other_ws"], first(other, "options"), first(other, "criteria")),
         {"value": "5", "round": "1"}),
        ("facilitator scores", "fac", url, {"value": "5", "round": "1"}),
        ("outsider scores", "outsider", url, {"value": "5", "round": "1"}),
        ("missing workshop", "ana1",
         reverse("score_cell", args=[999999, o1.pk, c1.pk]), {"value": "5", "round": "1"}),
    ]
    return rows




@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("index", range(len([v for v in NUMBERS if v.strip()]) + 18))
def test_score_cell_refuses_hostile_input(world, index, htmx):
    # ana2's existing score is another analyst's cell: it must not move, nor show.
    score(world["ws"], "ana2", "O1", "C1", 3, "SECRET-ANA2")
    name, user, url, data = score_requests(world)[index]
    before = snapshot()
    response = client_for(user).post(url, data, **(HTMX if htmx else {}))
    assert refused(response) or (htmx and "error" in response.content.decode()), name
    assert response.status_code != 500, name
    assert snapshot() == before, name
    assert "SECRET-ANA2" not in response.content.decode(), name


def test_score_cell_htmx_refusal_says_why(world):
    o1, c1 = first(world["case"], "options"), first(world["case"], "criteria")
    for value in ["NaN", "Infinity", "-Infinity", "1e309", "11"]:
        response = client_for("ana1").post(
            cell_url(world["ws"], o1, c1), {"value": value, "round": "1"}, **HTMX)
        body = response.content.decode()
        assert "finite" in body or "between" in body or "Enter a number" in body, value
    assert Score.objects.count() == 0


def test_score_cell_without_csrf_token_is_403(world):
    o1, c1 = first(world["case"], "options"), first(world["case"], "criteria")
    before = snapshot()
    response = client_for("ana1", csrf=True).post(
        cell_url(world["ws"], o1, c1), {"value": "5", "round": "1"})
    assert response.status_code == 403
    assert snapshot() == before


def test_analyst_cannot_overwrite_or_see_another_analysts_cell(world):
    """Saving one's own cell touches only one's own row; the other's rationale stays hidden
    before reveal, in the page, the cell's response and the poll."""
    ws = world["ws"]
    theirs = score(ws, "ana2", "O1", "C1", 3, "SECRET-ANA2")
    o1, c1 = first(world["case"], "options"), first(world["case"], "criteria")
    ana1 = client_for("ana1")
    body = ana1.post(cell_url(ws, o1, c1), {"value": "9", "round": "1", "rationale": "mine"},
                     **HTMX).content.decode()
    assert "SECRET-ANA2" not in body
    theirs.refresh_from_db()
    assert (theirs.value, theirs.rationale) == (3, "SECRET-ANA2")
    assert Score.objects.get(analyst__username="ana1").value == 9
    page = ana1.get(reverse("workshop_detail", args=[ws.pk])).content.decode()
    poll = ana1.get(reverse("workshop_poll", args=[ws.pk]), {"revision": "0"}).content.decode()
    assert "SECRET-ANA2" not in page and "SECRET-ANA2" not in poll
    results = ana1.get(reverse("workshop_results", args=[ws.pk]))
    assert "SECRET-ANA2" not in results.content.decode()


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_rationale_is_escaped_in_page_and_memo(world, markup):
    ws = world["ws"]
    o1, c1 = first(world["case"], "options"), first(world["case"], "criteria")
    ana1 = client_for("ana1")
    response = ana1.post(cell_url(ws, o1, c1), {"value": "0", "round": "1", "rationale": markup})
    assert response.status_code == 302
    assert Score.objects.get().rationale == markup  # kept as written, escaped when shown
    body = ana1.get(reverse("workshop_detail", args=[ws.pk])).content.decode()
    assert markup not in body and ESCAPED[markup] in body
    # Contested (0 against 10) so the memo quotes the rationale.
    score(ws, "ana2", "O1", "C1", 10, "the opposite")
    ws.revealed = True
    ws.save()
    html = memo_html(ws)
    assert markup not in html
    assert ESCAPED[markup] in html


# --- weights ----------------------------------------------------------------------------

WEIGHT_ROWS = (
    [("direct", {"w_C1": v, "w_C2": "1"}) for v in [
        "-1", "-0.5", "1001", "NaN", "nan", "Infinity", "-Infinity", "inf", "1e309", "-1e309",
        "1e308", "0x10", "5; DROP TABLE", "", " ", HUGE, "\x00"]]
    + [("swing", {"w_C1": v, "w_C2": "50"}) for v in ["101", "-1", "NaN", "Infinity", "1e309"]]
    + [("rank", {"w_C1": v, "w_C2": "1"}) for v in ["0", "3", "1.5", "NaN", "1e309", "-1"]]
    + [("direct", {"w_C1": "0", "w_C2": "0"})]
    + [("ahp", {"ahp_C1|C2": v}) for v in ["0", "1/0", "NaN", "Infinity", "2", HUGE, "\x00"]]
    + [("bogus", {"w_C1": "5", "w_C2": "5"}), (HUGE, {"w_C1": "5", "w_C2": "5"})]
)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("method,values", WEIGHT_ROWS,
                         ids=[f"{m[:10]}-{i}" for i, (m, _) in enumerate(WEIGHT_ROWS)])
def test_weights_refuse_hostile_input(world, method, values, htmx):
    before = snapshot()
    data = {"weighting": method, "shown": method, **values}
    response = client_for("fac").post(
        reverse("workshop_weights", args=[world["ws"].pk]), data, **(HTMX if htmx else {}))
    assert response.status_code != 500
    assert refused(response), (method, values)
    assert snapshot() == before


@pytest.mark.parametrize("user,target", [
    ("ana1", "ws"), ("outsider", "ws"), ("fac", "other_ws"),
])
def test_weights_refuse_non_facilitators_and_other_workshops(world, user, target):
    before = snapshot()
    response = client_for(user).post(
        reverse("workshop_weights", args=[world[target].pk]),
        {"weighting": "direct", "shown": "direct", "w_C1": "5", "w_C2": "5"})
    assert response.status_code in (403, 404)
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    "method,values", [row for row in WEIGHT_ROWS if row[0] in Workshop.Weighting.values],
    ids=[f"{m}-{i}" for i, (m, _) in enumerate(WEIGHT_ROWS) if m in Workshop.Weighting.values],
)
def test_own_weights_refuse_hostile_input(world, method, values, htmx):
    Workshop.objects.filter(pk=world["ws"].pk).update(analysts_weigh=True, weighting=method)
    before = snapshot()
    response = client_for("ana1").post(
        reverse("workshop_my_weights", args=[world["ws"].pk]), {"shown": method, **values},
        **(HTMX if htmx else {}))
    assert response.status_code != 500
    assert refused(response), (method, values)
    assert snapshot() == before


@pytest.mark.parametrize("user,target", [
    ("fac", "ws"), ("outsider", "ws"), ("ana1", "other_ws"), ("otherfac", "other_ws"),
])
def test_own_weights_refuse_others_and_other_workshops(world, user, target):
    Workshop.objects.update(analysts_weigh=True)
    before = snapshot()
    response = client_for(user).post(
        reverse("workshop_my_weights", args=[world[target].pk]),
        {"shown": "direct", "w_C1": "5", "w_C2": "5"})
    assert response.status_code in (403, 404)
    assert snapshot() == before


def test_own_weights_without_csrf_token_are_403(world):
    Workshop.objects.filter(pk=world["ws"].pk).update(analysts_weigh=True)
    before = snapshot()
    response = client_for("ana1", csrf=True).post(
        reverse("workshop_my_weights", args=[world["ws"].pk]),
        {"shown": "direct", "w_C1": "5", "w_C2": "5"})
    assert response.status_code == 403
    assert snapshot() == before


def test_own_weights_ignore_a_posted_method(world):
    """The method is the workshop's: a posted `weighting` changes nothing."""
    Workshop.objects.filter(pk=world["ws"].pk).update(analysts_weigh=True)
    client_for("ana1").post(reverse("workshop_my_weights", args=[world["ws"].pk]),
                            {"weighting": "ahp", "shown": "direct", "w_C1": "5", "w_C2": "1"})
    assert set(AnalystWeight.objects.values_list("weighting", flat=True)) == {"direct"}
    assert Workshop.objects.get(pk=world["ws"].pk).weighting == "direct"


# --- facilitator actions ----------------------------------------------------------------

def facilitator_rows(w):
    ws, other = w["ws"].pk, w["other_ws"].pk
    rows = []
    for status in ["bogus", "", HUGE, "\x00", "open\x00", "\u202eopen", MARKUP[0]]:
        rows.append(("fac", "workshop_status", ws, {"status": status}))
    for move in ["bogus", "", HUGE, "\x00", "start\x00", "\u202estart", MARKUP[0]]:
        rows.append(("fac", "workshop_paced", ws, {"move": move}))
    for name, data in [("workshop_status", {"status": "closed"}),
                       ("workshop_reveal", {"revealed": "1"}),
                       ("workshop_round", {}),
                       ("workshop_paced", {"move": "start"}),
                       ("workshop_invite", {"action": "new"}),
                       ("workshop_invite", {"action": "revoke"}),
                       ("workshop_analysts_weigh", {"analysts_weigh": "1"})]:
        rows += [("fac", name, other, data), ("ana1", name, ws, data),
                 ("outsider", name, ws, data), ("fac", name, 999999, data)]
    return rows


@pytest.mark.parametrize("index", range(7 + 7 + 6 * 4))
def test_facilitator_actions_refuse_hostile_input(world, index):
    user, name, pk, data = facilitator_rows(world)[index]
    before = snapshot()
    response = client_for(user).post(reverse(name, args=[pk]), data, follow=True)
    assert response.redirect_chain == [] or response.status_code == 200
    if response.redirect_chain:
        # A bad status is refused with a message on the workshop page.
        body = response.content.decode()
        assert ("is not a workshop status" in body or "is not a step of paced mode" in body
                or "cannot" in body), name
    else:
        assert response.status_code in (403, 404), (user, name, pk)
    assert snapshot() == before


@pytest.mark.parametrize("name,data", [
    ("workshop_status", {"status": "closed"}), ("workshop_reveal", {"revealed": "1"}),
    ("workshop_round", {}), ("workshop_invite", {"action": "new"}),
    ("workshop_paced", {"move": "start"}),
    ("workshop_weights", {"weighting": "direct", "shown": "direct", "w_C1": "5", "w_C2": "5"}),
    ("workshop_analysts_weigh", {"analysts_weigh": "1"}),
])
def test_facilitator_actions_without_csrf_token_are_403(world, name, data):
    before = snapshot()
    response = client_for("fac", csrf=True).post(reverse(name, args=[world["ws"].pk]), data)
    assert response.status_code == 403
    assert snapshot() == before


def test_reveal_with_odd_values_only_hides(world):
    """Anything but "1" means hide: odd values never reveal."""
    for value in ["true", "1\x00", "NaN", HUGE, "01"]:
        client_for("fac").post(reverse("workshop_reveal", args=[world["ws"].pk]),
                               {"revealed": value})
        world["ws"].refresh_from_db()
        assert world["ws"].revealed is False, value


# --- workshop creation ------------------------------------------------------------------

CREATE_ROWS = (
    [{"title": v} for v in ["", HUGE, *CONTROL]]
    + [{"title": "T", "aggregation": v} for v in ["bogus", "<script>alert(1)</script>", HUGE]]
    + [{"title": "T", "method": "bogus"}, {"title": "T", "handling": HUGE},
       {"title": "T", "handling": "\x00"}, {"title": "T", "handling": "\x1b"},
       {"title": "T", "handling": "\u202e"}]
)


@pytest.mark.parametrize("data", CREATE_ROWS, ids=[f"create-{i}" for i in range(len(CREATE_ROWS))])
def test_workshop_create_refuses_hostile_input(world, data):
    full = {"title": "T", "aggregation": "median", "method": "weighted_sum",
            "handling": "Sensitive", **data}
    before = snapshot()
    response = client_for("outsider").post(
        reverse("workshop_create", args=[world["case"].slug]), full)
    assert response.status_code != 500
    assert refused(response), data
    assert snapshot() == before


def test_workshop_create_without_csrf_and_for_missing_case(world):
    before = snapshot()
    data = {"title": "T", "aggregation": "median", "method": "weighted_sum", "handling": "S"}
    assert client_for("outsider", csrf=True).post(
        reverse("workshop_create", args=[world["case"].slug]), data).status_code == 403
    assert client_for("outsider").post(
        reverse("workshop_create", args=["no-such-case"]), data).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_workshop_title_and_handling_is_escaped(world, markup):
    data = {"title": markup, "aggregation": "median", "method": "weighted_sum",
            "handling": markup}
    client = client_for("outsider")
    response = client.post(reverse("workshop_create", args=[world["case"].slug]), data)
    assert response.status_code == 302
    ws = Workshop.objects.get(title=markup)
    body = client.get(reverse("workshop_detail", args=[ws.pk])).content.decode()
    assert markup not in body and ESCAPED[markup] in body
    assert markup not in memo_html(ws)


# --- signup -----------------------------------------------------------------------------

SIGNUP_ROWS = [
    {"username": HUGE}, {"username": "a\x00b"}, {"username": "<script>alert(1)</script>"},
    {"username": "\u202eadmin"}, {"username": "a\x1bb"}, {"username": ""},
    {"username": "ok", "password1": HUGE, "password2": HUGE[:-1]},
    {"username": "ok", "password1": "a\x00bcdefgh-1", "password2": "a\x00bcdefgh-1"},
    {"username": "ana1"},
]


@pytest.mark.parametrize("data", SIGNUP_ROWS, ids=[f"signup-{i}" for i in range(len(SIGNUP_ROWS))])
def test_signup_refuses_hostile_input(world, data):
    full = {"password1": "Sturdy-pass-99", "password2": "Sturdy-pass-99", **data}
    before = snapshot()
    response = Client().post(reverse("signup"), full)
    assert response.status_code != 500
    assert refused(response), data
    assert snapshot() == before
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body


def test_signup_without_csrf_is_403(world):
    before = snapshot()
    response = Client(enforce_csrf_checks=True).post(reverse("signup"), {
        "username": "newbie", "password1": "Sturdy-pass-99", "password2": "Sturdy-pass-99"})
    assert response.status_code == 403
    assert snapshot() == before


def test_signup_next_does_not_redirect_off_site(world):
    response = Client().post(reverse("signup") + "?next=https://evil.example/", {
        "username": "newbie", "password1": "Sturdy-pass-99", "password2": "Sturdy-pass-99"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# --- case authoring ---------------------------------------------------------------------

CASE_ROWS = (
    [{"title": v} for v in ["", HUGE, "a\x00b"]]
    + [{"question": v} for v in ["", "a\x00b"]]
    + [{"context": v} for v in CONTROL]
    + [{"decider": HUGE}]
    + [{"slug": v} for v in ["Bad Slug", "new", "upload", "a/b", "\u202eslug", "x" * 500, "tiny"]]
)


@pytest.mark.parametrize("data", CASE_ROWS, ids=[f"case-{i}" for i in range(len(CASE_ROWS))])
def test_case_create_refuses_hostile_input(world, data):
    full = {"title": "T", "question": "Q?", "decider": "D", "context": "", **data}
    before = snapshot()
    response = client_for("outsider").post(reverse("case_create"), full)
    assert response.status_code != 500
    assert refused(response), data
    assert snapshot() == before


@pytest.mark.parametrize("data", CASE_ROWS[:6], ids=[f"edit-{i}" for i in range(6)])
def test_case_edit_refuses_hostile_input(world, data):
    full = {"case-title": "T", "case-question": "Q?", "case-decider": "D", "case-context": ""}
    full.update({f"case-{k}": v for k, v in data.items()})
    before = snapshot()
    response = client_for("owner").post(reverse("case_edit", args=["tiny"]), full)
    assert response.status_code != 500
    assert refused(response), data
    assert snapshot() == before


def part_rows(w):
    other = w["other_case"]
    p = "new-options-"
    good = {p + "code": "O9", p + "title": "New option", p + "summary": ""}
    c = "new-criteria-"
    crit = {c + "code": "C9", c + "title": "New", c + "kind": "feasibility",
            c + "direction": "benefit", c + "scale_min": "0", c + "scale_max": "10",
            c + "default_weight": "1", c + "confirmed": "1"}
    other_source = Source.objects.create(case=other, code="S1", citation="Theirs")
    rows = [("options", {**good, p + "code": v}) for v in ["", "O1", "<b>", "a\x00", HUGE,
                                                          "\u202eO9"]]
    rows += [("options", {**good, p + "title": v}) for v in ["", HUGE, *CONTROL]]
    rows += [("options", {**good, p + "summary": v}) for v in CONTROL]
    rows += [("options", {**good, p + "source": str(other_source.pk)}),
             ("options", {**good, p + "source": "NaN"})]
    for field, values in [
        ("default_weight", ["NaN", "Infinity", "-Infinity", "1e309", "-1e309", HUGE]),
        ("scale_min", ["NaN", "1e309", "10", "99999", "-99999"]),
        ("scale_max", ["Infinity", "-1", "0", "99999"]),
        ("red_line_threshold", ["NaN", "Infinity", "1e309"]),
        ("kind", ["bogus", ""]), ("direction", ["bogus"]),
        ("derived_from", ["principle:999999", "bogus",
                          f"principle:{first(other, 'principles').pk}"]),
    ]:
        rows += [("criteria", {**crit, c + field: v}) for v in values]
    rows += [("criteria", {**crit, c + "anchors_text": v}) for v in ["99: off scale", "\x00"]]
    r = "new-risks-"
    risk = {r + "code": "R9", r + "title": "Risk", r + "likelihood": "3", r + "impact": "3"}
    rows += [("risks", {**risk, r + "likelihood": v}) for v in ["0", "6", "NaN", "1e309"]]
    rows += [("risks", {**risk, r + "actors": "999999"})]
    e = "new-events-"
    rows += [("events", {e + "code": "E9", e + "title": "E", e + "date": v})
             for v in ["2020-13-45", HUGE, "\x00"]]
    s = "new-sources-"
    rows += [("sources", {s + "code": "S9", s + "citation": "C", s + "url": v})
             for v in ["javascript:alert(1)", "http://" + "a" * 300, "\x00"]]
    a = "new-actors-"
    rows += [("actors", {a + "code": "A9", a + "name": "N", a + "kind": v, a + "influence": "3",
                         a + "stance": "0"}) for v in ["bogus", ""]]
    return rows


PART_COUNT = 6 + 7 + 5 + 2 + 6 + 5 + 4 + 3 + 2 + 1 + 3 + 2 + 4 + 1 + 3 + 3 + 2


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("index", range(PART_COUNT))
def test_part_create_refuses_hostile_input(world, index, htmx):
    kind, data = part_rows(world)[index]
    before = snapshot()
    response = client_for("owner").post(
        reverse("part_create", args=["tiny", kind]), data, **(HTMX if htmx else {}))
    assert response.status_code != 500
    assert refused(response), (kind, {k: v[:40] for k, v in data.items()})
    assert snapshot() == before


def test_part_endpoints_refuse_other_cases_ids_and_bad_kinds(world):
    other_option = first(world["other_case"], "options")
    owner = client_for("owner")
    before = snapshot()
    edit = {"options-%d-code" % other_option.pk: "X", "options-%d-title" % other_option.pk: "X"}
    assert owner.post(reverse("part_edit", args=["tiny", "options", other_option.pk]),
                      edit).status_code == 404
    assert owner.post(reverse("part_delete", args=["tiny", "options", other_option.pk]),
                      {"confirmed": "1"}).status_code == 404
    assert owner.post(reverse("part_move", args=["tiny", "options", other_option.pk]),
                      {"direction": "up"}).status_code == 404
    for kind in ["bogus", "workshops", "<script>", "users"]:
        assert owner.post(reverse("part_create", args=["tiny", kind]), {}).status_code == 404
    mine = first(world["case"], "options")
    response = owner.post(reverse("part_move", args=["tiny", "options", mine.pk]),
                          {"direction": "sideways\x00"})
    assert response.status_code in (302, 400)
    # Another case's owner cannot touch this case at all.
    other_owner = client_for("otherfac")
    assert other_owner.post(reverse("part_delete", args=["tiny", "options", mine.pk]),
                            {"confirmed": "1"}).status_code == 403
    assert other_owner.post(reverse("case_edit", args=["tiny"]),
                            {"case-title": "Mine now"}).status_code == 403
    assert other_owner.post(reverse("case_people", args=["tiny"]),
                            {"username": "otherfac", "role": "owner"}).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("user_value", ["NaN", "999999", "", "\x00", "\u00b2", "-1", HUGE],
                         ids=["nan", "missing", "empty", "nul", "superscript", "negative", "huge"])
def test_case_people_refuses_bad_user_ids(world, user_value):
    before = snapshot()
    owners = list(world["case"].owners.values_list("pk", flat=True))
    response = client_for("owner").post(reverse("case_people", args=["tiny"]),
                                        {"action": "remove", "user": user_value})
    assert response.status_code in (400, 404)
    assert snapshot() == before
    assert list(world["case"].owners.values_list("pk", flat=True)) == owners


@pytest.mark.parametrize("name,args,data", [
    ("case_create", [], {"title": "T", "question": "Q", "decider": "D"}),
    ("case_edit", ["tiny"], {"case-title": "T", "case-question": "Q", "case-decider": "D"}),
    ("part_create", ["tiny", "options"], {"new-options-code": "O9", "new-options-title": "T"}),
    ("case_people", ["tiny"], {"action": "remove", "user": "1"}),
    ("criteria_generate", ["tiny"], {"min_severity": "1"}),
])
def test_authoring_without_csrf_is_403(world, name, args, data):
    before = snapshot()
    response = client_for("owner", csrf=True).post(reverse(name, args=args), data)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_every_case_text_field_is_escaped(world, markup):
    owner = client_for("owner")
    response = owner.post(reverse("case_create"), {
        "title": markup, "question": markup, "decider": markup, "context": markup,
        "slug": "marked"})
    assert response.status_code == 302
    for kind, fields in [
        ("principles", {"code": "P1", "title": markup, "statement": markup, "quote": markup}),
        ("options", {"code": "O1", "title": markup, "summary": markup}),
        ("options", {"code": "O2", "title": "Plain", "summary": ""}),
        ("criteria", {"code": "C1", "title": markup, "description": markup,
                      "kind": "feasibility", "direction": "benefit", "scale_min": "0",
                      "scale_max": "10", "default_weight": "1",
                      "anchors_text": f"0: {markup}\n10: top"}),
        ("actors", {"code": "A1", "name": markup, "kind": Actor.Kind.values[0],
                    "influence": "3", "stance": "0", "interests": markup}),
        ("risks", {"code": "R1", "title": markup, "description": markup, "evidence": markup,
                   "likelihood": "3", "impact": "3"}),
        ("events", {"code": "E1", "title": markup, "description": markup,
                    "date": "2020-01-01"}),
        ("sources", {"code": "S1", "citation": markup}),
    ]:
        data = {f"new-{kind}-{k}": v for k, v in fields.items()}
        response = owner.post(reverse("part_create", args=["marked", kind]), data)
        assert response.status_code == 302, (kind, response.content.decode()[-2000:])
    case = Case.objects.get(slug="marked")
    for page in [reverse("case_detail", args=["marked"]), reverse("case_edit", args=["marked"])]:
        body = owner.get(page).content.decode()
        assert markup not in body, page
        assert ESCAPED[markup] in body, page
    # And in the memo of a workshop on it, with a rationale in the markup too.
    ws = make_workshop(case, analysts=2, facilitator="fac2")
    score(ws, "ana1", "O1", "C1", 0, markup)
    score(ws, "ana2", "O1", "C1", 10, markup)
    score(ws, "ana1", "O2", "C1", 5)
    score(ws, "ana2", "O2", "C1", 5)
    ws.revealed = True
    ws.save()
    html = memo_html(ws)
    assert markup not in html
    assert ESCAPED[markup] in html


@pytest.mark.parametrize("field,value", [
    ("default_weight", "NaN"), ("default_weight", "1e309"), ("scale_max", "-Infinity"),
    ("title", "\x1b[31m"), ("title", "\u202e"), ("title", HUGE), ("code", "C2"),
], ids=["nan", "1e309", "-inf", "escape", "override", "huge", "taken-code"])
def test_part_edit_refuses_hostile_input(world, field, value):
    crit = first(world["case"], "criteria")
    prefix = f"criteria-{crit.pk}-"
    data = {prefix + "code": crit.code, prefix + "title": crit.title, prefix + "kind": crit.kind,
            prefix + "direction": crit.direction, prefix + "scale_min": "0",
            prefix + "scale_max": "10", prefix + "default_weight": "1", "confirmed": "1",
            prefix + field: value}
    before = snapshot()
    for extra in [{}, HTMX]:
        response = client_for("owner").post(
            reverse("part_edit", args=["tiny", "criteria", crit.pk]), data, **extra)
        assert response.status_code != 500
        assert refused(response), field
    assert snapshot() == before


@pytest.mark.parametrize("token", ["bogus", "\x00", "x" * 5000, "%00"])
def test_join_with_bad_token_is_404_and_writes_nothing(world, token):
    before = snapshot()
    response = client_for("outsider").post(f"/join/{token}/")
    assert response.status_code == 404
    assert snapshot() == before


def test_join_without_csrf_is_403(world):
    world["ws"].join_token = "tok123"
    world["ws"].save()
    before = snapshot()
    response = client_for("outsider", csrf=True).post(reverse("workshop_join", args=["tok123"]))
    assert response.status_code == 403
    assert snapshot() == before


def test_invalid_utf8_in_a_rationale_is_replaced_not_a_500(world):
    """A lone surrogate (bytes no UTF-8 encoder makes) arrives as U+FFFD, never stored raw."""
    o1, c1 = first(world["case"], "options"), first(world["case"], "criteria")
    response = client_for("ana1").post(
        cell_url(world["ws"], o1, c1), b"value=5&round=1&rationale=a%ED%A0%80b",
        content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    for rationale in Score.objects.values_list("rationale", flat=True):
        rationale.encode("utf-8")  # raises on a surrogate


# --- sizes, nesting, ids and characters (issue 12, items 5 to 8 and 11) ----------------------

TINY_FILE = "fixtures/tiny-case.json"


def tiny_document() -> dict:
    with open(TINY_FILE, encoding="utf-8") as f:
        return json.load(f)


def upload(user: str, content: bytes, name: str = "case.json"):
    return client_for(user).post(reverse("case_upload"), {
        "file": SimpleUploadedFile(name, content, content_type="application/json"),
    })


def upload_errors(response) -> list[str]:
    """The refusal's page: a 400 that lists each error as `path: message`."""
    assert response.status_code == 400
    body = response.content.decode()
    assert "nothing was imported" in body and "<h1>Upload a case file</h1>" in body
    return [html.unescape(re.sub(r"<[^>]+>", "", item))
            for item in re.findall(r"<li><code>.*?</li>", body, flags=re.S)]


def with_parts(kind: str, count: int) -> dict:
    document = tiny_document()
    document[kind] = [{**document[kind][0], "code": f"X{i}"} for i in range(count)]
    return document


@pytest.mark.parametrize("kind, setting, limit", [
    ("options", "CASE_MAX_OPTIONS", 20), ("criteria", "CASE_MAX_CRITERIA", 40),
    ("actors", "CASE_MAX_ACTORS", 200), ("risks", "CASE_MAX_RISKS", 200),
    ("events", "CASE_MAX_EVENTS", 200), ("principles", "CASE_MAX_PRINCIPLES", 100),
    ("sources", "CASE_MAX_SOURCES", 200),
])
def test_upload_past_a_parts_limit_is_refused_naming_path_and_limit(world, kind, setting, limit):
    before = snapshot()
    response = upload("outsider", json.dumps(with_parts(kind, limit + 1)).encode())
    assert upload_errors(response) == [
        f"$.{kind}: {limit + 1} {kind}; a case may have at most {limit} ({setting})"
    ]
    assert snapshot() == before


def test_the_reported_600_by_600_case_is_refused(world):
    document = with_parts("options", 600)
    document["criteria"] = [{**document["criteria"][1], "code": f"K{i}"} for i in range(600)]
    before = snapshot()
    assert upload_errors(upload("outsider", json.dumps(document).encode())) == [
        "$.options: 600 options; a case may have at most 20 (CASE_MAX_OPTIONS)",
        "$.criteria: 600 criteria; a case may have at most 40 (CASE_MAX_CRITERIA)",
    ]
    assert snapshot() == before


def test_upload_of_a_text_past_the_limit_is_refused(world):
    document = tiny_document()
    document["options"][0]["summary"] = "x" * 20_001
    before = snapshot()
    assert upload_errors(upload("outsider", json.dumps(document).encode())) == [
        "$.options[0].summary: 20,001 characters; a text may have at most 20,000 (CASE_MAX_TEXT)"
    ]
    assert snapshot() == before


@pytest.mark.parametrize("text", [
    "[" * 100_000,
    '{"format": "options-room-case", "title": ' + "[" * 5_000 + "]" * 5_000 + "}",
    '{"format": "options-room-case", "title": ' + "[" * 500 + "]" * 500 + "}",
], ids=["brackets", "5000-under-a-key", "500-under-a-key"])
def test_upload_nested_too_deep_is_the_malformed_file_page(world, text):
    before = snapshot()
    errors = upload_errors(upload("outsider", text.encode()))
    assert len(errors) == 1
    assert re.fullmatch(r"\$(\.title)?(\[0\])*: nested more than 12 levels deep: "
                        r"this is not a case file", errors[0])
    assert snapshot() == before


@pytest.mark.parametrize("character", ["\x00", "\u202e", "\x1b", "\x85"],
                         ids=["nul", "rtl-override", "esc", "next-line"])
def test_upload_with_control_characters_in_titles_is_refused_at_their_paths(world, character):
    document = tiny_document()
    document["title"] = f"River{character}treaty"
    document["options"][1]["title"] = f"{character}Sign now"
    before = snapshot()
    code = f"U+{ord(character):04X}"
    rule = "Remove the control characters from this text."
    assert upload_errors(upload("outsider", json.dumps(document).encode())) == [
        f"$.title: holds the control character {code}. {rule}",
        f"$.options[1].title: holds the control character {code}. {rule}",
    ]
    assert snapshot() == before


@pytest.mark.parametrize("data", [{}, {"file": SimpleUploadedFile("empty.json", b"")}],
                         ids=["no-file", "empty-file"])
def test_upload_form_refusals_answer_400_with_the_form(world, data):
    before = snapshot()
    response = client_for("outsider").post(reverse("case_upload"), data)
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()
    assert snapshot() == before


# Every id in every URL: past what the database holds, a 404, never a driver's overflow.
HUGE_IDS = ["9999999999999999999999999", str(2**63), "9" * 400]
LARGEST_ID = str(2**63 - 1)  # a route; absent, so a 404 (or a refusal before the lookup)


def id_urls(w) -> list[tuple[str, str]]:
    """(user, url) for each URL pattern with an integer, one huge id at a time in each place
    (the others valid)."""
    from policy.urls import urlpatterns

    case, ws = w["case"], w["ws"]
    valid = {
        "option_id": str(first(case, "options").pk),
        "criterion_id": str(first(case, "criteria").pk),
        "slug": "tiny", "kind": "options", "fmt": "csv",
        "user_id": str(ws.memberships.order_by("joined_at").last().user_id),
    }
    rows = []
    for pattern in urlpatterns:
        route = str(getattr(pattern, "pattern", ""))
        ids = re.findall(r"<(?:int|id):(\w+)>", route)
        workshop = route.startswith("workshops/")
        for name in ids:
            for huge in [*HUGE_IDS, LARGEST_ID]:
                def fill(match, huge=huge, name=name):
                    key = match.group(1)
                    if key == name:
                        return huge
                    if key == "pk":
                        return str(ws.pk if workshop else first(case, "options").pk)
                    return valid[key]
                rows.append(("fac" if workshop else "owner",
                             "/" + re.sub(r"<\w+:(\w+)>", fill, route)))
    return rows


def test_every_url_with_an_id_answers_404_for_ids_past_the_database(world):
    rows = id_urls(world)
    # Each integer of every route: workshop, poll, cells (3), status, reveal, round, a
    # member's role (2), paced mode, history, weights (the facilitator's, the switch, an
    # analyst's own), results, memo (PDF, prepare, Word, preview, settings, text), invite,
    # invitations, presenter (2), export, and the case parts' 4.
    assert len(rows) == 31 * (len(HUGE_IDS) + 1)
    before = snapshot()
    for user, url in rows:
        client = client_for(user)
        for method in (client.get, client.post):
            response = method(url, {"value": "5", "round": "1"}, **HTMX)
            if LARGEST_ID in url:
                assert response.status_code in (403, 404, 405), (method.__name__, url)
            else:
                assert response.status_code == 404, (method.__name__, url[:80])
    assert snapshot() == before


def add_option(client, code: str, htmx=False, **extra):
    p = "new-options-"
    return client.post(reverse("part_create", args=["tiny", "options"]),
                       {p + "code": code, p + "title": f"Option {code}", p + "summary": "",
                        **{p + k: v for k, v in extra.items()}},
                       **(HTMX if htmx else {}))


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_adding_a_part_past_the_limit_is_refused_in_the_form(world, settings, htmx):
    settings.CASE_MAX_OPTIONS = 4
    owner = client_for("owner")
    assert add_option(owner, "O4", htmx).status_code in (200, 302)
    assert world["case"].options.count() == 4
    before = snapshot()
    response = add_option(owner, "O5", htmx)
    body = html.unescape(response.content.decode())
    assert ("This case has 4 options and a case may have at most 4 (CASE_MAX_OPTIONS): "
            "delete one to add another.") in body
    assert 'class="errorlist"' in body
    assert snapshot() == before
    # Editing one at the limit is still allowed.
    o1 = first(world["case"], "options")
    p = f"options-{o1.pk}-"
    response = owner.post(reverse("part_edit", args=["tiny", "options", o1.pk]),
                          {p + "code": "O1", p + "title": "Renamed", p + "summary": ""})
    assert response.status_code in (200, 302)
    assert Option.objects.get(pk=o1.pk).title == "Renamed"


def test_a_text_past_the_limit_is_refused_in_the_editor(world, settings):
    settings.CASE_MAX_TEXT = 100
    before = snapshot()
    response = add_option(client_for("owner"), "O9", summary="x" * 101)
    assert "At most 100 characters (CASE_MAX_TEXT); this has 101." in response.content.decode()
    assert snapshot() == before
    response = client_for("owner").post(reverse("case_edit", args=["tiny"]), {
        "case-title": "T", "case-question": "Q?", "case-decider": "D", "case-context": "c" * 101,
    })
    assert "At most 100 characters (CASE_MAX_TEXT); this has 101." in response.content.decode()
    assert snapshot() == before


def test_generating_criteria_past_the_limit_is_refused(world, settings):
    settings.CASE_MAX_CRITERIA = 3  # the tiny case has 2; two new principles propose two more
    for code in ("P2", "P3"):
        Principle.objects.create(case=world["case"], code=code, title=code, statement="Hold.")
    client = client_for("owner")
    before = snapshot()
    response = client.post(reverse("criteria_generate", args=["tiny"]), {
        "min_severity": "10", "min_influence": "4", "red_line_threshold": "3",
        "keep": ["principle:P2", "principle:P3"], "confirmed": "1",
    })
    assert ("This case has 2 criteria and a case may have at most 3 (CASE_MAX_CRITERIA): "
            "2 more would make 4.") in html.unescape(response.content.decode())
    assert snapshot() == before
