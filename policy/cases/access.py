"""Cases as authors hold them: the codes and slugs they may use, creating one, and who holds
it (who may change it is decided in policy/permissions.py)."""
import re

from django.db import transaction

from ..models import Case

# Codes and slugs as the case file allows them (docs/case-format.md), so what is written in
# the browser always exports and imports again.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SLUG_PATTERN = re.compile(r"^[a-z0-9-]+$")
# Addresses under /cases/ that are pages, not cases.
RESERVED_SLUGS = {"new", "upload"}


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
