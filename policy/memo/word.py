"""The memo as a Word document (memo.docx), the copy an office edits through clearance.

One source of content: the document is built by walking the memo's own HTML (memo_html, the
page WeasyPrint lays out), so the Word copy says what the template says, in the same order.
The HTML is parsed with lxml (libxml2's parser: 10 ms for the shipped case's memo, against 0.4 s
for a pure-Python HTML5 parser); the charts are taken from the HTML text as written, since an
HTML parser lower-cases SVG's attribute names (viewBox).
    h1-h4            headings (Heading 1-4)
    p, div of text   paragraphs; strong/em -> bold/italic, br -> a line break
    table            a table: its caption above it, its thead rows repeated on every page
    blockquote       Quote paragraphs
    ul, ol, dl       lists; a definition list as bold terms over indented definitions
    svg              a PNG picture (cairosvg) whose alternative text is the chart's title
The handling marking (div.handling) goes in every page's header and footer, beside the page
number; each tab (section.tab) starts a new page. No styles are read from memo.css: Word's own
styles carry the look, set here to the memo's Times 12 pt with 1-inch margins.
"""
import functools
import io
import re
import struct

import cairosvg
import lxml.html
from django.conf import settings
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..models import Workshop
from .document import memo_filename, memo_html

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGES = {"Letter": (8.5, 11.0), "A4": (8.27, 11.69)}  # inches
MARGIN = 1.0
FONT = "Times New Roman"
CHART_SCALE = 1.5  # PNG pixels per SVG unit: about 175 dpi at the text width, sharp in print
LINE = "_" * 12  # the approve/disapprove blanks
# XML 1.0 cannot hold these; the forms refuse them, but case files and old data may not have.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SPACE = re.compile(r"[ \t\n\r\f]+")
TAB_OR_BREAK = re.compile(r"([\t\n])")
CELL_STYLE = "Table Text"
SVG_MARKUP = re.compile(r"<svg\b.*?</svg>", re.S)  # the charts never nest one in another


def memo_docx(workshop: Workshop) -> tuple[str, str, bytes]:
    """(filename, content type, bytes), as the other exporters return."""
    filename = memo_filename(workshop).removesuffix(".pdf") + ".docx"
    return filename, CONTENT_TYPE, html_to_docx(memo_html(workshop))


def html_to_docx(html: str) -> bytes:
    root = lxml.html.document_fromstring(html)
    writer = _Writer(page=getattr(settings, "MEMO_PAGE_SIZE", "Letter"),
                     charts=SVG_MARKUP.findall(html))
    writer.metadata(root)
    writer.blocks(root.find("body"))
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


def _tag(element) -> str:
    """The element's name; "" for a comment (whose tag is a function in lxml)."""
    return element.tag if isinstance(element.tag, str) else ""


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split()) if _tag(element) else set()


def _text(element) -> str:
    return SPACE.sub(" ", element.text_content()).strip()


class _Writer:
    def __init__(self, page: str, charts: list[str]):
        self.doc = Document()
        self.charts = iter(charts)  # the <svg> elements' markup, in document order
        self.page_break = False  # the next paragraph starts a page (a tab began)
        self.handling_done = False
        self.boxed: set = set()  # the bottom line's paragraphs, drawn in a box
        width, height = PAGES.get(page, PAGES["Letter"])
        self.text_width = width - 2 * MARGIN
        self.text_height = height - 2 * MARGIN
        section = self.doc.sections[0]
        section.page_width, section.page_height = Inches(width), Inches(height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Inches(MARGIN))
        self._styles()

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name, normal.font.size = FONT, Pt(12)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(6)
        for name, italic in (("Heading 1", False), ("Heading 2", False), ("Heading 3", True),
                             ("Heading 4", True)):
            style = styles[name]
            style.font.name, style.font.size, style.font.bold = FONT, Pt(12), True
            style.font.italic = italic
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(12), Pt(4)
        for name in ("Caption", "Quote", "Header", "Footer"):
            style = styles[name]
            style.font.name, style.font.size = FONT, Pt(10 if name != "Quote" else 12)
            style.font.color.rgb = RGBColor(0, 0, 0)
        styles["Caption"].font.bold, styles["Caption"].font.italic = True, False
        # Table cells: 10 pt with no space after, by a style rather than cell by cell.
        cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        cell.font.size = Pt(10)
        cell.paragraph_format.space_after = Pt(0)
        # Style ids, set on the paragraph directly: python-docx's add_paragraph(style=...)
        # searches every style for the default one on each call (a third of the build time).
        self.style = {style.name: style.style_id for style in styles}

    def metadata(self, root) -> None:
        """Title, author, subject and language, from the memo's <head> and <html lang>: Word
        shows the title and a screen reader speaks in the language."""
        if root.get("lang"):
            language = OxmlElement("w:lang")
            language.set(qn("w:val"), _clean(root.get("lang"))[:20])
            self.doc.styles["Normal"].element.get_or_add_rPr().append(language)
        head = root.find("head")
        properties = self.doc.core_properties
        title = head.find("title") if head is not None else None
        properties.title = _clean(_text(title))[:255] if title is not None else ""
        for meta in head.iter("meta") if head is not None else []:
            if meta.get("name") == "author":
                properties.author = _clean(meta.get("content", ""))[:255]
            elif meta.get("name") == "description":
                properties.subject = _clean(meta.get("content", ""))[:255]

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self, parent) -> None:
        for child in parent:
            self.block(child)

    def block(self, element) -> None:
        tag, classes = _tag(element), _classes(element)
        if not tag or tag in ("script", "style", "template") or "running" in classes:
            return
        if "handling" in classes:
            self.handling(_text(element))
        elif tag in ("h1", "h2", "h3", "h4"):
            paragraph = self.paragraph(element, style=f"Heading {tag[1]}")
            if "memo-for" in classes:
                for run in paragraph.runs:
                    run.font.all_caps = True
        elif tag == "section" and "tab" in classes:
            self.page_break = True
            self.blocks(element)
        elif tag == "p":
            self.paragraph(element, classes=classes, boxed=element in self.boxed)
        elif "bluf" in classes:
            self.boxed = set(element.iter("p"))
            self.blocks(element)
            self.boxed = set()
        elif "letterhead" in classes:
            for line in element:
                paragraph = self.paragraph(line)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.bold = "org" in _classes(line)
        elif tag == "hr":
            _border(self.doc.add_paragraph(), ("bottom",))
        elif tag == "table":
            self.table(element)
        elif tag == "blockquote":
            for child in element:
                self.paragraph(child, style="Quote")
        elif tag in ("ul", "ol"):
            style = None if "source-list" in classes else (
                "List Bullet" if tag == "ul" else "List Number")
            for item in element:
                self.paragraph(item, style=style)
        elif tag == "dl":
            for item in element:
                paragraph = self.paragraph(item)
                if _tag(item) == "dt":
                    paragraph.paragraph_format.keep_with_next = True
                    for run in paragraph.runs:
                        run.bold = True
                else:
                    paragraph.paragraph_format.left_indent = Inches(0.25)
        elif tag == "svg":
            self.picture(element)
        elif tag == "figcaption":
            self.paragraph(element, style="Caption")
        elif _is_inline_only(element) and _text(element):
            self.paragraph(element, classes=classes)
        else:  # header, section, div, figure, article...: their children
            self.blocks(element)

    def handling(self, text: str) -> None:
        """The marking heads and foots every page, beside the page number in the footer."""
        if self.handling_done:
            return
        self.handling_done = True
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        footer = section.footer.paragraphs[0]
        for paragraph in (header, footer):
            run = paragraph.add_run(_clean(text))
            run.bold, run.font.all_caps = True, True
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pages = section.footer.add_paragraph()
        pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        pages.add_run("Page ")
        _field(pages, "PAGE")
        pages.add_run(" of ")
        _field(pages, "NUMPAGES")

    def paragraph(self, element, style: str | None = None, classes=frozenset(), boxed=False):
        paragraph = self.doc.add_paragraph()
        if style:
            paragraph._p.style = self.style[style]
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        _inline(paragraph, element)
        fmt = paragraph.paragraph_format
        if "memo-date" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if element.find("span[@class='label']") is not None:  # FROM:, SUBJECT:
            fmt.left_indent, fmt.first_line_indent = Inches(1), Inches(-1)
            fmt.tab_stops.add_tab_stop(Inches(1))
        if classes & {"who", "decide-by", "summary", "approve"} or "more" in classes:
            fmt.left_indent = Inches(0.25 if "more" not in classes else 0.6)
        if classes & {"cell-head", "rec-label"} or _tag(element) == "dt":
            fmt.keep_with_next = True
        if boxed:
            _border(paragraph, ("top", "left", "bottom", "right"))
        return paragraph

    def table(self, element) -> None:
        caption = element.find("caption")
        if caption is not None:
            paragraph = self.paragraph(caption, style="Caption")
            paragraph.paragraph_format.keep_with_next = True
        rows = []
        for group in element:
            if _tag(group) in ("thead", "tbody", "tfoot"):
                rows += [(row, _tag(group) == "thead") for row in group if _tag(row) == "tr"]
            elif _tag(group) == "tr":
                rows.append((group, False))
        columns = max((len([c for c in row if _tag(c) in ("th", "td")]) for row, _ in rows),
                      default=0)
        if not columns:
            return
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        cell_style = self.style[CELL_STYLE]
        # The rows' XML directly: Table.rows and Row.cells search the table's grid each time.
        for (row, header), tr in zip(rows, table._tbl.tr_lst):
            if header:
                _repeat_header(tr)
            cells = [c for c in row if _tag(c) in ("th", "td")]
            for cell, tc in zip(cells, tr.tc_lst):
                paragraph = Paragraph(tc.p_lst[0], table)
                paragraph._p.style = cell_style
                _inline(paragraph, cell, bold=header)
                if "num" in _classes(cell):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)  # Word joins touching tables

    def picture(self, svg) -> None:
        """The chart drawn to a PNG at the text width (or less, to fit a page), its label as
        the picture's alternative text."""
        markup = next(self.charts, None)
        if markup is None:
            return
        png = _png(markup)
        # A PNG's IHDR chunk holds its size: width and height, 4 bytes each, from byte 16.
        width_px, height_px = struct.unpack(">II", png[16:24])
        width = min(self.text_width, self.text_height * width_px / height_px)
        paragraph = self.doc.add_paragraph()
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        paragraph.paragraph_format.keep_with_next = True
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Inches(width))
        title = svg.find("title")
        alt = svg.get("aria-label") or (_text(title) if title is not None else "Chart")
        shape._inline.docPr.set("descr", _clean(alt)[:2000])


@functools.lru_cache(maxsize=16)
def _png(svg: str) -> bytes:
    """A chart as PNG. Kept per process by its markup: the case's actor and risk maps change
    only with the case, and drawing one costs a tenth of a second. cairosvg's default
    (unsafe=False) reads no file, URL or XML entity the markup names."""
    return cairosvg.svg2png(bytestring=svg.encode(), scale=CHART_SCALE)


# --- inline text ------------------------------------------------------------------------------

def _is_inline_only(element) -> bool:
    inline = {"strong", "b", "em", "i", "span", "a", "br", "code", "small", "sub", "sup"}
    return all(_tag(child) in inline for child in element)


def _pieces(element, bold=False, italic=False) -> list[tuple[str, bool, bool]]:
    """The element's text as (text, bold, italic) pieces, in order; tabs and line breaks as
    their own pieces."""
    out = [(element.text, bold, italic)] if element.text else []
    for child in element:
        tag, classes = _tag(child), _classes(child)
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


def _inline(paragraph, element, bold=False) -> None:
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
            _run(paragraph, _clean(text), is_bold, italic)


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


def _clean(text: str) -> str:
    return NOT_XML.sub("", text)


# --- Word XML the python-docx API does not cover ----------------------------------------------

def _border(paragraph, sides) -> None:
    borders = OxmlElement("w:pBdr")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "4"), ("color", "000000")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def _repeat_header(tr) -> None:
    """Mark a table row as a header row: Word repeats it on each page, and screen readers
    and the accessibility checker read it as the column headers."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(header)


def _field(paragraph, code: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
