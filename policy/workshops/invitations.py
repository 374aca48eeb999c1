"""Inviting analysts: by email, with reminders to those who have not finished, and through
the log-in and sign-up pages, which carry a join link as `next`.

Mail goes through Django's email framework (console by default, SMTP when EMAIL_HOST is set:
policy/settings.py); the join link is the workshop's own, so an invitation admits exactly as
the link on the facilitator's page does, and revoking that link revokes every invitation."""
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db.models import Count, Q
from django.urls import Resolver404, resolve

from ..models import Membership, Workshop
from . import history
from .grid import cell_count

SEPARATORS = re.compile(r"[\s,;]+")


def parse_addresses(text: str) -> tuple[list[str], list[str]]:
    """(valid addresses in the order given, without repeats; what is not an address)."""
    valid, invalid = [], []
    for item in SEPARATORS.split(text.strip()):
        if not item:
            continue
        try:
            validate_email(item)
        except ValidationError:
            invalid.append(item)
            continue
        if item.lower() not in {address.lower() for address in valid}:
            valid.append(item)
    return valid, invalid


def _deadline_line(workshop: Workshop) -> str:
    if not workshop.round_deadline:
        return ""
    due = workshop.round_deadline.strftime("%d %B %Y, %H:%M %Z")
    return f"Scores for round {workshop.round} are due by {due}.\n\n"


def _send(messages: list[EmailMessage]) -> int:
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def send_invitations(workshop: Workshop, addresses: list[str], join_url: str, sender) -> int:
    """One email to each address with the join link; returns how many were sent."""
    from_name = sender.get_full_name() or sender.username
    body = (
        f"{from_name} invites you to score the options of “{workshop.title}” in Options Room.\n\n"
        f"The question: {workshop.case.question}\n\n"
        f"{_deadline_line(workshop)}"
        f"Join here (log in or sign up, and you are in the workshop):\n{join_url}\n"
    )
    messages = [
        EmailMessage(f"Invitation: {workshop.title}", body, to=[address],
                     reply_to=[sender.email] if sender.email else None)
        for address in addresses
    ]
    sent = _send(messages)
    history.record(workshop, history.Kind.INVITED, sender, note=", ".join(addresses))
    return sent


def unfinished_analysts(workshop: Workshop):
    """Analysts with an email address who have not scored every cell of the current round."""
    cells = cell_count(workshop)
    return (
        Membership.objects.filter(workshop=workshop, role=Membership.Role.ANALYST)
        .exclude(user__email="")
        .annotate(scored=Count(
            "user__scores", filter=Q(user__scores__workshop=workshop,
                                     user__scores__round=workshop.round)))
        .filter(scored__lt=cells)
        .select_related("user")
        .order_by("user__username")
    )


def send_reminders(workshop: Workshop, workshop_url: str, sender) -> int:
    """A reminder to each analyst who has not finished this round; returns how many."""
    cells = cell_count(workshop)
    messages = [
        EmailMessage(
            f"Reminder: {workshop.title}, round {workshop.round}",
            f"You have scored {m.scored} of {cells} cells in round {workshop.round} of "
            f"“{workshop.title}”.\n\n{_deadline_line(workshop)}Carry on here:\n{workshop_url}\n",
            to=[m.user.email],
        )
        for m in unfinished_analysts(workshop)
    ]
    sent = _send(messages)
    history.record(workshop, history.Kind.REMINDED, sender, note=f"{sent} sent")
    return sent


def too_many(addresses: list[str]) -> str | None:
    limit = settings.INVITATIONS_MAX
    if len(addresses) > limit:
        return f"At most {limit} addresses at a time; you gave {len(addresses)}."
    return None


def workshop_for_join_url(url: str) -> Workshop | None:
    """The workshop a local join link (path /join/<token>/) admits to, if it still does."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.url_name != "workshop_join":
        return None
    return Workshop.objects.filter(join_token=match.kwargs["token"]).first()
