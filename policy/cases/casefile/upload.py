"""A case file uploaded in the browser: import_case's checks, and the upload's own rules."""
from pathlib import Path

from django.db import transaction

from .. import access
from ...models import Case
from ...permissions import is_case_owner
from . import CaseFileError, CaseFileInvalid, import_case, parse


def import_upload(user, upload, *, replace: bool) -> Case:
    """Import the uploaded file as import_case would, making the user an owner. Only a case
    (no workshops: those come only from backups, through the command) and, to replace, only
    a case the user owns. Raises CaseFileInvalid with every error, writing nothing."""
    # The form has bounded the file's size, so it is read whole.
    document = parse(b"".join(upload.chunks()), Path(upload.name or "").name or "the file")
    refusals = _refusals(user, document, replace) if isinstance(document, dict) else []
    if refusals:
        raise CaseFileInvalid(refusals)
    with transaction.atomic():
        # import_case keeps a replaced case's owners and editors; the uploader owns it too.
        case = import_case(document, replace=replace)
        case.editors.remove(user)
        case.owners.add(user)
    return case


def _refusals(user, document: dict, replace: bool) -> list[CaseFileError]:
    refusals = []
    if "workshops" in document:
        refusals.append(CaseFileError(
            "$.workshops", "a file with workshops is a backup: import it with the "
            "import_case command, not here",
        ))
    slug = document.get("slug")
    if not isinstance(slug, str):
        return refusals
    if slug in access.RESERVED_SLUGS:
        refusals.append(CaseFileError("$.slug", f"'{slug}' is taken by a page of the app"))
    existing = Case.objects.filter(slug=slug).first()
    if replace and existing is not None and not is_case_owner(user, existing):
        refusals.append(CaseFileError(
            "$.slug", f"the case '{slug}' exists and you do not own it, so you cannot replace it",
        ))
    return refusals
