"""Every page of the app, as each role that can see it: no console error, no content security
policy violation, and no axe-core violation (WCAG 2.1 AA).

The pages come from policy/urls.py: every named route is either visited below or listed in
NOT_PAGES with the reason, so a new route without a visit fails test_every_route_is_visited."""
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import URLResolver, resolve

from policy import urls
from policy.models import Membership, Workshop
from policy.workshops import actions
from tests.e2e.test_accessibility import violations as axe_violations
from tests.e2e.test_csp import REPORT_VIOLATIONS
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Routes that are not pages a person visits, and why.
NOT_PAGES = {
    "case_copy": "POST only: copies the case, then redirects to the copy's editor",
    "case_download": "the case file (JSON), a download",
    "case_people": "POST only: the people form lives on the case editor",
    "part_create": "POST only: the add forms live on the case editor",
    "part_row": "an htmx fragment of the case editor (one row)",
    "part_move": "POST only: the case editor's move buttons",
    "workshop_export": "CSV and XLSX downloads",
    "workshop_poll": "the workshop page's htmx poll (a fragment or 204)",
    "workshop_invite": "POST only: make or revoke the join link, then back to the workshop",
    "workshop_member_role": "POST only: a member's role (an analyst with scores gets its "
                            "confirmation page in answer: tests/views/test_member_roles.py)",
    "workshop_present_live": "the presenter screen's poll (a fragment or 204)",
    "workshop_paced": "POST only: a move of paced mode, then back to the workshop page (the "
                      "pages in paced mode: tests/e2e/test_paced.py)",
    "score_cell": "POST only: one cell's save, answered with the cell's status fragment",
    "workshop_analysts_weigh": "POST only: who weights the criteria, then back to the weights page",
    "workshop_memo": "the memo PDF, a download",
    "workshop_memo_docx": "the memo as a Word document, a download",
    "workshop_memo_prepare": "htmx POST that renders the memo before its download",
    "logout": "POST only: logs out, then redirects",
    "logout_everywhere": "POST only: ends every session, then redirects",
    "health": "plain text for load balancers",
}


@dataclass(frozen=True)
class Visit:
    role: str  # "anonymous" or a username from world()
    route: str
    path: str  # a template filled from world(): {slug}, {ws}, {option}, {token}
    status: int = 200


VISITS = [
    Visit("anonymous", "home", "/"),
    Visit("anonymous", "login", "/accounts/login/"),
    Visit("anonymous", "signup", "/accounts/signup/"),
    Visit("anonymous", "signup", "/accounts/signup/?next=/join/{token}/"),  # says "you join"
    Visit("anonymous", "case_detail", "/cases/{slug}/"),
    Visit("anonymous", "join_by_code", "/join/"),
    Visit("anonymous", "join_by_code", "/join/?code=NO-SUCH-CODE", 404),  # with its error
    Visit("fac", "home", "/"),
    Visit("fac", "password_change", "/accounts/password/"),
    Visit("fac", "password_change_done", "/accounts/password/done/"),
    Visit("fac", "case_detail", "/cases/{slug}/"),
    Visit("fac", "case_create", "/cases/new/"),
    Visit("fac", "case_upload", "/cases/upload/"),
    Visit("fac", "case_edit", "/cases/{slug}/edit/"),
    Visit("fac", "part_edit", "/cases/{slug}/edit/options/{option}/"),
    Visit("fac", "part_delete", "/cases/{slug}/edit/options/{option}/delete/"),
    Visit("fac", "criteria_generate", "/cases/{slug}/criteria/generate/"),
    Visit("fac", "workshop_create", "/cases/{slug}/workshops/new/"),
    Visit("fac", "workshop_detail", "/workshops/{ws}/"),
    Visit("fac", "workshop_invitations", "/workshops/{ws}/invitations/"),
    Visit("fac", "workshop_present", "/workshops/{ws}/present/"),
    Visit("fac", "workshop_history", "/workshops/{ws}/history/"),
    Visit("fac", "workshop_weights", "/workshops/{ws}/weights/"),
    Visit("fac", "workshop_results", "/workshops/{ws}/results/"),
    Visit("fac", "workshop_results", "/workshops/{ws}/results/?round=1"),
    Visit("fac", "workshop_memo_settings", "/workshops/{ws}/memo/settings/"),
    Visit("fac", "workshop_memo_text", "/workshops/{ws}/memo/text/"),
    Visit("fac", "workshop_memo_preview", "/workshops/{ws}/memo/preview/"),
    # Each step's confirmation, and a refused one (scoring is already open).
    Visit("fac", "workshop_status", "/workshops/{ws}/status/?status=open"),
    Visit("fac", "workshop_status", "/workshops/{ws}/status/?status=closed"),
    Visit("fac", "workshop_status", "/workshops/{ws}/status/?status=locked"),
    Visit("fac", "workshop_reveal", "/workshops/{ws}/reveal/?revealed=0"),
    Visit("fac", "workshop_reveal", "/workshops/{ws}/reveal/?revealed=1"),
    Visit("fac", "workshop_round", "/workshops/{ws}/round/"),
    Visit("ana1", "workshop_detail", "/workshops/{ws}/"),
    Visit("ana1", "workshop_results", "/workshops/{ws}/results/"),
    Visit("ana1", "workshop_my_weights", "/workshops/{ws}/weights/mine/"),
    Visit("ana1", "workshop_history", "/workshops/{ws}/history/", 403),  # the 403 page
    Visit("obs", "workshop_detail", "/workshops/{ws}/"),
    Visit("outsider", "workshop_join", "/join/{token}/"),
    Visit("outsider", "workshop_detail", "/workshops/{ws}/", 404),  # the 404 page
]
ROLES = sorted({visit.role for visit in VISITS})


def named_routes() -> set[str]:
    """The names of policy/urls.py's own routes (the admin's, under its namespace, are not)."""
    return {p.name for p in urls.urlpatterns if not isinstance(p, URLResolver) and p.name}


def test_every_route_is_visited_or_said_not_to_be_a_page():
    visited = {visit.route for visit in VISITS}
    assert visited.isdisjoint(NOT_PAGES)
    assert named_routes() - visited - set(NOT_PAGES) == set()  # a new route wants a visit
    assert (visited | set(NOT_PAGES)) - named_routes() == set()  # and a gone one, none


def world() -> dict:
    """A revealed two-analyst workshop with an observer, a join link and a second round, on a
    case the facilitator owns, whose analysts weight the criteria; one outsider."""
    case = make_case(options=3, criteria=2)
    workshop = make_workshop(case, analysts=2, hide_scores=True)
    case.owners.add(workshop.created_by)
    for analyst, values in {"ana1": [7, 3, 6, 1, 2, 8], "ana2": [8, 2, 5, 5, 1, 9]}.items():
        cells = [(o, c) for o in ("O1", "O2", "O3") for c in ("C1", "C2")]
        for (option, criterion), value in zip(cells, values):
            score(workshop, analyst, option, criterion, value, f"{analyst} says so")
    Membership.objects.create(workshop=workshop, user=make_user("obs"),
                              role=Membership.Role.OBSERVER)
    make_user("outsider")
    # Analysts weight the criteria: their page, and their spread on the results page.
    actions.set_analysts_weigh(workshop.pk, True)
    for analyst, points in (("ana1", {"C1": 3, "C2": 1}), ("ana2", {"C1": 1, "C2": 1})):
        user = Membership.objects.get(workshop=workshop, user__username=analyst).user
        actions.set_own_weights(workshop.pk, user, "direct", points, {})
    token = actions.new_join_token(workshop.pk)
    actions.set_revealed(workshop.pk, True)
    actions.start_next_round(workshop.pk)  # the results' round selector, the carried grid
    actions.set_revealed(workshop.pk, True)
    return {"slug": case.slug, "ws": workshop.pk, "token": token,
            "option": case.options.get(code="O1").pk}


def watched(new_page, role: str, problems: list):
    page = new_page(None if role == "anonymous" else role)
    page.context.expose_binding(
        "reportViolation", lambda source, v: problems.append(f"CSP {v['page']}: {v}"))
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: problems.append(f"console {m.type} {page.url}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"pageerror {page.url}: {error}"))
    return page


def check(page, visit_label: str, status: int, problems: list) -> None:
    """The page's axe-core violations, and its console and CSP reports, as problems.
    An error page's own status is the one console error it may have."""
    page.wait_for_load_state("networkidle")
    expected = f"the server responded with a status of {status}"
    problems[:] = [p for p in problems if not (status >= 400 and expected in p)]
    problems.extend(f"axe {visit_label}: {v}" for v in axe_violations(page))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_clean(new_page, role):
    values = world()
    problems, found = [], []
    page = watched(new_page, role, problems)
    for visit in (v for v in VISITS if v.role == role):
        path = visit.path.format(**values)
        assert resolve(urlsplit(path).path).url_name == visit.route, path
        response = page.goto(path)
        label = f"{role} {path}"
        assert response.status == visit.status, label
        assert "/accounts/login/?next=" not in page.url, label  # not sent away to log in
        check(page, label, visit.status, problems)
        found.extend(problems)
        problems.clear()
    if role == "fac":
        # A page with a flash message: a new join link.
        page.goto(f"/workshops/{values['ws']}/")
        page.get_by_role("button", name="Make a new link").click()
        page.get_by_role("status").filter(has_text="A new join link is ready").wait_for()
        check(page, "fac workshop with a message", 200, problems)
        found.extend(problems)
        assert Workshop.objects.get(pk=values["ws"]).join_token != values["token"]
    assert found == [], "\n".join(found)
