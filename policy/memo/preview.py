"""The memo in the browser: the very HTML the PDF is laid out from (memo_source: a locked
workshop's as stored at lock), its <body> shown inside a site page. Nothing is re-templated, so
the preview cannot drift from the PDF.
"""
import lxml.html
from django.utils.safestring import SafeString, mark_safe

from ..models import Workshop
from .document import memo_source


def memo_body(html: str) -> SafeString:
    """The inside of the memo document's <body>: its <head> (title, the print stylesheet, the
    @page rule) has no place in a site page."""
    start = html.index("<body>") + len("<body>")
    end = html.rindex("</body>")
    # The memo template autoescapes every value (templates/memo/memo.html).
    return mark_safe(html[start:end])  # noqa: S308


def memo_preview(workshop: Workshop) -> dict:
    html, revision = memo_source(workshop)
    # The title and the handling marking as the document prints them (templates/memo/memo.html).
    root = lxml.html.document_fromstring(html)
    handling = root.find_class("handling")
    return {"body": memo_body(html), "title": root.findtext("head/title") or "",
            "handling": handling[0].text_content() if handling else "", "revision": revision}
