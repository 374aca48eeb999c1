"""The memo's PDF machinery without a workshop: the static-only fetcher, fonts embedded from
static/, the tagged PDF, and the time limit on a render."""
import io
import os
import time

import pypdf
import pytest

from policy.memo.document import static_files
from policy.memo.pdf import (
    STATIC_BASE_URL,
    MemoTimeout,
    StaticFilesFetcher,
    html_to_pdf,
    render_in_child,
    run_in_child,
)

FONT = "fonts/LiberationSerif-Regular.ttf"


@pytest.fixture(scope="module")
def files():
    return static_files()


def test_static_files_come_from_the_finders(files):
    assert os.path.isfile(files["css/memo.css"])
    assert os.path.isfile(files[FONT])
    assert "admin/css/base.css" in files  # app static dirs too: all that /static/ serves
    assert not any(path.startswith("/") or ".." in path for path in files)


def test_fetcher_serves_a_static_file(files):
    response = StaticFilesFetcher(files).fetch(STATIC_BASE_URL + FONT)
    assert response.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert response.content_type == "font/ttf"


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "file://localhost/etc/passwd",
    "http://example.com/x.png",
    "https://example.com/static/css/memo.css",  # the right path on another host
    "http://static.invalid/static/css/memo.css",  # the right host without TLS is not ours
    "https://static.invalid/static/../../../../etc/passwd",
    "https://static.invalid/static/%2e%2e/%2e%2e/etc/passwd",
    "https://static.invalid/static//etc/passwd",
    "https://static.invalid/etc/passwd",
    "https://static.invalid/static/css/memo.css?x=1",
    "https://static.invalid/static/css/not-there.css",
    "data:text/plain;base64,aGVsbG8=",
    "ftp://example.com/x",
    "/etc/passwd",
])
def test_fetcher_refuses_everything_else(files, url):
    fetcher = StaticFilesFetcher(files)
    with pytest.raises(ValueError, match="only the app's static files"):
        fetcher.fetch(url)
    assert fetcher.served == []


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_a_document_cannot_reach_files_or_the_network(files):
    html = """<!doctype html><html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="css/memo.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>
      <body><p>Body text</p><img src="file:///etc/passwd" alt="">
      <img src="http://127.0.0.1:9/x.png" alt="">
      <img src="data:image/png;base64,iVBORw0KGgo=" alt="">
      <iframe src="file:///etc/passwd"></iframe><object data="file:///etc/hostname"></object>
      </body></html>"""
    rendered = html_to_pdf(html, files)
    assert "Body text" in _text(rendered.pdf)
    assert "root:" not in _text(rendered.pdf)
    assert "css/memo.css" in rendered.served and FONT in rendered.served
    assert not any("passwd" in path or "127.0.0.1" in path for path in rendered.served)
    refused = "\n".join(rendered.warnings)
    assert "file:///etc/passwd" in refused and "http://127.0.0.1:9/x.png" in refused


def test_tagged_pdf_with_title_language_and_the_static_fonts(files):
    html = """<!doctype html><html lang="en-US"><head><title>Action memo</title>
      <link rel="stylesheet" href="css/memo.css"></head>
      <body><h1>Heading</h1><p>Text in <strong>bold</strong> and <em>italic</em>.</p>
      <table class="data"><thead><tr><th scope="col">A</th></tr></thead>
      <tbody><tr><td>1</td></tr></tbody></table></body></html>"""
    rendered = html_to_pdf(html, files)
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    root = reader.trailer["/Root"]
    assert reader.metadata.title == "Action memo"
    assert root["/Lang"] == "en-US"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.pdf_header == "%PDF-1.7"
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"}
    assert {FONT, "fonts/LiberationSerif-Bold.ttf"} <= set(rendered.served)


def test_a_render_over_its_time_is_stopped_and_the_child_killed():
    started = time.monotonic()
    with pytest.raises(MemoTimeout, match="longer than 0.5 seconds"):
        run_in_child(time.sleep, 30, timeout=0.5)
    assert time.monotonic() - started < 10


def test_a_render_in_a_child_returns_the_pdf(files):
    html = '<html lang="en"><title>x</title><link rel="stylesheet" href="css/memo.css"><p>Hello</p>'
    rendered = render_in_child(html, files, timeout=60)
    assert rendered.pages == 1
    assert "Hello" in _text(rendered.pdf)
