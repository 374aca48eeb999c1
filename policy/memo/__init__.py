"""The memo: a workshop's result and its case -> memo HTML (templates/memo/) -> PDF bytes.

    content.py   the memo's words and tables, from the engine's result and the case
    document.py  the public entry points: memo_html, memo_pdf (cached), render_memo, and
                 memo_source (a locked workshop's memo: the HTML stored at lock)
    pdf.py       WeasyPrint: the static-only URL fetcher and the time-limited render child
    settings.py  the facilitator's lines (MemoSettings) laid over the drafted ones; forms.py
    texts.py     the round's own words (MemoText) over the drafted bottom line, reasoning and
                 discussion, and whether they are stale; writing.py, what the text page shows
    preview.py   the memo's HTML shown inside a site page
    word.py      the Word copy, built by walking the memo's HTML with python-docx; word_text.py
                 its inline text as Word runs

This package's __init__ imports nothing, so that pdf.py can be loaded into a bare fork-server
process without Django.
"""

# Bump whenever templates/memo/, static/css/memo.css or the memo's wording change: cached PDFs
# of an older version are never served.
MEMO_VERSION = "10"
