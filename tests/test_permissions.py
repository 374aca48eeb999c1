"""policy/permissions.py without HTTP: every role against every right, before and after the
reveal, and every case role against every case right."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from policy import permissions
from policy.models import Membership, Workshop
from tests.factories import make_case, make_user, make_workshop

pytestmark = pytest.mark.django_db
User = get_user_model()


def workshop_rights(user, workshop) -> dict | str:
    """What the user may do in the workshop, or "404" when it is not theirs to know."""
    try:
        membership = permissions.membership_for(user, workshop.pk)
    except Http404:
        return "404"
    return {
        "facilitate": permissions.is_facilitator(membership),
        "score": permissions.can_score(membership),
        "see_group": permissions.can_see_group(membership),
        "refused": refusals(membership),
    }


def refusals(membership) -> dict:
    """The reason each require_* gives, or None where it lets the member through."""
    reasons = {}
    for check in ("require_facilitator", "require_scorer", "require_group_view"):
        try:
            getattr(permissions, check)(membership)
            reasons[check] = None
        except PermissionDenied as denied:
            reasons[check] = str(denied)
    return reasons


NOT_FACILITATOR = "Only the workshop's facilitator can do this."
NOT_ANALYST = "Only analysts score."
NOT_REVEALED = "The facilitator has not revealed the group's scores yet."


def member(facilitate, score, see_group):
    return {
        "facilitate": facilitate, "score": score, "see_group": see_group,
        "refused": {
            "require_facilitator": None if facilitate else NOT_FACILITATOR,
            "require_scorer": None if score else NOT_ANALYST,
            "require_group_view": None if see_group else NOT_REVEALED,
        },
    }


# (role, revealed) -> rights; scores hidden until the reveal, as a workshop starts.
EXPECTED = {
    ("facilitator", False): member(facilitate=True, score=False, see_group=True),
    ("facilitator", True): member(facilitate=True, score=False, see_group=True),
    ("analyst", False): member(facilitate=False, score=True, see_group=False),
    ("analyst", True): member(facilitate=False, score=True, see_group=True),
    ("observer", False): member(facilitate=False, score=False, see_group=False),
    ("observer", True): member(facilitate=False, score=False, see_group=True),
    ("outsider", False): "404",
    ("outsider", True): "404",
    ("anonymous", False): "404",
    ("anonymous", True): "404",
}


@pytest.fixture
def workshop():
    workshop = make_workshop(make_case(), analysts=1)
    Membership.objects.create(
        workshop=workshop, user=make_user("obs"), role=Membership.Role.OBSERVER
    )
    make_user("outsider")
    return workshop


def user_named(role: str):
    usernames = {"facilitator": "fac", "analyst": "ana1", "observer": "obs",
                 "outsider": "outsider"}
    if role == "anonymous":
        return AnonymousUser()
    return User.objects.get(username=usernames[role])


@pytest.mark.parametrize(("role", "revealed"), list(EXPECTED))
def test_workshop_rights(workshop, role, revealed):
    workshop.revealed = revealed
    workshop.save()
    assert workshop_rights(user_named(role), workshop) == EXPECTED[(role, revealed)]


@pytest.mark.parametrize("role", ["facilitator", "analyst", "observer"])
def test_a_workshop_that_never_hides_scores_shows_the_group_to_every_member(workshop, role):
    workshop.hide_scores = False
    workshop.save()
    rights = workshop_rights(user_named(role), workshop)
    assert (rights["see_group"], rights["refused"]["require_group_view"]) == (True, None)


def test_the_poll_reads_the_same_rule_from_the_bare_fields():
    for role in Membership.Role.values:
        for hide_scores in (True, False):
            for revealed in (True, False):
                for status in Workshop.Status.values:
                    expected = (role == "facilitator" or not hide_scores or revealed
                                or status == "locked")
                    assert permissions.role_sees_group(
                        role, hide_scores, revealed, status) == expected


@pytest.mark.parametrize("role, analysts_weigh, status, reason", [
    ("analyst", True, Workshop.Status.OPEN, ""),
    ("analyst", True, Workshop.Status.CLOSED, ""),
    ("analyst", True, Workshop.Status.DRAFT, ""),
    ("analyst", False, Workshop.Status.OPEN,
     "The facilitator weights the criteria in this workshop."),
    ("analyst", True, Workshop.Status.LOCKED, "The workshop is locked: its weights cannot change."),
    ("facilitator", True, Workshop.Status.OPEN, "Only analysts give their own weights."),
    ("observer", True, Workshop.Status.OPEN, "Only analysts give their own weights."),
])
def test_who_gives_their_own_weights(workshop, role, analysts_weigh, status, reason):
    Workshop.objects.filter(pk=workshop.pk).update(analysts_weigh=analysts_weigh, status=status)
    membership = permissions.membership_for(user_named(role), workshop.pk)
    assert permissions.why_not_own_weights(membership) == reason
    assert permissions.can_give_own_weights(membership) is (reason == "")
    if reason:
        with pytest.raises(PermissionDenied, match=reason):
            permissions.require_own_weights(membership)


# -- Cases ---------------------------------------------------------------------------------

NOT_EDITOR = "Only the case's owners and editors can change it."
NOT_OWNER = "Only the case's owners can change who may edit it."

CASE_EXPECTED = {
    "owner": {"edit": True, "own": True, "editable_case": None, "owned_case": None},
    "editor": {"edit": True, "own": False, "editable_case": None, "owned_case": NOT_OWNER},
    "reader": {"edit": False, "own": False, "editable_case": NOT_EDITOR,
               "owned_case": NOT_EDITOR},
    "anonymous": {"edit": False, "own": False, "editable_case": NOT_EDITOR,
                  "owned_case": NOT_EDITOR},
}


def refusal(check, *args):
    try:
        check(*args)
    except PermissionDenied as denied:
        return str(denied)
    return None


@pytest.fixture
def case():
    case = make_case("rights")
    case.owners.add(make_user("owner"))
    case.editors.add(make_user("editor"))
    make_user("reader")
    return case


@pytest.mark.parametrize("role", list(CASE_EXPECTED))
def test_case_rights(case, role):
    user = AnonymousUser() if role == "anonymous" else User.objects.get(username=role)
    rights = {
        "edit": permissions.can_edit_case(user, case),
        "own": permissions.is_case_owner(user, case),
        "editable_case": refusal(permissions.editable_case, user, case.slug),
        "owned_case": refusal(permissions.owned_case, user, case.slug),
    }
    assert rights == CASE_EXPECTED[role]
    assert refusal(permissions.require_case_editor, user, case) == rights["editable_case"]
    assert refusal(permissions.require_case_owner, user, case) == rights["owned_case"]


@pytest.mark.parametrize("helper", [permissions.editable_case, permissions.owned_case])
def test_a_case_that_does_not_exist_is_not_found(case, helper):
    owner = case.owners.get()
    with pytest.raises(Http404):
        helper(owner, "no-such-case")
    assert helper(owner, case.slug) == case
