"""A workshop's members as its facilitator manages them: who has joined, in which role, and
what changing a member between analyst and observer does (the change itself is
actions.set_role)."""
from dataclasses import dataclass

from django.http import Http404

from ..models import Membership, Score, Workshop

Role = Membership.Role
# The roles the facilitator can give: a workshop has one facilitator, its creator.
GRANTABLE = (Role.ANALYST, Role.OBSERVER)


@dataclass
class Member:
    user_id: int
    username: str
    role: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def other_role(self) -> str:
        return Role.OBSERVER if self.role == Role.ANALYST else Role.ANALYST

    @property
    def other_role_label(self) -> str:
        return Role(self.other_role).label


def members(workshop: Workshop) -> list[Member]:
    """Everyone but the facilitator, in joining order. One query."""
    rows = (
        Membership.objects.filter(workshop=workshop).exclude(role=Role.FACILITATOR)
        .order_by("joined_at", "id").values_list("user_id", "user__username", "role")
    )
    return [Member(*row) for row in rows]


def member_of(workshop: Workshop, user_id: int) -> Membership:
    """A member of the workshop, or 404: the facilitator learns nothing of other users."""
    membership = (
        Membership.objects.select_related("user").filter(workshop=workshop, user_id=user_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def scores_given(membership: Membership) -> int:
    return Score.objects.filter(workshop=membership.workshop, analyst_id=membership.user_id).count()


def needs_confirmation(membership: Membership, role: str) -> bool:
    """An analyst who has scored, made an observer: their scores no longer move, so the
    facilitator reads what happens to them first."""
    return (membership.role == Role.ANALYST and role == Role.OBSERVER
            and scores_given(membership) > 0)


def consequences(membership: Membership, role: str) -> list[str]:
    """What the confirmation page says the change does."""
    name = membership.user.username
    if role == Role.ANALYST:
        return [f"{name} will score: the grid appears on their page, and their scores count "
                "from their first save.",
                "The change is written to the workshop's history."]
    given = scores_given(membership)
    return [
        f"{name} will watch instead of score: the grid leaves their page and they cannot "
        "add or change a score.",
        (f"The {given} scores they gave stay in the database and still count"
         if given != 1 else "The score they gave stays in the database and still counts")
        + " in the results, exports and memo: a round's results count "
        "every score given in it, including those of a member who no longer scores. Their "
        "row leaves the progress table.",
        "Like other members, they see the group's results only once they are revealed.",
        "The change is written to the workshop's history.",
    ]
