"""The case file in the browser: upload (import_case's errors on the page) and download."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ..cases.casefile import CaseFileError, CaseFileInvalid, dumps, export_case
from ..cases.casefile.upload import import_upload
from ..cases.forms import UploadForm
from ..models import Case


@login_required
@require_http_methods(["GET", "POST"])
def case_upload(request):
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    errors: list[CaseFileError] = []
    if request.method == "POST" and form.is_valid():
        try:
            case = import_upload(
                request.user, form.cleaned_data["file"], replace=form.cleaned_data["replace"]
            )
        except CaseFileInvalid as invalid:
            errors = invalid.errors
        else:
            messages.success(request, f"Imported “{case.title}”. You own it.")
            return redirect("case_detail", case.slug)
    # A refused upload (the form's errors or the file's) is a bad request, shown on the page.
    status = 400 if request.method == "POST" else 200
    return render(
        request, "policy/authoring/case_upload.html", {"form": form, "errors": errors},
        status=status,
    )


@require_GET
def case_download(request, slug):
    """The case file (the case alone: workshops hold people's scores and stay private)."""
    case = get_object_or_404(Case, slug=slug)
    response = HttpResponse(
        dumps(export_case(case)).encode("utf-8"), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{case.slug}.json"'
    return response
