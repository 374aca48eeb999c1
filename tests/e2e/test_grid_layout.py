"""The grid at a glance (1366x768) and on a phone (360x740): what is in view, keys, growing
rationale boxes, the join link's copy button, the view by option, and axe-core at both sizes."""
import pytest
from playwright.sync_api import expect

from policy.cases.casefile import import_case, load_file
from policy.models import Score, Workshop
from tests.e2e.test_accessibility import violations
from tests.factories import make_case, make_workshop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def central_asia():
    """The shipped case: seven options, eighteen criteria."""
    case = import_case(load_file("fixtures/central-asia-2012.json"))
    return make_workshop(case, analysts=1)


def in_view(page) -> dict:
    """What of the grid is on screen, once the grid's frame is scrolled to the top of the page."""
    page.locator(".grid-wrap").evaluate("e => e.scrollIntoView()")
    return page.evaluate("""() => {
        const box = (e) => e.getBoundingClientRect();
        const heads = [...document.querySelectorAll(".grid thead th")];
        const rows = [...document.querySelectorAll(".grid tbody th")];
        const frame = document.querySelector(".grid-wrap");
        return {
            options: heads.length - 1,
            last_option_right: box(heads[heads.length - 1]).right,
            frame_scrolls_sideways: frame.scrollWidth > frame.clientWidth,
            page_width: document.documentElement.scrollWidth,
            rows_in_view: rows.filter(r => box(r).top >= 0 && box(r).bottom <= innerHeight).length,
        };
    }""")


def test_at_1366_all_seven_options_and_four_criteria_are_in_view(sized_page, central_asia):
    page = sized_page("ana1", LAPTOP)
    page.goto(f"/workshops/{central_asia.pk}/")
    seen = in_view(page)
    assert seen["options"] == 7
    assert seen["last_option_right"] <= LAPTOP["width"]
    assert seen["frame_scrolls_sideways"] is False
    assert seen["page_width"] <= LAPTOP["width"]
    assert seen["rows_in_view"] >= 4


def test_the_header_row_and_first_column_stay_while_the_grid_scrolls(sized_page, central_asia):
    page = sized_page("ana1", LAPTOP)
    page.goto(f"/workshops/{central_asia.pk}/?view=option")  # eighteen columns: scrolls both ways
    frame = page.locator(".grid-wrap")
    assert frame.get_attribute("role") == "region"
    assert frame.get_attribute("tabindex") == "0"
    assert frame.get_attribute("aria-label") == "Scoring grid, by option"
    frame.evaluate("e => e.scrollIntoView()")
    frame.evaluate("e => e.scrollTo(600, 500)")
    tops = page.evaluate("""() => [
        document.querySelector('.grid-wrap').getBoundingClientRect().top,
        document.querySelector('.grid thead th:nth-child(3)').getBoundingClientRect().top,
        document.querySelector('.grid-wrap').getBoundingClientRect().left,
        document.querySelector('.grid tbody tr:nth-child(5) th').getBoundingClientRect().left]""")
    frame_top, header_top, frame_left, row_head_left = tops
    assert abs(header_top - (frame_top + 1)) <= 1  # the header row at the frame's top edge
    assert abs(row_head_left - (frame_left + 1)) <= 1  # the option's name at its left edge


def test_scale_wording_opens_on_demand_and_descriptions_point_at_text(sized_page, central_asia):
    page = sized_page("ana1", LAPTOP)
    page.goto(f"/workshops/{central_asia.pk}/")
    first_row = page.locator(".grid tbody th").first
    expect(first_row).to_contain_text("0–10")  # the range is always in view
    wording = first_row.get_by_text("Ignores or condones unfair elections")
    expect(wording).to_be_hidden()
    first_row.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(wording).to_be_visible()
    missing = page.evaluate("""() => [...document.querySelectorAll('.grid input.cell-value')]
        .flatMap(i => i.getAttribute('aria-describedby').split(' '))
        .filter(id => !document.getElementById(id) ||
                      (!id.startsWith('status-') && !document.getElementById(id).textContent.trim()))""")
    assert missing == []


def test_phone_has_no_sideways_scrolling_and_large_score_boxes(sized_page, central_asia):
    page = sized_page("ana1", PHONE)
    page.goto(f"/workshops/{central_asia.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heights = page.locator("input.cell-value").evaluate_all(
        "boxes => boxes.map(b => b.getBoundingClientRect().height)")
    assert len(heights) == 126 and min(heights) >= 44
    # Stacked, each cell says which option it is.
    first = page.locator("td.cell").first
    expect(first.locator(".cell-heading")).to_be_visible()
    expect(first.locator(".cell-heading")).to_have_text("O1 Principled multilateral engagement")


def test_arrow_keys_move_between_score_boxes(sized_page):
    workshop = make_workshop(make_case(options=3, criteria=3), analysts=1)
    page = sized_page("ana1", LAPTOP)
    page.goto(f"/workshops/{workshop.pk}/")

    def focused():
        return page.evaluate("document.activeElement.id")

    def box(option, criterion):
        return page.locator(f".grid tbody tr:nth-child({criterion}) td:nth-of-type({option}) "
                            "input.cell-value").get_attribute("id")

    page.locator(f"#{box(1, 1)}").focus()
    page.keyboard.press("ArrowLeft")  # nothing to the left: stays
    assert focused() == box(1, 1)
    page.keyboard.press("ArrowRight")
    assert focused() == box(2, 1)
    page.keyboard.press("ArrowDown")
    assert focused() == box(2, 2)
    page.keyboard.type("7")
    page.keyboard.press("ArrowLeft")  # the cursor moves within "7" first
    assert focused() == box(2, 2)
    page.keyboard.press("Control+ArrowLeft")  # with Ctrl: the cell beside
    assert focused() == box(1, 2)
    page.keyboard.press("ArrowUp")
    assert focused() == box(1, 1)
    expect(page.locator("#grid-keys")).to_contain_text("Ctrl with an arrow")
    # Leaving the box saved it, as Tab does.
    expect(page.locator(".cell-status").nth(4)).to_contain_text("Saved")
    assert list(Score.objects.values_list("option__code", "criterion__code", "value")) == [
        ("O2", "C2", 7.0)]


def test_the_rationale_box_grows_to_show_what_is_typed(sized_page):
    workshop = make_workshop(make_case(options=3, criteria=2), analysts=1)
    page = sized_page("ana1", LAPTOP)
    page.goto(f"/workshops/{workshop.pk}/")
    box = page.locator("textarea.cell-rationale").first
    before = box.bounding_box()["height"]
    box.fill("The option keeps the principle in every case we examined, " * 6)
    after = box.bounding_box()["height"]
    assert after > before + 60
    assert box.evaluate("e => e.scrollHeight <= e.clientHeight + 1")  # nothing hidden


def test_copy_button_puts_the_join_link_on_the_clipboard(sized_page):
    workshop = make_workshop(make_case(), analysts=1)
    Workshop.objects.filter(pk=workshop.pk).update(join_token="tok-for-copy")
    page = sized_page("fac", LAPTOP, permissions=("clipboard-read", "clipboard-write"))
    page.goto(f"/workshops/{workshop.pk}/")
    link = page.locator("#join-url").input_value()
    assert link.endswith("/join/tok-for-copy/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#join-url-copied")).to_have_text("Copied")
    assert page.locator("#join-url-copied").get_attribute("role") == "status"
    assert page.evaluate("navigator.clipboard.readText()") == link


def test_the_view_by_option_has_the_same_cells_and_saves_them(sized_page, central_asia):
    page = sized_page("ana1", LAPTOP)
    page.goto(f"/workshops/{central_asia.pk}/")
    by_criterion = page.locator("input.cell-value").evaluate_all("boxes => boxes.map(b => b.id)")
    page.get_by_role("link", name="By option").click()
    page.wait_for_url("**/?view=option")
    expect(page.get_by_role("link", name="By option")).to_have_attribute("aria-current", "page")
    by_option = page.locator("input.cell-value").evaluate_all("boxes => boxes.map(b => b.id)")
    assert len(by_option) == 126 and sorted(by_option) == sorted(by_criterion)
    # The second cell of the first row: option O1 on criterion C2.
    cell = page.locator("td.cell").nth(1)
    cell.locator("input.cell-value").fill("4")
    cell.locator("textarea").fill("Some support, in private")
    cell.locator("textarea").press("Tab")
    expect(cell.locator(".cell-status")).to_contain_text("Saved")
    assert list(Score.objects.values_list("option__code", "criterion__code", "value", "rationale")) == [
        ("O1", "C2", 4.0, "Some support, in private")]


def test_without_a_clipboard_the_copy_button_selects_the_link(sized_page):
    workshop = make_workshop(make_case(), analysts=1)
    Workshop.objects.filter(pk=workshop.pk).update(join_token="tok-for-copy")
    page = sized_page("fac", LAPTOP)
    page.context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(f"/workshops/{workshop.pk}/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#join-url-copied")).to_have_text("Selected: press Ctrl+C (or ⌘C) to copy")
    field = page.locator("#join-url")
    assert field.evaluate("e => [document.activeElement === e, e.selectionStart, e.selectionEnd]") == [
        True, 0, len(field.input_value())]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "360"])
@pytest.mark.parametrize("view", ["criterion", "option"])
def test_the_grid_passes_axe(sized_page, central_asia, viewport, view):
    page = sized_page("ana1", viewport)
    page.goto(f"/workshops/{central_asia.pk}/?view={view}")
    if not (view == "option" and viewport == PHONE):  # there the criteria head each cell
        page.locator(".grid summary").first.click()  # one criterion's wording open
    assert violations(page) == []


# As if the browser did not know field-sizing: app.js sizes the box from a script instead.
WITHOUT_FIELD_SIZING = """
const supports = CSS.supports.bind(CSS);
CSS.supports = (...args) => !String(args[0]).startsWith("field-sizing") && supports(...args);
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("textarea.cell-rationale").forEach((e) => { e.style.fieldSizing = "fixed"; });
});
"""


def test_without_field_sizing_the_script_grows_the_rationale_box(sized_page):
    workshop = make_workshop(make_case(options=3, criteria=2), analysts=1)
    page = sized_page("ana1", LAPTOP)
    page.context.add_init_script(WITHOUT_FIELD_SIZING)
    page.goto(f"/workshops/{workshop.pk}/")
    box = page.locator("textarea.cell-rationale").first
    assert box.evaluate("e => getComputedStyle(e).fieldSizing") == "fixed"
    before = box.bounding_box()["height"]
    box.fill("The option keeps the principle in every case we examined, " * 6)
    assert box.bounding_box()["height"] > before + 60
    assert box.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
