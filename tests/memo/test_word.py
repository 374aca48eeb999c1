"""The memo's Word copy, read back with python-docx beside the memo's HTML: the same headings in
the same order, the ranking table cell for cell with its header row, a picture per chart with
its text alternative, the marking in the header and footer, hostile text kept as text."""
import io
import json
from io import StringIO
from pathlib import Path

import docx
import lxml.html
import pytest
from django.core.management import call_command
from django.db import transaction
from docx.oxml.ns import qn

from policy.cases.casefile import import_case
from policy.memo.document import memo_html
from policy.memo.word import html_to_docx, memo_docx
from policy.models import Workshop

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "central-asia-2012.json"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def central_asia(django_db_setup, django_db_blocker):
    """The shipped case with six synthetic analysts: its memo's HTML and Word copy."""
    with django_db_blocker.unblock(), transaction.atomic():
        import_case(json.loads(FIXTURE.read_text(encoding="utf-8")))
        out = StringIO()
        call_command("demo_workshop", "central-asia-2012", "--analysts", "6", "--seed", "1",
                     stdout=out)
        workshop = Workshop.objects.get(pk=int(out.getvalue().strip()))
        html = memo_html(workshop)
        filename, content_type, content = memo_docx(workshop)
        data = {"html": html, "tree": lxml.html.document_fromstring(html),
                "filename": filename, "content_type": content_type,
                "document": docx.Document(io.BytesIO(content)), "workshop_pk": workshop.pk,
                "revision": workshop.revision}
        transaction.set_rollback(True)
    return data


def html_text(element) -> str:
    for br in element.iter("br"):
        br.tail = " " + (br.tail or "")
    return flat(element.text_content())


def test_the_word_copy_is_named_and_typed_as_a_docx(central_asia):
    assert central_asia["content_type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert central_asia["filename"].endswith(f"-r{central_asia['revision']}.docx")
    assert central_asia["filename"].startswith(f"memo-{central_asia['workshop_pk']}-")


def test_headings_follow_the_html_in_order(central_asia):
    html = [(int(h.tag[1]), html_text(h)) for h in central_asia["tree"].iter("h1", "h2", "h3")]
    word = [(int(p.style.name[-1]), flat(p.text)) for p in central_asia["document"].paragraphs
            if p.style.name in ("Heading 1", "Heading 2", "Heading 3")]
    assert len(html) > 15
    assert word == html
    assert word[0] == (1, "Action memo for the principal (United States)")


def test_the_ranking_table_is_copied_cell_for_cell_with_its_header_row(central_asia):
    table = central_asia["tree"].find(".//table[@class='data ranking']")
    html_rows = [[html_text(cell) for cell in row if cell.tag in ("th", "td")]
                 for row in table.iter("tr")]
    word_tables = central_asia["document"].tables
    assert len(word_tables) == len(central_asia["tree"].findall(".//table"))
    matching = [t for t in word_tables if [flat(c.text) for c in t.rows[0].cells] == html_rows[0]]
    assert len(matching) == 1
    word_rows = [[flat(c.text) for c in row.cells] for row in matching[0].rows]
    assert word_rows == html_rows
    assert html_rows[0] == ["Rank", "Option", "Total", "Behind first", "Chance first"]
    # The header row repeats on each page and reads as the column headers.
    header = matching[0].rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert matching[0].rows[1]._tr.trPr is None or (
        matching[0].rows[1]._tr.trPr.find(qn("w:tblHeader")) is None)


def test_each_chart_is_an_inline_picture_with_its_text_alternative(central_asia):
    charts = central_asia["tree"].findall(".//svg")
    shapes = central_asia["document"].inline_shapes
    assert len(charts) == 3
    assert len(shapes) == len(charts)
    assert [s._inline.docPr.get("descr") for s in shapes] == [
        flat(c.get("aria-label")) for c in charts]
    for shape in shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = central_asia["document"].part.related_parts[blip.embed]
        assert image.content_type == "image/png"
        assert shape.width.inches <= 6.5 + 1e-6


def test_quotes_and_tabs_keep_their_form(central_asia):
    document = central_asia["document"]
    quotes = [flat(p.text) for p in document.paragraphs if p.style.name == "Quote"]
    html_quotes = [html_text(q) for q in central_asia["tree"].iter("blockquote")]
    assert quotes == html_quotes and quotes
    tabs = [p for p in document.paragraphs if p.text.startswith("Tab ")
            and p.style.name == "Heading 2"]
    assert [p.paragraph_format.page_break_before for p in tabs] == [True] * 4


def test_the_marking_heads_and_foots_the_pages(central_asia):
    section = central_asia["document"].sections[0]
    assert section.header.paragraphs[0].text == "UNCLASSIFIED//FOR DISCUSSION"
    assert section.footer.paragraphs[0].text == "UNCLASSIFIED//FOR DISCUSSION"
    footer_xml = section.footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml and 'w:instr="NUMPAGES"' in footer_xml
    assert round(section.left_margin.inches, 2) == 1.0
    assert central_asia["document"].core_properties.title.startswith("Action memo: ")
    assert 'w:val="en-US"' in central_asia["document"].styles["Normal"].element.xml


def test_markup_in_the_text_stays_text():
    html = """<!doctype html><html><head><title>t</title></head><body>
      <div class="handling">A &amp; B</div>
      <h1>Memo for &lt;script&gt;alert(1)&lt;/script&gt;</h1>
      <p>Keep   <strong>bold</strong>,<em> italic</em>
         and a\x01 control.<br>Next line</p><!-- a comment -->
      </body></html>"""
    document = docx.Document(io.BytesIO(html_to_docx(html)))
    assert [p.text for p in document.paragraphs] == [
        "Memo for <script>alert(1)</script>", "Keep bold, italic and a control.\nNext line"]
    runs = document.paragraphs[1].runs
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in runs] == [
        ("Keep ", False, False), ("bold", True, False), (",", False, False),
        (" italic", False, True), (" and a control.\nNext line", False, False)]
    assert document.sections[0].header.paragraphs[0].text == "A & B"
