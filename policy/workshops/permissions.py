"""Who may do what in a workshop. Views call these; templates only mirror them.

A user who is not a member gets a 404 for a workshop, not a 403: a workshop's existence is
itself not for outsiders to learn.
"""
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..models import Membership, Workshop

Role = Membership.Role


def membership_for(user, workshop_id: int) -> Membership:
    """The user's membership of the workshop, with the workshop and case loaded, or 404."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related("workshop__case").get(
            workshop_id=workshop_id, user=user
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def is_facilitator(membership: Membership) -> bool:
    return membership.role == Role.FACILITATOR


def can_score(membership: Membership) -> bool:
    """Analysts score; facilitators and observers do not (they steer and watch)."""
    return membership.role == Role.ANALYST


def scoring_open(workshop: Workshop) -> bool:
    return workshop.status == Workshop.Status.OPEN


def can_see_group(membership: Membership) -> bool:
    """Others' scores and the group results: the facilitator always; others once revealed,
    and once the workshop is locked (a locked workshop is a record every member reads)."""
    workshop = membership.workshop
    return role_sees_group(
        membership.role, workshop.hide_scores, workshop.revealed, workshop.status
    )


def role_sees_group(role: str, hide_scores: bool, revealed: bool, status: str) -> bool:
    """can_see_group from the bare fields, for the live poll that reads only those."""
    return (
        role == Role.FACILITATOR or not hide_scores or revealed
        or status == Workshop.Status.LOCKED
    )


def require_facilitator(membership: Membership) -> None:
    if not is_facilitator(membership):
        raise PermissionDenied("Only the workshop's facilitator can do this.")


def require_group_view(membership: Membership) -> None:
    if not can_see_group(membership):
        raise PermissionDenied("The facilitator has not revealed the group's scores yet.")
