"""A team brings its own question: in the browser, write a small case from scratch, generate
its criteria, run a one-analyst workshop on it and download its memo."""
import re

import pytest
from playwright.sync_api import expect

from policy.models import Case, Criterion, Score
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def add_part(page, section: str, fields: dict, checks=(), selects=None):
    """Open the section's add form, fill it and submit; wait for the new row."""
    box = page.locator(f"#section-{section}")
    before = box.locator("li.part-row").count()
    if box.locator("details.add-part").get_attribute("open") is None:
        box.locator("details.add-part > summary").click()
    form = box.locator("details.add-part form")
    for name, value in fields.items():
        form.locator(f"[name=new-{section}-{name}]").fill(value)
    for name, value in (selects or {}).items():
        form.locator(f"[name=new-{section}-{name}]").select_option(value)
    for label in checks:
        form.get_by_label(label).check()
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#section-{section} li.part-row")).to_have_count(before + 1)
    # The fresh add form takes the keyboard, ready for the next part.
    expect(page.locator(f"[name=new-{section}-code]")).to_be_focused()


def test_write_a_case_generate_criteria_run_a_workshop_and_download_the_memo(new_page, tmp_path):
    make_user("author")
    make_user("ana")
    page = new_page("author")

    # 1. The case itself.
    page.goto("/cases/new/")
    page.get_by_label("Title").fill("Dam on the upper river")
    page.get_by_label("Question").fill("Should the upstream state sign the treaty now?")
    page.get_by_label("Decider").fill("Upstream State")
    page.get_by_role("button", name="Create the case").click()
    expect(page.locator("h1")).to_have_text("Edit “Dam on the upper river”")
    case = Case.objects.get(title="Dam on the upper river")
    assert case.slug == "dam-on-the-upper-river"
    assert list(case.owners.values_list("username", flat=True)) == ["author"]

    # 2. Its parts, each added in place (htmx) without leaving the page.
    add_part(page, "principles", {"title": "Keep the peace",
                                  "statement": "No option may risk armed conflict."},
             checks=["A red line: options that breach it are ruled out"])
    add_part(page, "actors", {"name": "Downstream State"},
             selects={"kind": "state", "influence": "5", "stance": "-1"})
    add_part(page, "risks", {"title": "Armed clash at the border"},
             selects={"likelihood": "4", "impact": "5"}, checks=["A1 Downstream State"])
    add_part(page, "options", {"title": "Sign now"})
    add_part(page, "options", {"title": "Wait a year"})
    # A mistake is caught in place, and nothing is saved.
    box = page.locator("#section-options")
    box.locator("[name=new-options-code]").fill("O1")
    box.locator("[name=new-options-title]").fill("Duplicate")
    box.locator("details.add-part button[type=submit]").click()
    expect(box.locator(".errorlist")).to_contain_text("Another option already has the code O1.")
    assert case.options.count() == 2
    # Reorder: "Wait a year" up, by keyboard-reachable button.
    box.locator("li.part-row", has_text="Wait a year").get_by_role("button", name="Up").click()
    expect(box.locator("li.part-row").first).to_contain_text("Wait a year")
    assert list(case.options.values_list("code", flat=True)) == ["O2", "O1"]

    # 3. Criteria generated from the case: one per principle, serious risk, influential actor.
    page.get_by_role("link", name="Generate criteria from the principles, risks and actors").click()
    expect(page.locator("#proposals-h")).to_have_text("3 proposed criteria")
    page.get_by_role("button", name="Add the criteria I keep").click()
    expect(page.locator("#section-criteria li.part-row")).to_have_count(3)
    kinds = list(case.criteria.values_list("code", "kind"))
    assert kinds == [("C1", "alignment"), ("C2", "mitigation"), ("C3", "acceptability")]
    assert case.criteria.get(code="C1").red_line_threshold == 3

    # The case page shows the actor map and the risk heat map.
    page.get_by_role("link", name="View the case page").click()
    expect(page.locator("svg.actor-map")).to_contain_text("A1 Downstream State")
    expect(page.locator("svg.risk-heatmap")).to_contain_text("R1")

    # 4. A workshop on it, with one analyst who joins by link and scores every cell.
    page.goto(f"/cases/{case.slug}/workshops/new/")
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("link", name="Open scoring…").click()  # a page says what it will do
    page.get_by_role("button", name="Open scoring").click()
    page.get_by_role("button", name="Create a join link").click()
    join_url = page.locator("#join-url").input_value()
    workshop_url = page.url

    analyst = new_page("ana")
    analyst.goto(join_url)
    analyst.get_by_role("button", name="Join the workshop").click()
    cells = analyst.locator("td.cell")
    expect(cells).to_have_count(6)
    for i in range(6):
        cell = cells.nth(i)
        cell.locator("input.cell-value").fill(str(3 + i))
        cell.locator("textarea").fill(f"Reason {i + 1}")
        cell.locator("textarea").press("Tab")  # leaving the cell saves it
        expect(cell.locator(".cell-status")).to_contain_text("Saved")
    expect(analyst.locator("#my-progress")).to_contain_text("You have scored 6 of 6")
    assert Score.objects.count() == 6
    assert set(Score.objects.values_list("criterion__code", flat=True)) == {"C1", "C2", "C3"}

    # 5. The facilitator downloads the memo.
    page.goto(workshop_url)
    expect(page.locator("#live")).to_contain_text("6 / 6")
    memo_url = re.sub(r"/workshops/(\d+)/.*", r"/workshops/\1/memo.pdf", workshop_url)
    with page.expect_download(timeout=60_000) as download:
        page.evaluate("url => { window.location.href = url }", memo_url)
    path = tmp_path / "memo.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Upstream State" in text or "Dam on the upper river" in text
    assert Criterion.objects.filter(case=case).count() == 3


def test_every_authoring_step_works_without_javascript(browser, live_server):
    make_user("author")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "author")
    page.fill("input[name=password]", "pass-word-123")
    page.click("form button[type=submit]")
    page.goto("/cases/new/")
    page.get_by_label("Title").fill("No script case")
    page.get_by_label("Question").fill("Which way?")
    page.get_by_label("Decider").fill("Us")
    page.get_by_role("button", name="Create the case").click()
    case = Case.objects.get(slug="no-script-case")

    # Add: <details> opens without script; the plain POST redirects to the new row.
    for title in ("First", "Second"):
        box = page.locator("#section-principles")
        box.locator("details.add-part > summary").click()
        box.locator("[name=new-principles-title]").fill(title)
        box.locator("[name=new-principles-statement]").fill(f"{title} statement")
        box.locator("details.add-part button[type=submit]").click()
        expect(page.locator("#section-principles li.part-row", has_text=title)).to_be_visible()
    assert list(case.principles.values_list("code", "title")) == [("P1", "First"),
                                                                   ("P2", "Second")]
    # An error shows on a page of its own, the values kept.
    box = page.locator("#section-principles")
    box.locator("details.add-part > summary").click()
    box.locator("[name=new-principles-code]").fill("P1")
    box.locator("details.add-part button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Add a principle")
    expect(page.locator(".errorlist").first).to_contain_text("already has the code P1")
    page.get_by_role("link", name="Cancel").click()

    # Edit on a page of its own.
    row = page.locator("#section-principles li.part-row", has_text="First")
    row.get_by_role("link", name="Edit").click()
    expect(page.locator("h1")).to_have_text("Edit principle P1")
    page.get_by_label("Title").fill("First, renamed")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#section-principles")).to_contain_text("First, renamed")

    # Reorder with the buttons' plain POST.
    page.locator("#section-principles li.part-row", has_text="Second").get_by_role(
        "button", name="Up").click()
    expect(page.locator("#section-principles li.part-row").first).to_contain_text("Second")
    assert list(case.principles.values_list("code", flat=True)) == ["P2", "P1"]

    # Delete asks on a page of its own first.
    page.locator("#section-principles li.part-row", has_text="Second").get_by_role(
        "link", name="Delete").click()
    expect(page.locator("h1")).to_have_text("Delete principle P2?")
    expect(page.locator(".consequences")).to_contain_text("Nothing else in the case depends")
    page.get_by_role("button", name="Delete P2").click()
    expect(page.locator("#section-principles li.part-row")).to_have_count(1)

    # Generate criteria: the thresholds form and the checklist are plain forms.
    page.get_by_role("link", name="Generate criteria from the principles, risks and actors").click()
    page.get_by_role("button", name="Add the criteria I keep").click()
    expect(page.locator("#section-criteria li.part-row")).to_have_count(1)
    assert case.criteria.get().principle.code == "P1"
    context.close()
