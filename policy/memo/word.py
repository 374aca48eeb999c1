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

from ..models import Workshop
from .document import memo_filename, memo_source
from .word_text import (
    border, classes_of, clean, field, inline, is_inline_only, repeat_header, tag_of, text_of,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGES = {"Letter": (8.5, 11.0), "A4": (8.27, 11.69)}  # inches
MARGIN = 1.0
FONT = "Times New Roman"
CHART_SCALE = 1.5  # PNG pixels per SVG unit: about 175 dpi at the text width, sharp in print
CELL_STYLE = "Table Text"
SVG_MARKUP = re.compile(r"<svg\b.*?</svg>", re.S)  # the charts never nest one in another


def memo_docx(workshop: Workshop) -> tuple[str, str, bytes]:
    """(filename, content type, bytes), as the other exporters return."""
    html, revision = memo_source(workshop)  # a locked workshop's: as it was at lock
    filename = memo_filename(workshop, revision).removesuffix(".pdf") + ".docx"
    return filename, CONTENT_TYPE, html_to_docx(html)


def html_to_docx(html: str) -> bytes:
    root = lxml.html.document_fromstring(html)
    writer = _Writer(page=getattr(settings, "MEMO_PAGE_SIZE", "Letter"),
                     charts=SVG_MARKUP.findall(html))
    writer.metadata(root)
    writer.blocks(root.find("body"))
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


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
            language.set(qn("w:val"), clean(root.get("lang"))[:20])
            self.doc.styles["Normal"].element.get_or_add_rPr().append(language)
        head = root.find("head")
        properties = self.doc.core_properties
        title = head.find("title") if head is not None else None
        properties.title = clean(text_of(title))[:255] if title is not None else ""
        for meta in head.iter("meta") if head is not None else []:
            if meta.get("name") == "author":
                properties.author = clean(meta.get("content", ""))[:255]
            elif meta.get("name") == "description":
                properties.subject = clean(meta.get("content", ""))[:255]

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self, parent) -> None:
        for child in parent:
            self.block(child)

    def block(self, element) -> None:
        tag, classes = tag_of(element), classes_of(element)
        if not tag or tag in ("script", "style", "template") or classes & {"running", "memo-mark"}:
            return  # the running footer is the PDF's; the marks are the preview's
        if "handling" in classes:
            self.handling(text_of(element))
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
                    run.bold = "org" in classes_of(line)
        elif tag == "hr":
            border(self.doc.add_paragraph(), ("bottom",))
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
                if tag_of(item) == "dt":
                    paragraph.paragraph_format.keep_with_next = True
                    for run in paragraph.runs:
                        run.bold = True
                else:
                    paragraph.paragraph_format.left_indent = Inches(0.25)
        elif tag == "svg":
            self.picture(element)
        elif tag == "figcaption":
            self.paragraph(element, style="Caption")
        elif is_inline_only(element) and text_of(element):
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
            run = paragraph.add_run(clean(text))
            run.bold, run.font.all_caps = True, True
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pages = section.footer.add_paragraph()
        pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        pages.add_run("Page ")
        field(pages, "PAGE")
        pages.add_run(" of ")
        field(pages, "NUMPAGES")

    def paragraph(self, element, style: str | None = None, classes=frozenset(), boxed=False):
        paragraph = self.doc.add_paragraph()
        if style:
            paragraph._p.style = self.style[style]
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        inline(paragraph, element)
        fmt = paragraph.paragraph_format
        if "memo-date" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if element.find("span[@class='label']") is not None:  # FROM:, SUBJECT:
            fmt.left_indent, fmt.first_line_indent = Inches(1), Inches(-1)
            fmt.tab_stops.add_tab_stop(Inches(1))
        if classes & {"who", "decide-by", "summary", "approve"} or "more" in classes:
            fmt.left_indent = Inches(0.25 if "more" not in classes else 0.6)
        if classes & {"cell-head", "rec-label"} or tag_of(element) == "dt":
            fmt.keep_with_next = True
        if boxed:
            border(paragraph, ("top", "left", "bottom", "right"))
        return paragraph

    def table(self, element) -> None:
        caption = element.find("caption")
        if caption is not None:
            paragraph = self.paragraph(caption, style="Caption")
            paragraph.paragraph_format.keep_with_next = True
        rows = []
        for group in element:
            if tag_of(group) in ("thead", "tbody", "tfoot"):
                rows += [(row, tag_of(group) == "thead") for row in group if tag_of(row) == "tr"]
            elif tag_of(group) == "tr":
                rows.append((group, False))
        columns = max((len([c for c in row if tag_of(c) in ("th", "td")]) for row, _ in rows),
                      default=0)
        if not columns:
            return
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        cell_style = self.style[CELL_STYLE]
        # The rows' XML directly: Table.rows and Row.cells search the table's grid each time.
        for (row, header), tr in zip(rows, table._tbl.tr_lst):
            if header:
                repeat_header(tr)
            cells = [c for c in row if tag_of(c) in ("th", "td")]
            for cell, tc in zip(cells, tr.tc_lst):
                paragraph = Paragraph(tc.p_lst[0], table)
                paragraph._p.style = cell_style
                inline(paragraph, cell, bold=header)
                if "num" in classes_of(cell):
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
        alt = svg.get("aria-label") or (text_of(title) if title is not None else "Chart")
        shape._inline.docPr.set("descr", clean(alt)[:2000])


@functools.lru_cache(maxsize=16)
def _png(svg: str) -> bytes:
    """A chart as PNG. Kept per process by its markup: the case's actor and risk maps change
    only with the case, and drawing one costs a tenth of a second. cairosvg's default
    (unsafe=False) reads no file, URL or XML entity the markup names."""
    return cairosvg.svg2png(bytestring=svg.encode(), scale=CHART_SCALE)
