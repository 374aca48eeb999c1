"""The facilitator reveals, sets weights, and the ranking on the page equals `results --json`."""
import io
import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import make_case, make_workshop, score

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def ranking_on_page(page) -> list[tuple[str, str]]:
    rows = page.locator("#results-summary tbody tr")
    return [
        (rows.nth(i).locator("td .code").inner_text(), rows.nth(i).locator("td").nth(2).inner_text())
        for i in range(rows.count())
    ]


def test_reveal_weights_and_ranking_equal_results_json(new_page):
    workshop = make_workshop(make_case(options=3, criteria=2), analysts=2)
    for analyst, values in {"ana1": [8, 2, 5, 5, 1, 9], "ana2": [7, 3, 6, 1, 2, 8]}.items():
        cells = [(o, c) for o in ("O1", "O2", "O3") for c in ("C1", "C2")]
        for (option, criterion), value in zip(cells, values):
            score(workshop, analyst, option, criterion, value, "because")
    workshop.bump()
    url = f"/workshops/{workshop.pk}/"

    analyst = new_page("ana1")
    analyst.goto(url)
    expect(analyst.locator("#results-summary")).to_have_count(0)  # hidden before reveal

    facilitator = new_page("fac")
    facilitator.goto(url)
    facilitator.get_by_role("link", name="Reveal scores to the team…").click()
    expect(facilitator.locator("h1")).to_have_text("Reveal scores to the team?")
    facilitator.get_by_role("button", name="Reveal scores to the team").click()
    expect(facilitator.locator(".messages")).to_contain_text("revealed")

    # The analyst's page reloads itself on the state change and shows the group results.
    expect(analyst.locator("#results-summary")).to_be_visible(timeout=6000)

    facilitator.goto(f"/workshops/{workshop.pk}/weights/")
    facilitator.fill("#id_w_C1", "0")
    facilitator.fill("#id_w_C2", "10")
    facilitator.locator("#id_w_C2").press("Tab")  # change: saved by htmx, preview swaps
    expect(facilitator.locator("#weights-preview tbody tr").first).to_contain_text("O3", timeout=5000)

    out = io.StringIO()
    call_command("results", str(workshop.pk), "--json", stdout=out)
    expected = [
        (row["option"], f'{row["total"]:.3f}')
        for row in json.loads(out.getvalue())["ranking"] if row["status"] == "ranked"
    ]
    # The analyst's page picks the new weights up on its next poll, without a reload.
    expect(analyst.locator("#results-summary tbody tr").first).to_contain_text(expected[0][0], timeout=6000)
    assert ranking_on_page(analyst) == expected
