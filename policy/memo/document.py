"""The memo's public entry points.

    memo_pdf(workshop)     -> MemoFile: the cached PDF, rendered only when the workshop changed
    render_memo(workshop)  -> Rendered: a fresh render, bounded by MEMO_RENDER_TIMEOUT
    memo_html(workshop)    -> str: the HTML WeasyPrint lays out, drafted now
    memo_source(workshop)  -> (str, int): the HTML the memo is made from, and its revision:
                              a locked workshop's as stored at lock (policy/workshops/record.py),
                              whatever later happens to the case; any other's drafted now

Views and the `memo` command call memo_pdf; the preview and the Word copy memo_source; tests
and benchmarks the others.
"""
import functools
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.text import slugify

from ..models import LockedRecord, MemoPDF, Workshop
from ..scoring import ScoringError
from . import MEMO_VERSION
from .content import memo_context
from .pdf import MemoRenderError, MemoTimeout, Rendered, render_in_child

__all__ = [
    "MemoFile", "MemoRenderError", "MemoTimeout", "memo_html", "memo_pdf", "memo_source",
    "render_memo",
    "static_files",
]

log = logging.getLogger(__name__)
CONTENT_TYPE = "application/pdf"


@dataclass
class MemoFile:
    """What an exporter returns (filename, content type, bytes), and whether it was cached."""

    filename: str
    content_type: str
    content: bytes
    pages: int
    cached: bool


def render_timeout() -> float:
    return float(getattr(settings, "MEMO_RENDER_TIMEOUT", 60))


def page_size() -> str:
    return getattr(settings, "MEMO_PAGE_SIZE", "Letter")


@functools.cache
def _static_files(_key) -> dict[str, str]:
    files = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None)
            name = f"{prefix}/{path}" if prefix else path
            files.setdefault(name.replace("\\", "/"), storage.path(path))
    return files


def static_files() -> dict[str, str]:
    """Every file Django's staticfiles finders find, {static path: file}: all the memo's
    fetcher may serve, and nothing /static/ does not already serve to anyone."""
    key = (tuple(str(d) for d in settings.STATICFILES_DIRS), tuple(settings.INSTALLED_APPS))
    return _static_files(key)


def memo_html(workshop: Workshop, context: dict | None = None) -> str:
    context = context if context is not None else memo_context(workshop)
    return render_to_string(
        "memo/memo.html", {**context, "page_size": page_size(), "memo_version": MEMO_VERSION}
    )


def locked_record(workshop: Workshop) -> LockedRecord | None:
    """The record of a locked workshop, None for any other. ScoringError, with the engine's
    message, when the workshop had no comparison when it was locked."""
    if workshop.status != Workshop.Status.LOCKED:
        return None
    record = LockedRecord.objects.filter(workshop=workshop).defer("results").first()
    if record is not None and record.memo_error:
        raise ScoringError(record.memo_error)
    return record


def memo_source(workshop: Workshop) -> tuple[str, int]:
    """(the HTML the memo is made from, the workshop revision it belongs to)."""
    record = locked_record(workshop)
    if record is not None:
        return record.memo_html, record.revision
    return memo_html(workshop), workshop.revision


def render_memo(workshop: Workshop) -> Rendered:
    """Render now, in a child process killed after MEMO_RENDER_TIMEOUT seconds."""
    html, _ = memo_source(workshop)
    return render_in_child(html, static_files(), timeout=render_timeout())


def memo_filename(workshop: Workshop, revision: int) -> str:
    name = slugify(workshop.title)[:60].strip("-") or "workshop"
    return f"memo-{workshop.pk}-{name}-r{revision}.pdf"


def cache_stamp(workshop: Workshop) -> str:
    """What the revision does not count: edits to the case and to the workshop's own fields."""
    raw = f"{workshop.case.updated_at.isoformat()}|{workshop.updated_at.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def memo_pdf(workshop: Workshop, *, use_cache: bool = True) -> MemoFile:
    """The memo of the workshop as it is now: from the cache when nothing changed since it was
    last rendered, else rendered (MemoRenderError, MemoTimeout) and stored."""
    # Read the key before the data: a score saved during the render then only makes the
    # stored memo newer than its key, and the next download renders again.
    workshop = Workshop.objects.select_related("case").get(pk=workshop.pk)
    record = locked_record(workshop)
    key = {
        "workshop": workshop,
        # A locked workshop's memo is its record's, whatever the revision and the case became.
        "revision": workshop.revision if record is None else record.revision,
        "version": MEMO_VERSION,
        "page_size": page_size(),
        "stamp": cache_stamp(workshop) if record is None else f"locked-{record.pk}",
    }
    filename = memo_filename(workshop, key["revision"])
    if use_cache:
        hit = MemoPDF.objects.filter(**key).values_list("pdf", "pages").first()
        if hit is not None:
            return MemoFile(filename, CONTENT_TYPE, bytes(hit[0]), hit[1], cached=True)
    rendered = render_memo(workshop)
    log.info(
        "memo for workshop %s rendered: %d pages in %.2f s", workshop.pk, rendered.pages,
        rendered.seconds,
    )
    _store(key, rendered)
    return MemoFile(filename, CONTENT_TYPE, rendered.pdf, rendered.pages, cached=False)


def _store(key: dict, rendered: Rendered) -> None:
    try:
        with transaction.atomic():
            MemoPDF.objects.update_or_create(
                **key,
                defaults={
                    "pdf": rendered.pdf,
                    "pages": rendered.pages,
                    "render_seconds": rendered.seconds,
                },
            )
            # One memo per workshop is enough: older states are never asked for again.
            MemoPDF.objects.filter(workshop=key["workshop"]).exclude(
                revision=key["revision"], version=key["version"], page_size=key["page_size"],
                stamp=key["stamp"],
            ).delete()
    except IntegrityError:
        # Another request stored the same memo at the same moment: theirs will do.
        pass
