"""Who may do what: in a workshop (by the member's role and the reveal) and on a case (its
owners and editors). The one place rights are decided: plain functions that answer with a
boolean or raise PermissionDenied with the reason. Views call these and hand templates the
booleans; templates decide nothing.

What is not the user's to know is a 404, not a 403, and only views ask for it, through the
helpers at the end: a user who is not a member gets a 404 for a workshop (its existence is
itself not for outsiders to learn). Cases are public to read, so a case that exists and may
not be changed is a 403: that tells an outsider nothing new.
"""
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Case, Membership, Workshop

Role = Membership.Role


# -- Workshops -----------------------------------------------------------------------------


def is_facilitator(membership: Membership) -> bool:
    return membership.role == Role.FACILITATOR


def can_score(membership: Membership) -> bool:
    """Analysts score; facilitators and observers do not (they steer and watch)."""
    return membership.role == Role.ANALYST


def can_see_group(membership: Membership) -> bool:
    """Others' scores and the group results: the facilitator always; others once revealed,
    and once the workshop is locked (a locked workshop is a record every member reads)."""
    workshop = membership.workshop
    return role_sees_group(
        membership.role, workshop.hide_scores, workshop.revealed, workshop.status
    )


def can_see_names(membership: Membership) -> bool:
    """Who has joined and how far each has got: everyone, unless the workshop is anonymous;
    then only the facilitator (analysts and observers see totals and labels A1, A2...)."""
    return is_facilitator(membership) or not membership.workshop.anonymous


def role_sees_group(role: str, hide_scores: bool, revealed: bool, status: str) -> bool:
    """can_see_group from the bare fields, for the live poll that reads only those."""
    return (
        role == Role.FACILITATOR or not hide_scores or revealed
        or status == Workshop.Status.LOCKED
    )


def why_not_own_weights(membership: Membership) -> str:
    """Why this member may not give their own weights now ("" if they may): analysts do,
    when the facilitator lets analysts weight the criteria and the workshop is not locked."""
    workshop = membership.workshop
    if not can_score(membership):
        return "Only analysts give their own weights."
    if not workshop.analysts_weigh:
        return "The facilitator weights the criteria in this workshop."
    if workshop.status == Workshop.Status.LOCKED:
        return "The workshop is locked: its weights cannot change."
    return ""


def can_give_own_weights(membership: Membership) -> bool:
    return not why_not_own_weights(membership)


def require_own_weights(membership: Membership) -> None:
    reason = why_not_own_weights(membership)
    if reason:
        raise PermissionDenied(reason)


def can_see_item(membership: Membership) -> bool:
    """The paced item's answers (values without names): those who see the group's scores,
    and every member once the facilitator reveals the item."""
    return can_see_group(membership) or membership.workshop.paced_revealed


def item_shown_to_team(workshop: Workshop) -> bool:
    """Whether the team (not only the facilitator) sees the current item's answers: then
    the reasons beside them, labelled as the results label analysts, may be shown too."""
    return workshop.paced_revealed or role_sees_group(
        Role.ANALYST, workshop.hide_scores, workshop.revealed, workshop.status)


def require_facilitator(membership: Membership) -> None:
    if not is_facilitator(membership):
        raise PermissionDenied("Only the workshop's facilitator can do this.")


def require_scorer(membership: Membership) -> None:
    if not can_score(membership):
        raise PermissionDenied("Only analysts score.")


def require_group_view(membership: Membership) -> None:
    if not can_see_group(membership):
        raise PermissionDenied("The facilitator has not revealed the group's scores yet.")


# -- Cases ---------------------------------------------------------------------------------


def can_edit_case(user, case: Case) -> bool:
    """Owners and editors change a case; nobody else (not staff either: use the admin)."""
    if not user.is_authenticated:
        return False
    return (
        case.owners.filter(pk=user.pk).exists() or case.editors.filter(pk=user.pk).exists()
    )


def is_case_owner(user, case: Case) -> bool:
    """Owners also say who may edit, and may replace the case by uploading a file."""
    return user.is_authenticated and case.owners.filter(pk=user.pk).exists()


def require_case_editor(user, case: Case) -> None:
    if not can_edit_case(user, case):
        raise PermissionDenied("Only the case's owners and editors can change it.")


def require_case_owner(user, case: Case) -> None:
    require_case_editor(user, case)
    if not is_case_owner(user, case):
        raise PermissionDenied("Only the case's owners can change who may edit it.")


# -- For views: 404 for what is not the user's to know -------------------------------------


def membership_for(user, workshop_id: int) -> Membership:
    """The user's membership of the workshop, with the workshop and case loaded, or 404."""
    if not user.is_authenticated:
        raise Http404
    try:
        membership = Membership.objects.select_related("workshop__case").get(
            workshop_id=workshop_id, user=user
        )
    except Membership.DoesNotExist:
        raise Http404 from None
    membership.user = user  # the same person, already loaded: no query for membership.user
    return membership


def editable_case(user, slug: str) -> Case:
    """The case, if the user may change it: 404 if there is none, 403 if they may not."""
    case = Case.objects.filter(slug=slug).first()
    if case is None:
        raise Http404
    require_case_editor(user, case)
    return case


def owned_case(user, slug: str) -> Case:
    case = editable_case(user, slug)
    require_case_owner(user, case)
    return case
