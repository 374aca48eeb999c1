"""The weights page in a browser: an AHP judgement set with the keyboard alone, and a weight
slider kept in step with its number box; both saved as they change, with no policy violation."""
import pytest
from playwright.sync_api import expect

from policy.models import Weight, Workshop
from tests.factories import make_case, make_workshop, score

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def scored_workshop(**fields):
    workshop = make_workshop(make_case(options=2, criteria=3), analysts=1, **fields)
    for criterion, (first, second) in {"C1": (8, 2), "C2": (3, 7), "C3": (5, 5)}.items():
        score(workshop, "ana1", "O1", criterion, first, "because")
        score(workshop, "ana1", "O2", criterion, second, "because")
    return workshop


def watched(page) -> list[str]:
    problems = []
    page.on("console", lambda m: problems.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_ahp_judgements_with_the_keyboard(new_page):
    workshop = scored_workshop(weighting="ahp")
    page = new_page("fac")
    problems = watched(page)
    page.goto(f"/workshops/{workshop.pk}/weights/")
    first = page.get_by_role("group", name="C1 Criterion 1 or C2 Criterion 2")
    # The group's checked radio ("not compared") takes the focus; arrows move the choice and
    # wrap round to the first: C1 extremely more important.
    first.get_by_role("radio", name="not compared").focus()
    page.keyboard.press("ArrowRight")
    expect(first.get_by_role("radio", name="C1 extremely more important")).to_be_checked()
    # Saving waits for the other spanning pair: the page says which criterion is unlinked.
    expect(page.locator("#weights-form .errorlist")).to_contain_text(
        "Not saved yet: C3 is not compared with C1 Criterion 1")
    page.keyboard.press("ArrowRight")  # C1 very strongly
    # Tab leaves the group for the next pair's checked radio; left from "not compared" is C3
    # extremely, then C3 very strongly more important.
    page.keyboard.press("Tab")
    second = page.get_by_role("group", name="C1 Criterion 1 or C3 Criterion 3")
    expect(second.get_by_role("radio", name="not compared")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(second.get_by_role("radio", name="C3 very strongly more important")).to_be_checked()
    expect(second.get_by_role("radio", name="C3 very strongly more important")).to_be_focused()
    expect(page.locator("#weights-form .errorlist")).to_have_count(0)
    # 7 : 1 and 1 : 7, so C3 = 49 C2: weights 7/57, 1/57, 49/57.
    expect(page.locator("#weights-preview")).to_contain_text("86%")
    expect(first.get_by_role("radio", name="C1 very strongly more important")).to_be_checked()
    judgements = Workshop.objects.get(pk=workshop.pk).ahp_judgements
    assert judgements == {"C1|C2": 7, "C1|C3": pytest.approx(1 / 7)}
    assert problems == []


def test_a_weight_slider_moves_its_number_and_saves(new_page):
    workshop = scored_workshop(weighting="swing")
    page = new_page("fac")
    problems = watched(page)
    page.goto(f"/workshops/{workshop.pk}/weights/")
    page.fill("#id_w_C1", "100")
    page.fill("#id_w_C2", "50")
    page.fill("#id_w_C3", "20")
    page.locator("#id_w_C3").press("Tab")  # change: saved
    slider = page.get_by_role("slider", name="C2 Criterion 2")
    expect(slider).to_be_visible()
    expect(slider).to_have_value("50")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#id_w_C2")).to_have_value("55")
    expect(page.locator("#weights-preview")).to_contain_text("31%")  # 55 / 175
    assert dict(Weight.objects.filter(workshop=workshop).values_list(
        "criterion__code", "value")) == {"C1": 100, "C2": 55, "C3": 20}
    # Typing in the box moves the slider.
    page.fill("#id_w_C2", "80")
    expect(slider).to_have_value("80")
    assert problems == []


def test_ahp_page_with_its_consistency_check_passes_axe(new_page):
    from tests.e2e.test_accessibility import violations

    workshop = scored_workshop(weighting="ahp")
    Workshop.objects.filter(pk=workshop.pk).update(
        ahp_judgements={"C1|C2": 3, "C1|C3": 5, "C2|C3": 1 / 2})
    workshop.bump()
    page = new_page("fac")
    page.goto(f"/workshops/{workshop.pk}/weights/")
    expect(page.locator(".ahp-furthest li")).to_have_count(3)
    page.get_by_text("More comparisons (optional)").click()
    expect(page.get_by_role("radio", name="C3 equal to moderately more important")).to_be_checked()
    assert violations(page) == []
