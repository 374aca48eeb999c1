"""HTML to PDF with WeasyPrint: a fetcher that serves only the app's static files, and a render
in a child process that is killed when it runs out of time.

This module imports nothing from Django: it is preloaded into a bare forkserver process, and
the render child is forked from there (a fork of a fresh, single-threaded process is safe; a
fork of a threaded runserver or of a worker holding database connections is not).
"""
import logging
import multiprocessing
import os
import resource
import signal
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

# WeasyPrint reports each rendering step, and fontTools each font it decodes, at INFO: noise
# in every log the app writes (weasyprint is imported when the URLconf loads).
for _name in ("weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

import pydyf  # noqa: E402
import weasyprint  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# The memo's documents name static files under this origin, which is not a network address:
# .invalid is reserved (RFC 2606) and the fetcher never opens a connection for it.
STATIC_ORIGIN = "https://static.invalid"
STATIC_BASE_URL = f"{STATIC_ORIGIN}/static/"

CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
}

log = logging.getLogger(__name__)


class MemoRenderError(Exception):
    """The memo could not be rendered; the message is fit to show the user."""


class MemoTimeout(MemoRenderError):
    pass


class StaticFilesFetcher(URLFetcher):
    """Serves STATIC_BASE_URL + path from a {path: file} map and refuses everything else:
    file://, http(s)://, data:, other hosts, paths not in the map.

    The map comes from Django's staticfiles finders (see policy.memo.document.static_files),
    so the fetcher can serve nothing that /static/ does not already serve to anyone.
    """

    def __init__(self, files: dict[str, str], **kwargs):
        # fail_on_errors=False: a refused URL is logged and left out, not fatal (a hostile
        # <img> that got past escaping would merely vanish). Refusals are kept for the log.
        super().__init__(allowed_protocols=("https",), fail_on_errors=False, **kwargs)
        self.files = dict(files)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        path = self._static_path(url)
        if path is None or path not in self.files:
            self.refused.append(url[:200])
            raise ValueError(f"The memo may load only the app's static files, not {url[:200]}")
        suffix = os.path.splitext(path)[1].lower()
        with open(self.files[path], "rb") as handle:
            body = handle.read()
        self.served.append(path)
        return URLFetcherResponse(
            url, body, {"Content-Type": CONTENT_TYPES.get(suffix, "application/octet-stream")}
        )

    @staticmethod
    def _static_path(url: str) -> str | None:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if f"{parts.scheme}://{parts.netloc}".lower() != STATIC_ORIGIN or parts.query:
            return None
        if not parts.path.startswith("/static/"):
            return None
        path = unquote(parts.path[len("/static/"):])
        if not path or path.startswith("/") or ".." in path.split("/") or "\\" in path:
            return None
        return path


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    seconds: float
    warnings: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)  # the static files the fetcher served


def html_to_pdf(html: str, files: dict[str, str], *, variant: str | None = "pdf/ua-1") -> Rendered:
    """Render in this process (the caller bounds the time: see render_in_child). The PDF's
    title and language come from the document's <title> and <html lang>."""
    started = time.perf_counter()
    warnings: list[str] = []
    handler = _ListHandler(warnings)
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(handler)
    try:
        fetcher = StaticFilesFetcher(files)
        document = weasyprint.HTML(
            string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher
        ).render(pdf_variant=variant)
        pdf = document.write_pdf(pdf_variant=variant, finisher=margins_as_artifacts)
    finally:
        wlog.removeHandler(handler)
    return Rendered(
        pdf, len(document.pages), time.perf_counter() - started, warnings, fetcher.served
    )


def margins_as_artifacts(document, pdf) -> None:
    """Mark the running headers and footers (CSS margin boxes: the handling marking, the page
    number) as artifacts, as PDF/UA asks of pagination, so that a screen reader does not read
    them on every page. WeasyPrint 70 tags their text as marked content whose structure
    elements it keeps out of the tree (weasyprint/pdf/tags.py: "only allowed in PDF 2.0"), so
    each such sequence, reachable from no structure element of the tree, becomes
    `/Artifact BMC`. Runs as WeasyPrint's finisher: on its objects, before they are written."""
    if "StructTreeRoot" not in pdf.catalog:
        return  # an untagged variant

    def resolve(reference):
        return pdf.objects[int(bytes(reference).split()[0])]

    in_tree, pending = set(), [pdf.catalog["StructTreeRoot"]]
    while pending:  # every structure element reachable from the root, by object number
        element = resolve(pending.pop())
        for kid in element.get("K", ()):
            if isinstance(kid, bytes) and kid.endswith(b" R") and kid not in in_tree:
                in_tree.add(kid)
                pending.append(kid)
    nums = resolve(pdf.catalog["StructTreeRoot"]).get("ParentTree")
    mapping = resolve(nums)["Nums"]
    for page_number, page_reference in enumerate(pdf.page_references):
        index = list(mapping[0::2]).index(page_number)
        elements = mapping[2 * index + 1]
        stray = {mcid for mcid, reference in enumerate(elements) if reference not in in_tree}
        if not stray:
            continue
        stream = resolve(resolve(page_reference)["Contents"]).stream
        for i, item in enumerate(stream):
            if (isinstance(item, pydyf.Dictionary) and item.get("MCID") in stray
                    and stream[i + 1] == b"BDC"):
                stream[i - 1], stream[i], stream[i + 1] = "/Artifact", b"", b"BMC"


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record):
        self.sink.append(record.getMessage()[:300])


# --- the child process ------------------------------------------------------------------

def _context():
    ctx = multiprocessing.get_context("forkserver")
    # Preload WeasyPrint (through this module) once into the fork server, so a render child
    # starts in milliseconds. '__main__' (manage.py, granian's script, pytest: each guarded by
    # `if __name__ == "__main__"`) is imported there once too, rather than in every child.
    ctx.set_forkserver_preload(["__main__", __name__])
    return ctx


def _child(conn, func, args, kwargs, cpu_seconds):
    # If the parent is killed before it can kill us (say, its worker is killed), the kernel
    # still stops this process once it has used its CPU time.
    if cpu_seconds:
        limit = int(cpu_seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result = func(*args, **kwargs)
    except BaseException as exc:  # report anything; the parent decides
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:2000]))
    else:
        conn.send(("ok", result))
    finally:
        conn.close()


def run_in_child(func, *args, timeout: float, **kwargs):
    """func(*args, **kwargs) in a child process; MemoTimeout if it has not returned within
    `timeout` seconds, in which case the child is killed. func and its arguments must be
    importable without Django (the child is forked from a bare fork server)."""
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_child, args=(sender, func, args, kwargs, timeout), daemon=True,
        name="memo-render",
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise MemoTimeout(
                f"The memo took longer than {timeout:g} seconds to render and was stopped. "
                "Try again; if it keeps happening, ask the administrator to raise "
                "MEMO_RENDER_TIMEOUT."
            )
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise MemoRenderError(
                "The memo could not be rendered: the renderer stopped unexpectedly."
            ) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status != "ok":
        log.error("memo render failed: %s", payload)
        raise MemoRenderError(f"The memo could not be rendered ({payload.split(':')[0]}).")
    return payload


def render_in_child(html: str, files: dict[str, str], *, timeout: float, **options) -> Rendered:
    rendered = run_in_child(html_to_pdf, html, files, timeout=timeout, **options)
    for warning in rendered.warnings:
        log.warning("memo: %s", warning)
    return rendered
