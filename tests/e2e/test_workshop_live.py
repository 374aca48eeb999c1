"""Three analysts score one workshop at once, each in their own browser."""
import pytest
from playwright.sync_api import expect

from policy.models import Score
from tests.factories import make_case, make_workshop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_three_analysts_see_each_others_progress_without_reload(new_page):
    workshop = make_workshop(make_case(options=3, criteria=2), analysts=3)
    url = f"/workshops/{workshop.pk}/"
    pages = {name: new_page(name) for name in ("ana1", "ana2", "ana3")}
    for page in pages.values():
        page.goto(url)
        expect(page.locator("#live")).to_contain_text("0 / 6")

    ana1 = pages["ana1"]
    first = ana1.locator("td.cell").first
    first.locator("input.cell-value").fill("7")
    first.locator("textarea").click()  # leaving the value fires change: the cell saves
    expect(first.locator(".cell-status")).to_contain_text("Saved")
    first.locator("textarea").fill("Strong fit with the principle")
    first.locator("textarea").press("Tab")  # on to the next cell's score
    expect(ana1.locator("#my-progress")).to_contain_text("You have scored 1 of 6")
    focused_id = ana1.evaluate("document.activeElement.id")
    assert focused_id.startswith("value-")  # Tab moved to the next cell

    pages["ana2"].locator("td.cell input.cell-value").nth(1).fill("4")
    pages["ana2"].locator("td.cell textarea").nth(1).click()

    # Everyone's page shows both saves within the poll interval, without a reload.
    for page in pages.values():
        row1 = page.locator("#live tr", has_text="ana1")
        row2 = page.locator("#live tr", has_text="ana2")
        expect(row1).to_contain_text("1 / 6", timeout=5000)
        expect(row2).to_contain_text("1 / 6", timeout=5000)
    assert Score.objects.get(analyst__username="ana1").rationale == "Strong fit with the principle"


def test_out_of_scale_value_shows_error_in_cell_and_saves_nothing(new_page):
    workshop = make_workshop(make_case(options=2, criteria=1), analysts=1)
    page = new_page("ana1")
    page.goto(f"/workshops/{workshop.pk}/")
    cell = page.locator("td.cell").first
    # Typed past the browser's own min/max check, as a script or an old browser could.
    cell.locator("input.cell-value").evaluate("e => { e.removeAttribute('max'); }")
    cell.locator("input.cell-value").fill("12")
    cell.locator("textarea").click()
    expect(cell.locator(".cell-status")).to_contain_text("must be between 0 and 10")
    assert Score.objects.count() == 0
    expect(cell.locator("input.cell-value")).to_have_value("12")  # nothing the user typed is lost


def test_polls_are_spread_out_not_in_lockstep(new_page):
    import time

    workshop = make_workshop(make_case(options=2, criteria=1), analysts=1)
    page = new_page("ana1")
    sent = []
    page.on("request", lambda r: sent.append(time.monotonic()) if "/poll/" in r.url else None)
    loaded = time.monotonic()
    page.goto(f"/workshops/{workshop.pk}/")
    page.wait_for_timeout(9000)
    gaps = [b - a for a, b in zip(sent, sent[1:])]
    assert sent and sent[0] - loaded < 3.5  # the first poll comes within the first interval
    assert len(gaps) >= 3
    # 1.5-2.5 s after each answer (plus the answer's own time, which a loaded machine stretches)
    assert all(1.45 <= gap <= 4.0 for gap in gaps), gaps
    assert max(gaps) - min(gaps) > 0.05, gaps  # jittered, not a fixed period
