"""Writing a case in the browser: each view as anonymous, outsider, editor and owner see it,
with and without htmx, and the database after each request."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.models import (
    Actor, Case, Criterion, Membership, Option, Principle, Score, Source, Workshop,
)
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case():
    case = make_case(options=3, criteria=2)
    case.owners.add(make_user("owner"))
    case.editors.add(make_user("editor"))
    make_user("outsider")
    return case


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def part_url(name, case, kind, part=None):
    args = [case.slug, kind] + ([part.pk] if part is not None else [])
    return reverse(name, args=args)


# --- who may reach the author's views --------------------------------------------------

def every_view(case):
    p = case.principles.get(code="P1")
    return [
        ("get", reverse("case_edit", args=[case.slug]), {}),
        ("post", reverse("case_edit", args=[case.slug]), {"case-title": "X"}),
        ("post", part_url("part_create", case, "principles"), {"new-principles-code": "P9"}),
        ("get", part_url("part_edit", case, "principles", p), {}),
        ("post", part_url("part_edit", case, "principles", p), {"principles-1-code": "P7"}),
        ("get", part_url("part_row", case, "principles", p), {}),
        ("get", part_url("part_delete", case, "principles", p), {}),
        ("post", part_url("part_delete", case, "principles", p), {}),
        ("post", part_url("part_move", case, "principles", p), {"direction": "down"}),
        ("get", reverse("criteria_generate", args=[case.slug]), {}),
        ("post", reverse("criteria_generate", args=[case.slug]), {"min_severity": "1",
                                                                  "min_influence": "1",
                                                                  "red_line_threshold": "3",
                                                                  "keep": ["principle:P1"]}),
        ("post", reverse("case_people", args=[case.slug]), {"username": "outsider",
                                                            "role": "owner"}),
    ]


def snapshot(case):
    return (
        Case.objects.values_list("title", flat=True).get(pk=case.pk),
        list(Principle.objects.filter(case=case).values_list("code", "title", "position")),
        Criterion.objects.filter(case=case).count(),
        list(case.owners.values_list("username", flat=True)),
        list(case.editors.values_list("username", flat=True)),
    )


def test_anonymous_is_sent_to_login_and_nothing_changes(client, case):
    before = snapshot(case)
    for method, url, data in every_view(case):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
        # htmx is sent to the log-in page as a whole page (policy/accounts/middleware.py).
        response = getattr(client, method)(url, data, **HTMX)
        assert response["HX-Redirect"].startswith(reverse("login")), url
    assert snapshot(case) == before


def test_outsider_gets_403_everywhere_and_nothing_changes(client, case):
    login(client, "outsider")
    before = snapshot(case)
    for method, url, data in every_view(case):
        assert getattr(client, method)(url, data).status_code == 403, url
        assert getattr(client, method)(url, data, **HTMX).status_code == 403, url
    assert snapshot(case) == before


def test_editor_may_edit_but_not_change_who_may(client, case):
    login(client, "editor")
    assert client.get(reverse("case_edit", args=[case.slug])).status_code == 200
    response = client.post(reverse("case_people", args=[case.slug]),
                           {"username": "outsider", "role": "owner"})
    assert response.status_code == 403
    assert list(case.owners.values_list("username", flat=True)) == ["owner"]


def test_unknown_case_kind_or_part_is_404(client, case):
    login(client, "owner")
    other = make_case(slug="other")
    foreign = other.principles.get(code="P1")
    assert client.get(reverse("case_edit", args=["nope"])).status_code == 404
    assert client.get(part_url("part_edit", case, "nonsense", foreign)).status_code == 404
    # A part of another case, reached through this one's address.
    assert client.get(part_url("part_edit", case, "principles", foreign)).status_code == 404
    assert client.post(part_url("part_delete", case, "principles", foreign)).status_code == 404
    assert Principle.objects.filter(pk=foreign.pk).exists()


def test_case_page_shows_edit_link_only_to_owners_and_editors(client, case):
    url = reverse("case_detail", args=[case.slug])
    edit = reverse("case_edit", args=[case.slug])
    assert edit not in client.get(url).content.decode()
    assert edit not in login(client, "outsider").get(url).content.decode()
    assert edit in login(client, "editor").get(url).content.decode()
    assert edit in login(client, "owner").get(url).content.decode()


# --- creating a case ---------------------------------------------------------------------

def test_creating_a_case_makes_the_creator_its_owner(client, case):
    login(client, "outsider")
    response = client.post(reverse("case_create"), {
        "title": "River treaty", "slug": "river-treaty", "question": "Sign now or later?",
        "context": "", "decider": "Upstream State",
    })
    assert response.status_code == 302
    assert response["Location"] == reverse("case_edit", args=["river-treaty"])
    created = Case.objects.get(slug="river-treaty")
    assert list(created.owners.values_list("username", flat=True)) == ["outsider"]
    assert created.editors.count() == 0
    assert created.question == "Sign now or later?"


@pytest.mark.parametrize("slug, message", [
    ("River_Treaty", "lower-case letters, digits and hyphens"),
    ("new", "taken by a page"),
    ("tiny", "already exists"),
])
def test_case_form_refuses_bad_slugs_in_place(client, case, slug, message):
    login(client, "outsider")
    response = client.post(reverse("case_create"), {
        "title": "T", "slug": slug, "question": "Q", "decider": "D",
    })
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 1


def test_case_fields_save_with_htmx_into_their_partial(client, case):
    login(client, "editor")
    response = client.post(reverse("case_edit", args=[case.slug]), {
        "case-title": "Renamed", "case-question": "New question?", "case-context": "Some",
        "case-decider": "Them", "case-slug": "hacked",
    }, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="case-section"')
    assert "saved" in body
    case.refresh_from_db()
    assert (case.title, case.question, case.decider, case.slug) == (
        "Renamed", "New question?", "Them", "tiny")


def test_case_fields_error_shown_in_place_without_htmx(client, case):
    login(client, "owner")
    response = client.post(reverse("case_edit", args=[case.slug]), {
        "case-title": "", "case-question": "Q", "case-decider": "D",
    })
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    case.refresh_from_db()
    assert case.title == "Case tiny"


# --- adding parts --------------------------------------------------------------------------

def test_add_principle_with_htmx_returns_the_section_and_saves(client, case):
    login(client, "editor")
    response = client.post(part_url("part_create", case, "principles"), {
        "new-principles-code": "P2", "new-principles-title": "No troops",
        "new-principles-statement": "No U.S. force in the region.",
        "new-principles-red_line": "on",
    }, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<section id="section-principles"' in body
    # The criteria section (whose origin choices list principles) comes along out of band.
    assert ('id="section-criteria" class="authoring-section" aria-labelledby="criteria-h" '
            'hx-swap-oob="true"') in body
    assert "Added principle P2." in body
    added = case.principles.get(code="P2")
    assert (added.title, added.red_line, added.position) == ("No troops", True, 1)


def test_add_without_js_redirects_to_the_new_row(client, case):
    login(client, "owner")
    response = client.post(part_url("part_create", case, "options"), {
        "new-options-code": "O4", "new-options-title": "Wait and see",
    })
    option = case.options.get(code="O4")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#options-{option.pk}")
    assert option.position == 4  # after O1..O3 at positions 1..3


def test_add_with_errors_shows_them_in_place_and_saves_nothing(client, case):
    login(client, "owner")
    data = {"new-principles-code": "P1", "new-principles-title": "",
            "new-principles-statement": "x"}
    response = client.post(part_url("part_create", case, "principles"), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Another principle already has the code P1." in body
    assert "This field is required." in body
    assert "<details class=\"add-part\" open>" in body
    response = client.post(part_url("part_create", case, "principles"), data)
    assert response.status_code == 200
    assert "Another principle already has the code P1." in response.content.decode()
    assert case.principles.count() == 1


def test_add_actor_event_and_risk_linking_them(client, case):
    login(client, "owner")
    client.post(part_url("part_create", case, "actors"), {
        "new-actors-code": "A1", "new-actors-name": "Russia", "new-actors-kind": "state",
        "new-actors-influence": "5", "new-actors-stance": "-1",
    })
    client.post(part_url("part_create", case, "events"), {
        "new-events-code": "E1", "new-events-date": "2011-12-16",
        "new-events-title": "Zhanaozen",
    })
    actor, event = case.actors.get(code="A1"), case.events.get(code="E1")
    response = client.post(part_url("part_create", case, "risks"), {
        "new-risks-code": "R1", "new-risks-title": "Unrest spreads",
        "new-risks-likelihood": "3", "new-risks-impact": "4",
        "new-risks-actors": [actor.pk], "new-risks-events": [event.pk],
    }, **HTMX)
    assert response.status_code == 200
    risk = case.risks.get(code="R1")
    assert (risk.likelihood, risk.impact) == (3, 4)
    assert list(risk.actors.all()) == [actor]
    assert list(risk.events.all()) == [event]
    assert (actor.influence, actor.stance, event.date.isoformat()) == (5, -1, "2011-12-16")


def test_risk_cannot_link_another_cases_actor(client, case):
    other = make_case(slug="other")
    foreign = Actor.objects.create(case=other, code="A1", name="X", kind="state",
                                   influence=3, stance=0)
    login(client, "owner")
    response = client.post(part_url("part_create", case, "risks"), {
        "new-risks-code": "R1", "new-risks-title": "T", "new-risks-likelihood": "3",
        "new-risks-impact": "4", "new-risks-actors": [foreign.pk],
    }, **HTMX)
    assert "Select a valid choice" in response.content.decode()
    assert not case.risks.exists()


def test_add_criterion_with_scale_anchors_threshold_and_origin(client, case):
    login(client, "owner")
    principle = case.principles.get(code="P1")
    response = client.post(part_url("part_create", case, "criteria"), {
        "new-criteria-code": "C3", "new-criteria-title": "Cost to the Treasury",
        "new-criteria-kind": "cost", "new-criteria-direction": "cost",
        "new-criteria-scale_min": "1", "new-criteria-scale_max": "5",
        "new-criteria-anchors_text": "1: Trivial\n5: Ruinous\n",
        "new-criteria-default_weight": "2.5", "new-criteria-red_line_threshold": "2",
        "new-criteria-derived_from": f"principle:{principle.pk}",
    }, **HTMX)
    assert response.status_code == 200
    c = case.criteria.get(code="C3")
    assert (c.direction, c.scale_min, c.scale_max, c.default_weight, c.red_line_threshold) == (
        "cost", 1, 5, 2.5, 2.0)
    assert c.anchors == {"1": "Trivial", "5": "Ruinous"}
    assert c.principle == principle and c.risk is None and c.actor is None


@pytest.mark.parametrize("changes, message", [
    ({"scale_min": "5", "scale_max": "5"}, "The scale must end above where it starts (5)."),
    ({"red_line_threshold": "11"}, "The threshold must be on the scale, 0 to 10."),
    ({"anchors_text": "11: Too far"}, "Line 1: level 11 is not on the scale 0 to 10."),
    ({"anchors_text": "just words"}, "Line 1: write a level, a colon and its wording"),
    ({"default_weight": "-1"}, "A weight is 0 or more."),
    ({"code": "C 3"}, "A code is letters and digits"),
    ({"derived_from": "principle:999999"}, "Select a valid choice"),
])
def test_criterion_errors_in_place(client, case, changes, message):
    login(client, "owner")
    data = {"code": "C3", "title": "T", "kind": "other", "direction": "benefit",
            "scale_min": "0", "scale_max": "10", "default_weight": "1", **changes}
    response = client.post(part_url("part_create", case, "criteria"),
                           {f"new-criteria-{k}": v for k, v in data.items()}, **HTMX)
    assert message in response.content.decode()
    assert case.criteria.count() == 2


# --- editing parts -------------------------------------------------------------------------

def test_edit_form_and_cancel_are_row_partials(client, case):
    login(client, "editor")
    p = case.principles.get(code="P1")
    body = client.get(part_url("part_edit", case, "principles", p), **HTMX).content.decode()
    assert body.lstrip().startswith(f'<li id="principles-{p.pk}"')
    assert f'name="principles-{p.pk}-title"' in body
    body = client.get(part_url("part_row", case, "principles", p), **HTMX).content.decode()
    assert body.lstrip().startswith(f'<li id="principles-{p.pk}"')
    assert "name=" not in body.split("part-actions")[0]
    # Without htmx: a page with the form, and "cancel" is a redirect back.
    assert "<h1>Edit principle P1</h1>" in client.get(
        part_url("part_edit", case, "principles", p)).content.decode()
    assert client.get(part_url("part_row", case, "principles", p)).status_code == 302


def test_edit_saves_and_errors_stay_in_the_row(client, case):
    login(client, "editor")
    p = case.principles.get(code="P1")
    prefix = f"principles-{p.pk}-"
    response = client.post(part_url("part_edit", case, "principles", p), {
        prefix + "code": "P1", prefix + "title": "", prefix + "statement": "s",
    }, **HTMX)
    assert "This field is required." in response.content.decode()
    p.refresh_from_db()
    assert p.title == "Principle one"
    response = client.post(part_url("part_edit", case, "principles", p), {
        prefix + "code": "P1", prefix + "title": "Keep the peace", prefix + "statement": "s",
        prefix + "red_line": "on",
    }, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="principles-{p.pk}"')
    assert "Keep the peace" in body and "Red line" in body
    p.refresh_from_db()
    assert (p.title, p.red_line) == ("Keep the peace", True)


def test_edit_without_js_redirects(client, case):
    login(client, "owner")
    o = case.options.get(code="O2")
    prefix = f"options-{o.pk}-"
    response = client.post(part_url("part_edit", case, "options", o), {
        prefix + "code": "O2", prefix + "title": "Engage", prefix + "summary": "More",
    })
    assert response.status_code == 302
    o.refresh_from_db()
    assert (o.title, o.summary) == ("Engage", "More")


def test_renaming_a_criterion_renames_it_in_ahp_judgements(client, case):
    workshop = make_workshop(case, analysts=0, status=Workshop.Status.LOCKED)
    workshop.ahp_judgements = {"C1|C2": 3.0}
    workshop.save()
    login(client, "owner")
    c = case.criteria.get(code="C1")
    prefix = f"criteria-{c.pk}-"
    client.post(part_url("part_edit", case, "criteria", c), {
        prefix + "code": "C9", prefix + "title": "T", prefix + "kind": "other",
        prefix + "direction": "benefit", prefix + "scale_min": "0", prefix + "scale_max": "10",
        prefix + "default_weight": "1",
    }, **HTMX)
    workshop.refresh_from_db()
    assert workshop.ahp_judgements == {"C9|C2": 3.0}


def test_scale_cannot_shrink_past_saved_scores(client, case):
    workshop = make_workshop(case, analysts=1, status=Workshop.Status.LOCKED)
    score(workshop, "ana1", "O1", "C1", 8)
    login(client, "owner")
    c = case.criteria.get(code="C1")
    prefix = f"criteria-{c.pk}-"
    response = client.post(part_url("part_edit", case, "criteria", c), {
        prefix + "code": "C1", prefix + "title": "T", prefix + "kind": "other",
        prefix + "direction": "benefit", prefix + "scale_min": "0", prefix + "scale_max": "5",
        prefix + "default_weight": "1",
    }, **HTMX)
    assert "1 saved score would fall outside 0 to 5" in response.content.decode()
    c.refresh_from_db()
    assert c.scale_max == 10


# --- criteria of a case in use: warn first, naming the workshops ----------------------------

def test_criteria_change_on_a_case_in_use_warns_first_and_names_the_workshops(client, case):
    planning = make_workshop(case, analysts=1, title="Planning staff")
    Membership.objects.create(workshop=planning, user=User.objects.get(username="owner"),
                              role=Membership.Role.OBSERVER)
    make_workshop(case, analysts=0, facilitator="fac2", title="Old one",
                  status=Workshop.Status.LOCKED)
    login(client, "owner")
    data = {"new-criteria-code": "C3", "new-criteria-title": "Feasible",
            "new-criteria-kind": "feasibility", "new-criteria-direction": "benefit",
            "new-criteria-scale_min": "0", "new-criteria-scale_max": "10",
            "new-criteria-default_weight": "1"}
    response = client.post(part_url("part_create", case, "criteria"), data, **HTMX)
    body = response.content.decode()
    assert "The workshop “Planning staff” (scoring open) uses this case." in body
    assert "Old one" not in body  # a locked workshop no longer scores
    assert "1 locked workshop keeps the result it was locked with." in body
    assert 'name="confirmed" value="1"' in body
    assert case.criteria.count() == 2  # nothing saved before the author confirms
    response = client.post(part_url("part_create", case, "criteria"),
                           {**data, "confirmed": "1"}, **HTMX)
    assert case.criteria.filter(code="C3").exists()
    # The edit page warns before anyone starts, too.
    body = client.get(reverse("case_edit", args=[case.slug])).content.decode()
    assert "“Planning staff” (scoring open)" in body


def test_saving_a_criterion_bumps_the_workshops_revision(client, case):
    workshop = make_workshop(case, analysts=1)
    login(client, "owner")
    c = case.criteria.get(code="C2")
    prefix = f"criteria-{c.pk}-"
    client.post(part_url("part_edit", case, "criteria", c), {
        prefix + "code": "C2", prefix + "title": "Feasible now", prefix + "kind": "feasibility",
        prefix + "direction": "benefit", prefix + "scale_min": "0", prefix + "scale_max": "10",
        prefix + "default_weight": "1", "confirmed": "1",
    }, **HTMX)
    c.refresh_from_db()
    workshop.refresh_from_db()
    assert c.title == "Feasible now"
    assert workshop.revision == 1


# --- deleting: ask first, say what goes -----------------------------------------------------

def test_delete_asks_first_and_counts_the_scores_that_go(client, case):
    w1 = make_workshop(case, analysts=2)
    w2 = make_workshop(case, analysts=1, facilitator="fac2", title="Second")
    for ws, analysts in ((w1, ["ana1", "ana2"]), (w2, ["ana1"])):
        for a in analysts:
            for c in ("C1", "C2"):
                score(ws, a, "O3", c, 5)
    score(w1, "ana1", "O1", "C1", 5)
    login(client, "editor")
    o3 = case.options.get(code="O3")
    url = part_url("part_delete", case, "options", o3)
    body = client.get(url, **HTMX).content.decode()
    assert "Deleting option O3 deletes 6 scores in 2 workshops." in body
    assert body.lstrip().startswith(f'<li id="options-{o3.pk}"')
    body = client.get(url).content.decode()
    assert "<h1>Delete option O3?</h1>" in body
    assert "Deleting option O3 deletes 6 scores in 2 workshops." in body
    assert Option.objects.filter(pk=o3.pk).exists()  # asking deletes nothing

    response = client.post(url, **HTMX)
    assert '<section id="section-options"' in response.content.decode()
    assert not Option.objects.filter(pk=o3.pk).exists()
    assert Score.objects.count() == 1
    w1.refresh_from_db()
    assert w1.revision == 1


def test_an_editor_learns_only_the_names_of_workshops_they_belong_to(client, case):
    """Issue 12 item 9: a case's editors need not be members of the workshops on it."""
    make_workshop(case, analysts=0, title="Secret talks")
    theirs = make_workshop(case, analysts=0, facilitator="fac2", title="Their own")
    make_workshop(case, analysts=0, facilitator="fac3", title="Kept record",
                  status=Workshop.Status.LOCKED)
    login(client, "editor")
    page = reverse("case_edit", args=[case.slug])
    body = client.get(page).content.decode()
    assert "2 workshops use this case." in body
    assert "1 locked workshop keeps the result it was locked with." in body
    assert not any(title in body for title in ("Secret talks", "Their own", "Kept record"))

    Membership.objects.create(workshop=theirs, user=User.objects.get(username="editor"),
                              role=Membership.Role.ANALYST)
    body = client.get(page).content.decode()
    assert "2 workshops use this case, among them “Their own” (scoring open)." in body
    assert "Secret talks" not in body and "Kept record" not in body


def test_deleting_a_criterion_counts_weights_and_drops_its_judgements(client, case):
    workshop = make_workshop(case, analysts=1)
    score(workshop, "ana1", "O1", "C2", 5)
    workshop.weights.create(criterion=case.criteria.get(code="C2"), value=3)
    workshop.ahp_judgements = {"C1|C2": 3.0}
    workshop.save()
    login(client, "owner")
    c2 = case.criteria.get(code="C2")
    body = client.get(part_url("part_delete", case, "criteria", c2), **HTMX).content.decode()
    assert "Deleting criterion C2 deletes 1 score and 1 weight in 1 workshop." in body
    assert "1 workshop uses this case." in body and "Workshop on tiny" not in body
    client.post(part_url("part_delete", case, "criteria", c2))
    workshop.refresh_from_db()
    assert workshop.ahp_judgements == {}
    assert not workshop.weights.exists()


def test_deleting_a_principle_says_which_criteria_lose_their_origin(client, case):
    login(client, "owner")
    p = case.principles.get(code="P1")
    body = client.get(part_url("part_delete", case, "principles", p), **HTMX).content.decode()
    assert "Criterion C1 will no longer derive from it (they and their scores stay)." in body
    response = client.post(part_url("part_delete", case, "principles", p))
    assert response.status_code == 302
    c1 = case.criteria.get(code="C1")
    assert c1.principle is None


def test_a_locked_workshops_scores_block_the_delete(client, case):
    workshop = make_workshop(case, analysts=1, title="Done deal")
    score(workshop, "ana1", "O1", "C1", 5)
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.LOCKED)
    login(client, "owner")
    o1 = case.options.get(code="O1")
    url = part_url("part_delete", case, "options", o1)
    body = client.get(url, **HTMX).content.decode()
    assert "“Done deal” is locked and holds scores on option O1" in body
    assert "Delete O1</button>" not in body
    body = client.post(url, **HTMX).content.decode()
    assert "is locked" in body
    assert Option.objects.filter(pk=o1.pk).exists()


def test_deleting_a_source_says_who_cited_it(client, case):
    source = Source.objects.create(case=case, code="S1", citation="A book")
    Principle.objects.filter(case=case).update(source=source)
    login(client, "owner")
    body = client.get(part_url("part_delete", case, "sources", source), **HTMX).content.decode()
    assert "P1 will no longer cite it." in body
    client.post(part_url("part_delete", case, "sources", source), **HTMX)
    assert not Source.objects.filter(pk=source.pk).exists()
    assert case.principles.get(code="P1").source is None


# --- reordering ----------------------------------------------------------------------------

def test_move_up_and_down_with_and_without_htmx(client, case):
    login(client, "editor")
    o2 = case.options.get(code="O2")
    response = client.post(part_url("part_move", case, "options", o2), {"direction": "up"},
                           **HTMX)
    body = response.content.decode()
    assert '<section id="section-options"' in body
    assert list(case.options.values_list("code", flat=True)) == ["O2", "O1", "O3"]
    # The pressed button keeps focus after the swap (O2 is now first: "up" is disabled).
    assert 'value="down" class="button-small button-secondary" autofocus' in body
    response = client.post(part_url("part_move", case, "options", o2), {"direction": "down"})
    assert response.status_code == 302
    assert list(case.options.values_list("code", flat=True)) == ["O1", "O2", "O3"]
    # At the end: nothing moves.
    o3 = case.options.get(code="O3")
    client.post(part_url("part_move", case, "options", o3), {"direction": "down"})
    assert list(case.options.values_list("code", flat=True)) == ["O1", "O2", "O3"]


def test_events_go_by_date_and_are_not_reordered(client, case):
    event = case.events.create(code="E1", date="2012-01-01", title="Something")
    login(client, "owner")
    response = client.post(part_url("part_move", case, "events", event), {"direction": "up"})
    assert response.status_code == 400
    body = client.get(reverse("case_edit", args=[case.slug])).content.decode()
    assert part_url("part_move", case, "events", event) not in body


def test_sources_keep_the_order_the_author_gives(client, case):
    login(client, "owner")
    for code in ("S1", "S2"):
        client.post(part_url("part_create", case, "sources"), {
            "new-sources-code": code, "new-sources-citation": f"Book {code}",
            "new-sources-url": "example.org/x",
        })
    assert list(case.sources.values_list("code", "position", "url")) == [
        ("S1", 0, "https://example.org/x"), ("S2", 1, "https://example.org/x")]
    client.post(part_url("part_move", case, "sources", case.sources.get(code="S2")),
                {"direction": "up"})
    assert list(case.sources.values_list("code", flat=True)) == ["S2", "S1"]


# --- people ----------------------------------------------------------------------------------

def test_owner_adds_and_removes_people_but_not_the_last_owner(client, case):
    login(client, "owner")
    url = reverse("case_people", args=[case.slug])
    response = client.post(url, {"username": "outsider", "role": "editor"})
    assert response.status_code == 302
    assert set(case.editors.values_list("username", flat=True)) == {"editor", "outsider"}
    response = client.post(url, {"username": "nobody", "role": "editor"})
    assert "No account has the username “nobody”." in response.content.decode()
    owner = User.objects.get(username="owner")
    client.post(url, {"action": "remove", "user": owner.pk})
    assert list(case.owners.values_list("username", flat=True)) == ["owner"]
    client.post(url, {"username": "editor", "role": "owner"})
    assert set(case.owners.values_list("username", flat=True)) == {"owner", "editor"}
    assert not case.editors.filter(username="editor").exists()
