"""The Word copy's text (policy/memo/word.py builds its blocks): an HTML element's inline
content as Word runs, its whitespace collapsed as a browser would, and the bits of Word XML
that python-docx's API does not cover (borders, repeated header rows, page-number fields)."""
import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.run import Run

SPACE = re.compile(r"[ \t\n\r\f]+")
TAB_OR_BREAK = re.compile(r"([\t\n])")
# XML 1.0 cannot hold these; the forms refuse them, but case files and old data may not have.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LINE = "_" * 12  # the approve/disapprove blanks
INLINE = {"strong", "b", "em", "i", "span", "a", "br", "code", "small", "sub", "sup"}


def tag_of(element) -> str:
    """The element's name; "" for a comment (whose tag is a function in lxml)."""
    return element.tag if isinstance(element.tag, str) else ""


def classes_of(element) -> set[str]:
    return set((element.get("class") or "").split()) if tag_of(element) else set()


def text_of(element) -> str:
    return SPACE.sub(" ", element.text_content()).strip()


def is_inline_only(element) -> bool:
    return all(tag_of(child) in INLINE for child in element)


def _pieces(element, bold=False, italic=False) -> list[tuple[str, bool, bool]]:
    """The element's text as (text, bold, italic) pieces, in order; tabs and line breaks as
    their own pieces."""
    out = [(element.text, bold, italic)] if element.text else []
    for child in element:
        tag, classes = tag_of(child), classes_of(child)
        if not tag:  # a comment
            pass
        elif tag in ("strong", "b"):
            out += _pieces(child, True, italic)
        elif tag in ("em", "i"):
            out += _pieces(child, bold, True)
        elif tag == "br":
            out.append(("\n", bold, italic))
        elif "line" in classes:
            out.append((" " + LINE, bold, italic))
        elif "label" in classes:  # FROM:, SUBJECT: -> bold, then a tab to the hanging indent
            out += _pieces(child, True, italic) + [("\t", bold, italic)]
        elif "choice" in classes:  # Approve ___  Disapprove ___
            out += _pieces(child, bold, italic) + [("\t", bold, italic)]
        elif tag in ("svg", "script", "style"):
            pass
        else:
            out += _pieces(child, bold, italic)
        if child.tail:
            out.append((child.tail, bold, italic))
    return out


def inline(paragraph, element, bold=False) -> None:
    """Write the element's inline content as runs, its whitespace collapsed as a browser
    would: one space between words, none at the ends of a line."""
    runs: list[list] = []
    at_line_start = True
    for text, is_bold, italic in _pieces(element, bold):
        if text in ("\n", "\t"):
            if runs and runs[-1][0].endswith(" "):
                runs[-1][0] = runs[-1][0].rstrip(" ")
            piece = text
            at_line_start = True
        else:
            piece = SPACE.sub(" ", text)
            if at_line_start:
                piece = piece.lstrip(" ")
            elif runs and runs[-1][0].endswith(" ") and piece.startswith(" "):
                piece = piece[1:]
            if not piece:
                continue
            at_line_start = False
        if runs and runs[-1][1:] == [is_bold, italic]:
            runs[-1][0] += piece
        else:
            runs.append([piece, is_bold, italic])
    if runs:
        runs[-1][0] = runs[-1][0].rstrip(" ")
    for text, is_bold, italic in runs:
        if text:
            _run(paragraph, clean(text), is_bold, italic)


def _run(paragraph, text: str, bold: bool, italic: bool) -> None:
    """paragraph.add_run(text), without python-docx's character-by-character scan of the
    text for tabs and breaks."""
    r = paragraph._p.add_r()
    if bold or italic:
        run = Run(r, paragraph)
        run.bold, run.italic = bold or None, italic or None
    for part in TAB_OR_BREAK.split(text):
        if part == "\t":
            r.add_tab()
        elif part == "\n":
            r.add_br()
        elif part:
            r.add_t(part)


def clean(text: str) -> str:
    return NOT_XML.sub("", text)


# --- Word XML the python-docx API does not cover ----------------------------------------------


def border(paragraph, sides) -> None:
    borders = OxmlElement("w:pBdr")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "4"), ("color", "000000")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def repeat_header(tr) -> None:
    """Mark a table row as a header row: Word repeats it on each page, and screen readers
    and the accessibility checker read it as the column headers."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(header)


def field(paragraph, code: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
