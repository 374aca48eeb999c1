"""The memo in the browser: the very HTML the PDF is laid out from (memo_html), its <body>
shown inside a site page. Nothing is re-templated, so the preview cannot drift from the PDF.
"""
from django.utils.safestring import SafeString, mark_safe

from ..models import Workshop
from .content import memo_context
from .document import memo_html


def memo_body(html: str) -> SafeString:
    """The inside of the memo document's <body>: its <head> (title, the print stylesheet, the
    @page rule) has no place in a site page."""
    start = html.index("<body>") + len("<body>")
    end = html.rindex("</body>")
    # The memo template autoescapes every value (templates/memo/memo.html).
    return mark_safe(html[start:end])  # noqa: S308


def memo_preview(workshop: Workshop) -> dict:
    context = memo_context(workshop)
    return {"body": memo_body(memo_html(workshop, context)), "handling": context["handling"],
            "title": context["title"], "revision": workshop.revision}
