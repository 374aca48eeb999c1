"""axe-core on the pages a team uses all day: no violations (Section 508 / WCAG 2.1 AA)."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from policy.workshops import actions
from policy.models import Workshop
from tests.factories import make_case, make_workshop, score

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list[str]:
    result = Axe().run(page, options=WCAG)
    return [
        f'{v["id"]}: {v["help"]} ({len(v["nodes"])}x, e.g. {v["nodes"][0]["target"]})'
        for v in result.response["violations"]
    ]


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=3, criteria=2), analysts=2)
    score(ws, "ana1", "O1", "C1", 7, "reason one")
    score(ws, "ana2", "O1", "C1", 2, "reason two")
    Workshop.objects.filter(pk=ws.pk).update(revealed=True)
    return ws


def test_public_pages(new_page, workshop):
    page = new_page()
    for url in ("/", "/accounts/login/", "/accounts/signup/", f"/cases/{workshop.case.slug}/"):
        page.goto(url)
        assert violations(page) == [], url


def test_analyst_grid_in_round_two(new_page, workshop):
    actions.start_next_round(workshop.pk)
    page = new_page("ana1")
    page.goto(f"/workshops/{workshop.pk}/")
    assert violations(page) == []


def test_signed_in_home_has_one_h1_and_a_flash_message_passes(new_page, workshop):
    page = new_page("fac")
    page.goto("/")
    assert page.locator("h1").count() == 1
    # A flash message: saving weights without JavaScript redirects with one.
    page.goto(f"/workshops/{workshop.pk}/")
    page.goto(f"/workshops/{workshop.pk}/weights/")
    page.evaluate("document.querySelectorAll('[hx-post]').forEach(e => e.removeAttribute('hx-post'))")
    page.get_by_role("button", name="Save weights").click()
    page.wait_for_load_state()
    assert page.locator(".messages li").count() >= 1
    assert violations(page) == []


def test_weights_page_at_a_narrow_width(new_page):
    # Pairwise comparisons of five criteria: a table wider than a phone, which scrolls.
    workshop = make_workshop(make_case(options=2, criteria=5), analysts=1, weighting="ahp")
    page = new_page("fac")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/workshops/{workshop.pk}/weights/")
    assert violations(page) == []


def test_facilitator_pages(new_page, workshop):
    page = new_page("fac")
    for url in (f"/workshops/{workshop.pk}/", f"/workshops/{workshop.pk}/results/",
                f"/workshops/{workshop.pk}/weights/"):
        page.goto(url)
        assert violations(page) == [], url


def test_lifecycle_pages(new_page, workshop):
    """The confirmation of a step, the history, and an error page."""
    actions.set_status(workshop.pk, "closed")
    page = new_page("fac")
    pk = workshop.pk
    for url in (f"/workshops/{pk}/status/?status=locked", f"/workshops/{pk}/reveal/?revealed=0",
                f"/workshops/{pk}/history/", "/workshops/999999/"):
        page.goto(url)
        assert violations(page) == [], url
