"""The memo's pages in the browser: the facilitator sets the memo's lines through the htmx form,
writes the bottom line over the drafted one, previews the memo (the written text, marked so)
and downloads the PDF and the Word copy, both carrying it; no policy violation, no console
error, and axe-core finds nothing on the settings page, the text page or the preview."""
import io

import docx
import pypdf
import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import violations as axe_violations
from tests.e2e.test_csp import watched_page
from tests.factories import make_case, make_workshop, score

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


BOTTOM_LINE = "Approve O1 & fund it <now>.\n\nThe partners agree."


def test_facilitator_sets_the_memo_writes_its_bottom_line_previews_and_downloads_it(new_page):
    workshop = make_workshop(make_case(options=2, criteria=2), analysts=1)
    for option, criterion, value in [("O1", "C1", 7), ("O1", "C2", 3), ("O2", "C1", 4),
                                     ("O2", "C2", 6)]:
        score(workshop, "ana1", option, criterion, value, "because")
    workshop.bump()
    violations, console = [], []
    page = watched_page(new_page, "fac", violations, console)
    page.goto(f"/workshops/{workshop.pk}/")
    page.get_by_role("link", name="Memo settings").click()
    assert axe_violations(page) == []

    page.get_by_label("Addressee (ACTION MEMO FOR)").fill("THE SECRETARY")
    page.get_by_label("Handling marking (top and bottom of every page)").fill("SECRET//NOFORN")
    page.get_by_label("Decision needed by").fill("2026-12-15")
    page.get_by_label("Cleared by").fill("Pat Jones; EUR/CARC; 2026-12-01\n; L")
    page.get_by_role("button", name="Save memo settings").click()
    expect(page.locator("#memo-settings-form .errorlist")).to_contain_text(
        "Line 2: start the line with a name.")
    page.get_by_label("Cleared by").fill("Pat Jones; EUR/CARC; 2026-12-01\nSam Lee; L")
    page.get_by_role("button", name="Save memo settings").click()
    expect(page.locator("#memo-settings-form .message.success")).to_contain_text(
        "Memo settings saved")
    assert "/memo/settings/" in page.url  # swapped in place, not reloaded
    # axe reads a fading "Saving…" as low contrast: let it fade out first.
    expect(page.locator("#memo-settings-form .htmx-indicator")).to_have_css("opacity", "0")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Memo text (bottom line, reasoning, discussion)").click()
    expect(page.locator("#part-bottom_line")).to_contain_text("Drafted:")
    page.get_by_label("Bottom line").fill(BOTTOM_LINE)
    page.get_by_role("button", name="Save memo text").click()
    expect(page.locator("#memo-text-form .message.success")).to_contain_text("Memo text saved")
    expect(page.locator("#part-bottom_line")).to_contain_text("Written: your words")
    expect(page.locator("#part-discussion")).to_contain_text("Drafted:")
    expect(page.locator("#memo-text-form .htmx-indicator")).to_have_css("opacity", "0")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Preview the memo").click()
    memo = page.locator("article.memo-preview")
    expect(memo.locator(".bluf")).to_have_text(
        "Bottom line. Approve O1 & fund it <now>. The partners agree.", use_inner_text=True)
    expect(memo.locator(".memo-mark").first).to_have_text(
        "Written. Bottom line: the facilitator’s own words, in place of the app’s draft.")
    expect(memo.locator(".memo-mark.written")).to_have_count(1)
    expect(memo.locator(".memo-mark").nth(1)).to_contain_text("Drafted.")
    expect(memo.locator("h1")).to_have_text("Action memo for THE SECRETARY")
    expect(memo).to_contain_text("Decision needed by December 15, 2026")
    expect(memo).to_contain_text("Cleared: Pat Jones, EUR/CARC, December 1, 2026")
    expect(memo.locator(".handling").first).to_have_css("text-align", "center")
    assert memo.locator(".handling").count() == 2
    assert axe_violations(page) == []

    with page.expect_download(timeout=60000) as download:
        page.get_by_role("link", name="Download memo (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    pdf = pypdf.PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Bottom line. Approve O1 & fund it <now>. The partners agree." in text
    assert "Written." not in text and "Drafted." not in text

    with page.expect_download(timeout=60000) as download:
        page.get_by_role("link", name="Download memo (Word)").click()
    assert download.value.suggested_filename.endswith(".docx")
    document = docx.Document(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Action memo for THE SECRETARY" in text
    assert "Cleared: Pat Jones, EUR/CARC, December 1, 2026" in text
    assert "Bottom line. Approve O1 & fund it <now>.\nThe partners agree." in text
    assert document.sections[0].header.paragraphs[0].text == "SECRET//NOFORN"
    assert violations == []
    assert console == []
