"""Typing in the grid: an off-scale value is refused in the cell, Enter saves like Tab."""
import pytest
from playwright.sync_api import expect

from policy.models import Criterion, Score
from tests.factories import make_case, make_workshop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_off_scale_value_is_refused_in_the_cell_and_nothing_is_saved(new_page):
    workshop = make_workshop(make_case(options=2, criteria=1), analysts=1)
    page = new_page("ana1")
    page.goto(f"/workshops/{workshop.pk}/")
    cell = page.locator("td.cell").first
    cell.locator("input.cell-value").fill("11")
    cell.locator("input.cell-value").press("Tab")
    status = cell.locator(".cell-status")
    expect(status).to_contain_text("must be between 0 and 10")
    assert status.get_attribute("role") == "status"  # read out by screen readers
    assert Score.objects.filter(workshop=workshop).count() == 0
    assert cell.locator("input.cell-value").input_value() == "11"  # what was typed stays


def test_enter_in_a_score_box_saves_the_cell_without_leaving_the_page(new_page):
    workshop = make_workshop(make_case(options=2, criteria=1), analysts=1)
    page = new_page("ana1")
    url = f"/workshops/{workshop.pk}/"
    page.goto(url)
    page.evaluate("window.notReloaded = true")
    cell = page.locator("td.cell").nth(1)
    cell.locator("input.cell-value").fill("6")
    cell.locator("input.cell-value").press("Enter")
    expect(cell.locator(".cell-status")).to_contain_text("Saved")
    assert page.evaluate("window.notReloaded") is True  # no full-page post
    assert list(Score.objects.values_list("option__code", "value")) == [("O2", 6.0)]


def test_cost_criterion_input_says_lower_is_better(new_page):
    case = make_case(options=1, criteria=1)
    Criterion.objects.filter(case=case).update(direction="cost")
    workshop = make_workshop(case, analysts=1)
    page = new_page("ana1")
    page.goto(f"/workshops/{workshop.pk}/")
    label = page.locator("td.cell label").first.text_content()
    assert label.endswith(", lower is better")
