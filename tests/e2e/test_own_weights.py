"""In a browser: the facilitator lets analysts weight the criteria, an analyst's change saves
by htmx and their shares update, and after the reveal the results show the spread."""
import pytest
from playwright.sync_api import expect

from policy.models import AnalystWeight, Workshop
from tests.factories import make_case, make_workshop, score

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_analysts_weight_the_criteria_and_the_results_show_their_spread(new_page):
    workshop = make_workshop(make_case(options=2, criteria=2), analysts=2)
    for analyst in ("ana1", "ana2"):
        for option, c1, c2 in (("O1", 10, 0), ("O2", 0, 10)):
            score(workshop, analyst, option, "C1", c1)
            score(workshop, analyst, option, "C2", c2)

    facilitator = new_page("fac")
    facilitator.goto(f"/workshops/{workshop.pk}/weights/")
    facilitator.get_by_role("button", name="Let analysts weight the criteria").click()
    expect(facilitator.locator(".messages")).to_contain_text("Analysts now weight")

    for name, c1, c2 in (("ana1", "9", "1"), ("ana2", "3", "7")):
        analyst = new_page(name)
        analyst.goto(f"/workshops/{workshop.pk}/")
        analyst.get_by_role("link", name="Your weights").click()
        # Each change saves by htmx and swaps the form: one field at a time, as a person
        # who watches their shares move would.
        for field, value in (("#id_w_C1", c1), ("#id_w_C2", c2)):
            analyst.fill(field, value)
            analyst.locator(field).press("Tab")
            expect(analyst.locator(field)).to_have_value(value, timeout=5000)
            analyst.wait_for_load_state("networkidle")
        expect(analyst.locator("#my-weights-preview tbody tr").first).to_contain_text(
            f"{int(c1) * 10}%", timeout=5000)
    assert AnalystWeight.objects.count() == 4

    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    analyst.goto(f"/workshops/{workshop.pk}/results/")
    spread = analyst.locator("#weights-spread-h + p + .table-wrap tbody tr").first
    expect(spread).to_contain_text("60%")  # the group's: the mean of 90% and 30%
    expect(spread).to_contain_text("30%")
    expect(spread).to_contain_text("90%")
