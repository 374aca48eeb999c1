"""htmx under the content security policy: a whole workshop's flow raises no violation and no
console error in the browser."""
import pytest
from playwright.sync_api import expect

from tests.factories import make_case, make_workshop, score

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs in every document of the context before the page's own scripts. The binding outlives
# reloads (the analyst's page reloads itself at the reveal), where a list kept in the page
# would not.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => window.reportViolation({
  directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
  line: e.lineNumber, sample: e.sample, page: location.pathname,
}));
"""


def watched_page(new_page, username, violations, console):
    page = new_page()
    page.context.expose_binding("reportViolation", lambda source, v: violations.append(v))
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: console.append((username, m.type, m.text))
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: console.append((username, "pageerror", str(error))))
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_scoring_polling_reveal_and_weights_raise_no_policy_violation(new_page):
    workshop = make_workshop(make_case(options=3, criteria=2), analysts=2)
    cells = [(o, c) for o in ("O1", "O2", "O3") for c in ("C1", "C2")]
    for (option, criterion), value in zip(cells, [7, 3, 6, 1, 2, 8]):
        score(workshop, "ana2", option, criterion, value, "because")
    for (option, criterion), value in zip(cells[1:], [2, 5, 5, 1, 9]):
        score(workshop, "ana1", option, criterion, value, "because")
    workshop.bump()
    url = f"/workshops/{workshop.pk}/"
    violations, console = [], []
    facilitator = watched_page(new_page, "fac", violations, console)
    analyst = watched_page(new_page, "ana1", violations, console)
    facilitator.goto(url)
    analyst.goto(url)

    # The analyst scores the last cell (an htmx post and swap)...
    cell = analyst.locator("td.cell").first
    cell.locator("input.cell-value").fill("8")
    cell.locator("textarea").click()
    expect(cell.locator(".cell-status")).to_contain_text("Saved")
    # ...and the facilitator's page shows it on its next poll (an out-of-band swap).
    expect(facilitator.locator("#live tr", has_text="ana1")).to_contain_text("6 / 6", timeout=6000)

    # The join link's field selects itself on a click (static/js/app.js, no inline handler).
    facilitator.get_by_role("button", name="Create a join link").click()
    field = facilitator.locator("#join-url")
    field.click()
    assert field.evaluate("e => [e.selectionStart, e.selectionEnd]") == [
        0, len(field.input_value())]

    facilitator.get_by_role("link", name="Reveal scores to the team…").click()
    facilitator.get_by_role("button", name="Reveal scores to the team").click()
    expect(analyst.locator("#results-summary")).to_be_visible(timeout=6000)  # HX-Refresh

    facilitator.goto(f"/workshops/{workshop.pk}/weights/")
    facilitator.fill("#id_w_C1", "0")
    facilitator.fill("#id_w_C2", "10")
    facilitator.locator("#id_w_C2").press("Tab")
    expect(facilitator.locator("#weights-preview tbody tr").first).to_contain_text("O3",
                                                                                  timeout=5000)

    # The heat map's shades are classes from app.css, drawn without style attributes.
    facilitator.goto(f"/workshops/{workshop.pk}/results/")
    shaded = facilitator.locator("td.heat-cell:not(.shade-0)").first
    assert shaded.evaluate("e => getComputedStyle(e).backgroundColor").startswith("rgba(181, 9, 9")

    assert violations == []
    assert console == []

    # The watch itself works: an inline style attribute is reported.
    facilitator.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    for _ in range(20):  # the report arrives through the binding, a moment later
        if violations:
            break
        facilitator.wait_for_timeout(100)
    assert [v["directive"] for v in violations] == ["style-src-attr"]


def test_memo_link_says_what_it_does_without_inline_handlers(new_page):
    workshop = make_workshop(make_case(options=2, criteria=2), analysts=1, revealed=True)
    for option, criterion, value in [("O1", "C1", 7), ("O1", "C2", 3), ("O2", "C1", 4),
                                     ("O2", "C2", 6)]:
        score(workshop, "ana1", option, criterion, value, "because")
    workshop.bump()
    violations, console = [], []
    page = watched_page(new_page, "ana1", violations, console)
    page.goto(f"/workshops/{workshop.pk}/results/")
    link = page.get_by_role("link", name="Download memo (PDF)")
    assert link.get_attribute("hx-on::before-request") is None
    with page.expect_download(timeout=60000) as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    expect(page.locator("#memo-status")).to_have_text(
        "The memo is ready: your download has started.")
    assert violations == []
    assert console == []
