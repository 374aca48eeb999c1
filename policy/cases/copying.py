"""Copying a case into a new one the user owns: the shipped case (imported with no owner) and
any case one may read become a starting point to edit."""
from django.db import transaction

from ..models import Case
from .casefile import export_case, import_case

SLUG_MAX = Case._meta.get_field("slug").max_length
TITLE_MAX = Case._meta.get_field("title").max_length


def free_slug(base: str) -> str:
    """`base`, or `base-2`, `base-3`... whichever no case has yet, within the slug's length."""
    base = base[: SLUG_MAX - 4].rstrip("-")
    taken = set(Case.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def copy_case(user, case: Case) -> Case:
    """A new case with the same parts (not its workshops, owners or editors), owned by `user`.

    It goes through the case file, so the copy is exactly what an export and import give."""
    document = export_case(case)
    with transaction.atomic():
        document["slug"] = free_slug(f"{case.slug}-copy")
        document["title"] = f"{case.title} (copy)"[:TITLE_MAX]
        copy = import_case(document)
        copy.owners.add(user)
    return copy
