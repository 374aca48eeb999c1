"""A paced session in browsers: a facilitator, three analysts (one on a 360 px phone) and the
presenter screen, through three items, each answered, revealed, discussed and left; every
page of it checked with axe-core, and the phone never scrolls sideways."""
import time

import pytest
from playwright.sync_api import expect

from policy.models import HistoryEntry, Score
from policy.workshops import actions
from tests.e2e.test_accessibility import violations
from tests.factories import make_case, make_workshop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1920, "height": 1080}
PRESENTER_WITHIN = 2.0  # seconds: the presenter polls every 0.75-1.25 s
MEMBERS_WITHIN = 3.5  # seconds: every other page polls every 1.5-2.5 s


def answer(page, item: int, values: list[int]) -> None:
    """Score each option of the item on the page, with a reason, as a person would."""
    cells = page.locator(".paced-grid td.cell")
    expect(cells).to_have_count(len(values))
    for i, value in enumerate(values):
        cell = cells.nth(i)
        cell.locator("input.cell-value").fill(str(value))
        cell.locator("textarea").click()  # leaving the box saves it
        expect(cell.locator(".cell-status")).to_contain_text("Saved")
        cell.locator("textarea").fill(f"Reason {value} on item {item}")
        cell.locator("input.cell-value").click()  # leaving the reason saves it too
        expect(cell.locator(".cell-status")).to_contain_text("Saved")


def shown_after(locator, since: float, within: float) -> float:
    """Seconds from `since` until the locator shows: at most `within`, and half a second for
    the request that answers the poll on a loaded machine."""
    expect(locator).to_be_visible(timeout=max(0.1, since + within + 0.5 - time.monotonic()) * 1000)
    return round(time.monotonic() - since, 2)


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_paced_session_through_three_items(sized_page):
    workshop = make_workshop(make_case(options=3, criteria=3), analysts=3)
    actions.new_join_token(workshop.pk)
    url = f"/workshops/{workshop.pk}/"
    fac = sized_page("fac", LAPTOP)
    presenter = fac.context.new_page()
    presenter.set_viewport_size(PROJECTOR)
    analysts = {"ana1": sized_page("ana1", LAPTOP), "ana2": sized_page("ana2", LAPTOP),
                "ana3": sized_page("ana3", PHONE)}
    for page in [fac, *analysts.values()]:
        page.goto(url)
    presenter.goto(f"{url}present/")
    expect(analysts["ana3"].locator("#grid-h")).to_be_visible()  # the open grid, for now

    fac.get_by_role("button", name="Run item by item").click()
    expect(fac.locator(".paced-step")).to_contain_text("Item 1 of 3")
    for page in analysts.values():  # each page reloads itself onto the item
        expect(page.locator(".paced-step")).to_contain_text("Item 1 of 3", timeout=5000)
        expect(page.locator(".paced-anchors")).to_contain_text("None at all")
    expect(presenter.locator("#present-live")).to_contain_text("Item 1 of 3", timeout=3000)

    timings = []
    for item in (1, 2, 3):
        count = fac.locator("#paced-live .paced-count")
        expect(count).to_contain_text("0 of 3 analysts have answered")
        for n, (name, page) in enumerate(analysts.items(), start=1):
            answer(page, item, [item + n, 10 - n, 5])
            expect(count).to_contain_text(f"{n} of 3 analysts", timeout=5000)
        expect(presenter.locator(".present-count")).to_contain_text("3 of 3", timeout=3000)
        for page in analysts.values():  # nothing of the others' answers before the reveal
            expect(page.locator("#paced-live svg")).to_have_count(0)
        expect(presenter.locator(".present-chart")).to_have_count(0)
        if item == 1:
            no_sideways_scroll(analysts["ana3"])
            for page in (fac, analysts["ana3"], presenter):
                assert violations(page) == [], page.url

        fac.get_by_role("button", name="Reveal this item's answers").click()
        expect(fac.locator(".message.success")).to_contain_text("shown to the team")
        revealed = time.monotonic()
        timings.append(shown_after(presenter.locator(".present-chart svg"), revealed,
                                   PRESENTER_WITHIN))
        for page in analysts.values():
            chart = page.locator("#paced-live svg.dot-plot").locator("visible=true")
            timings.append(shown_after(chart, revealed, MEMBERS_WITHIN))
        phone = analysts["ana3"]
        expect(phone.locator("#paced-live .dots-narrow svg g[role=img]").first).to_have_attribute(
            "aria-label", f"O1 Option 1: 3 answers, {item + 1}, {item + 2}, {item + 3}; "
                          f"median {item + 2}")
        expect(presenter.locator(".present-chart circle")).to_have_count(9)
        # The discussion: each analyst's reasons, on any page.
        phone.locator(".paced-reasons summary").click()
        expect(phone.locator(".paced-reasons")).to_contain_text(f"ana1: Reason {item + 1} on item {item}")
        no_sideways_scroll(phone)
        if item == 1:
            for page in (analysts["ana1"], phone, presenter):
                assert violations(page) == [], page.url
            # The whole grid during paced mode, with its line naming the current item.
            grid = analysts["ana2"]
            grid.goto(f"{url}?view=criterion")
            expect(grid.locator("#item-h")).to_contain_text("Item 1 of 3: C1 Criterion 1")
            assert violations(grid) == [], grid.url
            grid.get_by_role("link", name="Go to the current item").click()
            expect(grid.locator(".paced-step")).to_contain_text("Item 1 of 3")
        if item < 3:
            fac.get_by_role("button", name="Next item").click()
            for page in analysts.values():
                expect(page.locator(".paced-step")).to_contain_text(f"Item {item + 1} of 3",
                                                                    timeout=5000)
                expect(page.locator("#paced-live svg")).to_have_count(0)  # hidden again

    print("seconds from reveal to the dot plot (presenter, ana1, ana2, ana3) per item:", timings)
    assert Score.objects.filter(workshop=workshop, round=1).count() == 27  # the grid's scores
    fac.get_by_role("button", name="Back to the open grid").click()
    for n, page in enumerate(analysts.values(), start=1):  # O1 on C1, answered in paced mode
        expect(page.locator("#grid-h")).to_be_visible(timeout=5000)
        expect(page.locator(".grid td.cell input.cell-value").first).to_have_value(str(1 + n))
    moves = list(HistoryEntry.objects.filter(workshop=workshop, kind__startswith="paced")
                 .order_by("id").values_list("kind", flat=True))
    assert moves == ["paced_start", "paced_reveal", "paced_move", "paced_reveal", "paced_move",
                     "paced_reveal", "paced_end"]
