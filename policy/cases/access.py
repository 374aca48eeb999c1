"""Cases as authors hold them: the codes and slugs they may use, who may change a case, and
creating one."""
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from ..models import Case

# Codes and slugs as the case file allows them (docs/case-format.md), so what is written in
# the browser always exports and imports again.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SLUG_PATTERN = re.compile(r"^[a-z0-9-]+$")
# Addresses under /cases/ that are pages, not cases.
RESERVED_SLUGS = {"new", "upload"}


# -- Who may change a case -----------------------------------------------------------------


def can_edit(user, case: Case) -> bool:
    """Owners and editors change a case; nobody else (not staff either: use the admin)."""
    if not user.is_authenticated:
        return False
    return (
        case.owners.filter(pk=user.pk).exists() or case.editors.filter(pk=user.pk).exists()
    )


def is_owner(user, case: Case) -> bool:
    return user.is_authenticated and case.owners.filter(pk=user.pk).exists()


def editable_case(user, slug: str) -> Case:
    """The case, if the user may change it: 404 if there is none, 403 if they may not.

    Cases are public to read, so refusing with 403 tells an outsider nothing new."""
    case = Case.objects.filter(slug=slug).first()
    if case is None:
        raise Http404
    if not can_edit(user, case):
        raise PermissionDenied("Only the case's owners and editors can change it.")
    return case


def owned_case(user, slug: str) -> Case:
    case = editable_case(user, slug)
    if not is_owner(user, case):
        raise PermissionDenied("Only the case's owners can change who may edit it.")
    return case


def create_case(user, **fields) -> Case:
    """A new, empty case; its creator owns it."""
    with transaction.atomic():
        case = Case.objects.create(**fields)
        case.owners.add(user)
    return case


def add_person(case: Case, user, role: str) -> None:
    """Make the user an owner or an editor (one role at a time)."""
    with transaction.atomic():
        if role == "owner":
            case.editors.remove(user)
            case.owners.add(user)
        else:
            case.owners.remove(user)
            case.editors.add(user)


def remove_person(case: Case, user) -> str | None:
    """Take the user's rights away; a refusal message if they are the last owner."""
    with transaction.atomic():
        owners = list(case.owners.select_for_update().values_list("pk", flat=True))
        if owners == [user.pk]:
            return "A case needs at least one owner: add another owner first."
        case.owners.remove(user)
        case.editors.remove(user)
    return None
