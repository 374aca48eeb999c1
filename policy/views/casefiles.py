"""The case file in the browser: upload (import_case's errors on the page) and download."""
import re
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import cases
from ..cases.casefile import CaseFileError, CaseFileInvalid, dumps, export_case, import_case, load_file
from ..cases.forms import UploadForm
from ..models import Case
from ..permissions import is_case_owner


@login_required
@require_http_methods(["GET", "POST"])
def case_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[CaseFileError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            case = _import_upload(request.user, upload, replace=form.cleaned_data["replace"])
        except CaseFileInvalid as invalid:
            errors = invalid.errors
        else:
            messages.success(request, f"Imported “{case.title}”. You own it.")
            return redirect("case_detail", case.slug)
    status = 400 if errors else 200
    return render(
        request, "policy/authoring/case_upload.html", {"form": form, "errors": errors},
        status=status,
    )


def _import_upload(user, upload, *, replace: bool) -> Case:
    """Import the uploaded file as import_case would, making the user an owner. Only a case
    (no workshops: those come only from backups, through the command) and, to replace, only
    a case the user owns."""
    # A plain file name (it labels load_file's messages), in a private folder of our own.
    name = re.sub(r"[^\w.-]", "_", Path(upload.name or "").name).strip(".") or "case.json"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            document = load_file(path)
        except CaseFileInvalid as invalid:
            # load_file names the file by its path: show the name the user knows.
            raise CaseFileInvalid([
                CaseFileError(e.path, e.message.replace(str(path), name)) for e in invalid.errors
            ]) from None
    refusals, existing = [], None
    if isinstance(document, dict):
        if "workshops" in document:
            refusals.append(CaseFileError(
                "$.workshops", "a file with workshops is a backup: import it with the "
                "import_case command, not here",
            ))
        slug = document.get("slug")
        if isinstance(slug, str) and slug in cases.RESERVED_SLUGS:
            refusals.append(CaseFileError("$.slug", f"'{slug}' is taken by a page of the app"))
        existing = Case.objects.filter(slug=slug).first() if isinstance(slug, str) else None
        if replace and existing is not None and not is_case_owner(user, existing):
            refusals.append(CaseFileError(
                "$.slug",
                f"the case '{slug}' exists and you do not own it, so you cannot replace it",
            ))
    if refusals:
        raise CaseFileInvalid(refusals)
    with transaction.atomic():
        # import_case keeps a replaced case's owners and editors; the uploader owns it too.
        case = import_case(document, replace=replace)
        case.editors.remove(user)
        case.owners.add(user)
    return case


@require_GET
def case_download(request, slug):
    """The case file (the case alone: workshops hold people's scores and stay private)."""
    case = get_object_or_404(Case, slug=slug)
    response = HttpResponse(
        dumps(export_case(case)).encode("utf-8"), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{case.slug}.json"'
    return response
