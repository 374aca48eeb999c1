"""Every URL of policy/urls.py, asked by every kind of visitor: the status each gets is the
table in docs/reliability.md ("Roles and URLs"). A new route fails here until it is added to
the table, so the table cannot drift from the code."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, reverse

from policy.models import Membership, Workshop
from policy.urls import urlpatterns
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()

ROLES = ["facilitator", "analyst", "observer", "outsider", "case owner", "logged out"]
USERS = {"facilitator": "fac", "analyst": "ana1", "observer": "obs", "outsider": "outsider",
         "case owner": "owner"}
LOGIN = 302  # a logged-out visitor is sent to log in (with the page as `next`)

# url name -> (method, query or form data, {role: status}) in a workshop whose scores are
# hidden and not yet revealed (round 1, scoring open, three analysts have scored, analysts
# weight the criteria).
# 200 the page; 302 done and sent back (or, logged out, to log in); 403 a member without the
# right; 404 a workshop that is not the visitor's to know of; 405 the wrong method.
TABLE = {
    # The workshop and what its members read.
    "workshop_detail": ("get", {}, [200, 200, 200, 404, 404, LOGIN]),
    "workshop_poll": ("get", {"revision": "-1"}, [204, 204, 204, 404, 404, LOGIN]),
    "workshop_results": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_export": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_memo": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_memo_prepare": ("post", {}, [303, 403, 403, 404, 404, LOGIN]),
    "workshop_memo_docx": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_memo_preview": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_memo_settings": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_memo_text": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "score_cell": ("post", {"value": "5", "round": "1"}, [403, 302, 403, 404, 404, LOGIN]),
    # Analysts weight the criteria in this workshop.
    "workshop_my_weights": ("get", {}, [403, 200, 403, 404, 404, LOGIN]),
    # The facilitator's.
    "workshop_status": ("get", {"status": "closed"}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_reveal": ("get", {"revealed": "1"}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_round": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_member_role": ("post", {"role": "analyst"}, [302, 403, 403, 404, 404, LOGIN]),
    "workshop_paced": ("post", {"move": "start"}, [302, 403, 403, 404, 404, LOGIN]),
    "workshop_history": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_weights": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_analysts_weigh": ("post", {"analysts_weigh": "1"}, [302, 403, 403, 404, 404, LOGIN]),
    "workshop_invite": ("post", {"action": "new"}, [302, 403, 403, 404, 404, LOGIN]),
    "workshop_invitations": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_present": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    "workshop_present_live": ("get", {}, [200, 403, 403, 404, 404, LOGIN]),
    # Joining.
    "workshop_join": ("get", {}, [200, 200, 200, 200, 200, LOGIN]),
    "join_by_code": ("get", {}, [200, 200, 200, 200, 200, 200]),
    # Cases: public to read; owners and editors change them.
    "home": ("get", {}, [200, 200, 200, 200, 200, 200]),
    "case_detail": ("get", {}, [200, 200, 200, 200, 200, 200]),
    "case_download": ("get", {}, [200, 200, 200, 200, 200, 200]),
    "case_copy": ("post", {}, [302, 302, 302, 302, 302, LOGIN]),
    "workshop_create": ("get", {}, [200, 200, 200, 200, 200, LOGIN]),
    "case_create": ("get", {}, [200, 200, 200, 200, 200, LOGIN]),
    "case_upload": ("get", {}, [200, 200, 200, 200, 200, LOGIN]),
    "case_edit": ("get", {}, [403, 403, 403, 403, 200, LOGIN]),
    "case_people": ("post", {"action": "add", "username": "outsider"},
                    [403, 403, 403, 403, 200, LOGIN]),
    "criteria_generate": ("get", {}, [403, 403, 403, 403, 200, LOGIN]),
    "part_create": ("post", {}, [403, 403, 403, 403, 200, LOGIN]),
    "part_edit": ("get", {}, [403, 403, 403, 403, 200, LOGIN]),
    "part_row": ("get", {}, [403, 403, 403, 403, 302, LOGIN]),
    "part_delete": ("get", {}, [403, 403, 403, 403, 200, LOGIN]),
    "part_move": ("post", {"direction": "down"}, [403, 403, 403, 403, 302, LOGIN]),
    # Accounts.
    "signup": ("get", {}, [302, 302, 302, 302, 302, 200]),
    "login": ("get", {}, [200, 200, 200, 200, 200, 200]),
    "logout": ("post", {}, [302, 302, 302, 302, 302, 302]),
    "password_change": ("get", {}, [200, 200, 200, 200, 200, LOGIN]),
    "logout_everywhere": ("post", {}, [302, 302, 302, 302, 302, LOGIN]),
    "password_change_done": ("get", {}, [200, 200, 200, 200, 200, LOGIN]),
    "health": ("get", {}, [200, 200, 200, 200, 200, 200]),
}
# Unnamed: the admin (Django's own: staff only) and its log-in, which is the rate-limited
# log-in view again.
UNNAMED = {"admin/login/", "admin/"}


@pytest.fixture
def world():
    owner = make_user("owner")
    case = make_case(options=2, criteria=2)
    case.owners.add(owner)
    workshop = make_workshop(case, analysts=3, hide_scores=True, analysts_weigh=True)
    make_user("outsider")
    obs = make_user("obs")
    Membership.objects.create(workshop=workshop, user=obs, role=Membership.Role.OBSERVER)
    for analyst, value in (("ana1", 2), ("ana2", 5), ("ana3", 8)):
        score(workshop, analyst, "O1", "C1", value)
    Workshop.objects.filter(pk=workshop.pk).update(join_token="JOINCODE")
    return workshop


def route_args(workshop, name: str, route: str) -> list:
    option = workshop.case.options.get(code="O1")
    values = {
        "pk": option.pk if route.startswith("cases/") else workshop.pk,
        "slug": workshop.case.slug, "kind": "options", "fmt": "csv", "token": "JOINCODE",
        "option_id": option.pk, "criterion_id": workshop.case.criteria.get(code="C1").pk,
        "user_id": User.objects.get(username="ana2").pk,
    }
    return [values[key] for key in re.findall(r"<(?:\w+:)?(\w+)>", route)]


def ask(workshop, role: str, name: str, route: str) -> int:
    method, data, _ = TABLE[name]
    client = Client()
    if role != "logged out":
        client.force_login(User.objects.get(username=USERS[role]))
    url = reverse(name, args=route_args(workshop, name, route))
    return getattr(client, method)(url, data).status_code


def named_routes() -> dict[str, str]:
    return {p.name: str(p.pattern) for p in urlpatterns if isinstance(p, URLPattern) and p.name}


def test_the_table_names_every_route():
    routes = {str(p.pattern) for p in urlpatterns}
    assert set(named_routes()) == set(TABLE)
    assert routes - set(named_routes().values()) == UNNAMED


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_role_gets_the_tables_status(world, settings, name):
    settings.MEMO_RENDER_TIMEOUT = 60
    route = named_routes()[name]
    got = [ask(world, role, name, route) for role in ROLES]
    assert dict(zip(ROLES, got)) == dict(zip(ROLES, TABLE[name][2]))
