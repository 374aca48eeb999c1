"""The memo download: the PDF itself (a plain link that works without JavaScript), and the
htmx "prepare" step that renders it while the page shows a progress indicator, then starts the
download from the cache; the preview in the browser and the Word copy, for the same members."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from ..permissions import is_facilitator, membership_for, require_group_view
from ..scoring import ScoringError
from ..workshops.history import Kind, record

# policy.memo.document is imported in the views, not here: it loads WeasyPrint (a third of a
# second), which every management command would otherwise pay when the URLconf is checked.


def _member_who_may_read(request, pk):
    """The memo shows the group's results: who may see those may download it (404 for
    outsiders, 403 for members before the reveal, as the results page does)."""
    membership = membership_for(request.user, pk)
    require_group_view(membership)
    return membership


def _failure(request, membership, error, template: str) -> HttpResponse:
    from ..memo.document import MemoTimeout

    if isinstance(error, ScoringError):
        status = 409  # the workshop cannot be compared yet (no weights, no options): say why
    else:
        status = 503 if isinstance(error, MemoTimeout) else 500
    context = {"workshop": membership.workshop, "error": str(error)}
    if request.htmx:
        # htmx swaps only 2xx responses; the message is the content to show in place.
        return render(request, template, context)
    return render(request, template, context, status=status)


def _record_download(request, membership, kind: str) -> None:
    """Who took which memo, in the workshop's history: one INSERT, even on a cached download."""
    workshop = membership.workshop
    record(workshop, Kind.MEMO, request.user, f"{kind}, revision {workshop.revision}")


@login_required
@require_GET
def memo_download(request, pk):
    from ..memo.document import MemoRenderError, memo_pdf

    membership = _member_who_may_read(request, pk)
    try:
        memo = memo_pdf(membership.workshop)
    except (MemoRenderError, ScoringError) as error:
        return _failure(request, membership, error, "memo/error.html")
    _record_download(request, membership, "PDF")
    response = HttpResponse(memo.content, content_type=memo.content_type)
    response["Content-Disposition"] = f'attachment; filename="{memo.filename}"'
    response["X-Memo-Cache"] = "hit" if memo.cached else "miss"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def memo_prepare(request, pk):
    """Render (or find) the memo, then send the browser to the download, now instant."""
    from ..memo.document import MemoRenderError, memo_pdf

    membership = _member_who_may_read(request, pk)
    try:
        memo_pdf(membership.workshop)
    except (MemoRenderError, ScoringError) as error:
        return _failure(request, membership, error, "memo/_status.html")
    url = reverse("workshop_memo", args=[pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponse(status=303, headers={"Location": url})


@login_required
@require_GET
def memo_preview(request, pk):
    """The memo as HTML inside the site, before anyone downloads it."""
    from ..memo.preview import memo_preview

    membership = _member_who_may_read(request, pk)
    return render(request, "memo/preview.html", {
        "workshop": membership.workshop,
        "is_facilitator": is_facilitator(membership),
        "memo": memo_preview(membership.workshop),
    })


@login_required
@require_GET
def memo_docx(request, pk):
    """The memo as a Word document, for an office to edit through clearance."""
    from ..memo.word import memo_docx

    membership = _member_who_may_read(request, pk)
    filename, content_type, content = memo_docx(membership.workshop)
    _record_download(request, membership, "Word")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
