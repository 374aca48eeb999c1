"""A workshop's whole lifecycle in the browser, as a facilitator and three analysts run it on the
shipped Central Asia case (issue 11's "Done when"): create, join by link (one analyst through
sign-up), score, reveal, round 2 carried forward, one change, complete results for round 2 with
round 1 still readable, lock, and every analyst's memo said as `results --round N --json` says.

Most of round 1 is written with the ORM to keep the test fast; each analyst scores one cell in
the browser, with its rationale."""
import io
import json
import re
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from policy.cases.casefile import import_case
from policy.models import Score, Workshop
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "central-asia-2012.json"
PASSWORD = "pass-word-123"
RELOAD = 12_000  # ms: a poll, the page's random wait and the reload, on a busy machine


def value(analyst: int, option: int, criterion: int) -> float:
    """A spread of scores from 3 to 9, the same every run."""
    return float((option * 3 + criterion * 5 + analyst * 2) % 7 + 3)


def results_json(workshop_id: int, round_: int) -> dict:
    out = io.StringIO()
    call_command("results", str(workshop_id), "--round", str(round_), "--json", stdout=out)
    return json.loads(out.getvalue())


def pdf_text(path) -> str:
    """The memo's text as read: whitespace collapsed."""
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


def cell_form(page, option, criterion):
    """One cell of the grid, found by its score box's label (not by the grid's layout)."""
    label = re.compile(rf"^Score for {re.escape(option.title)} on {re.escape(criterion.title)},")
    box = page.get_by_label(label)
    return box, box.locator("xpath=ancestor::form[1]")


def score_in_browser(page, option, criterion, number: str, rationale: str):
    """Type a score and its rationale; leaving the rationale saves the cell with both."""
    box, form = cell_form(page, option, criterion)
    box.fill(number)
    form.get_by_label(re.compile("^Rationale for")).fill(rationale)

    def carries_rationale(response):
        return ("/cells/" in response.url and response.request.method == "POST"
                and "rationale=" + rationale.split()[0] in (response.request.post_data or ""))

    with page.expect_response(carries_rationale) as saved:
        form.get_by_label(re.compile("^Rationale for")).press("Tab")
    assert saved.value.ok
    expect(form.get_by_role("status")).to_contain_text("Saved")


def confirm_step(page, workshop_url: str, label: str):
    """A facilitator's step: the link on the workshop page, then the confirmation page's button."""
    page.goto(workshop_url)
    page.get_by_role("link", name=f"{label}…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{label}?")
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_url(re.compile(rf"{workshop_url}$"))


def test_a_workshop_from_join_link_to_locked_memo(new_page, tmp_path):
    case = import_case(json.loads(FIXTURE.read_text(encoding="utf-8")))
    for name in ("fac", "ana1", "ana2"):
        make_user(name)
    options, criteria = list(case.options.all()), list(case.criteria.all())

    # The facilitator opens a workshop on the shipped case, makes a join link, opens scoring.
    fac = new_page("fac")
    fac.goto("/")
    fac.get_by_role("link", name="Open a workshop on this case").click()
    fac.get_by_label("Title").fill("Central Asia options")
    fac.get_by_role("button", name="Create workshop").click()
    expect(fac.get_by_role("heading", level=1)).to_have_text("Central Asia options")
    workshop = Workshop.objects.get(title="Central Asia options")
    assert workshop.status == Workshop.Status.DRAFT
    url = f"/workshops/{workshop.pk}/"
    # A draft with no scores offers no reveal, round or lock.
    for label in ("Reveal scores to the team…", "Start round 2…", "Lock the workshop…"):
        expect(fac.get_by_role("link", name=label)).to_have_count(0)
    fac.get_by_role("button", name="Create a join link").click()
    join_url = fac.locator("#join-url").input_value()
    assert "/join/" in join_url
    confirm_step(fac, url, "Open scoring")

    # Two analysts with accounts join by the link...
    analysts = {}
    for name in ("ana1", "ana2"):
        page = new_page(name)
        page.goto(join_url)
        page.get_by_role("button", name="Join the workshop").click()
        expect(page.get_by_role("heading", name=re.compile("^Your scores, round 1"))).to_be_visible()
        analysts[name] = page
    # ...and the third has none: the link leads to log-in, log-in to sign-up, sign-up into the
    # workshop as an analyst.
    ana3 = new_page()
    ana3.goto(join_url)
    expect(ana3).to_have_url(re.compile(r"/accounts/login/\?next="))
    ana3.get_by_role("link", name="Sign up").click()
    expect(ana3.get_by_text("you join “Central Asia options” as an analyst")).to_be_visible()
    ana3.get_by_label("Username").fill("ana3")
    ana3.get_by_label("Password", exact=True).fill(PASSWORD)
    ana3.get_by_label("Password confirmation").fill(PASSWORD)
    ana3.get_by_role("button", name="Create account").click()
    expect(ana3).to_have_url(re.compile(rf"{url}$"))
    expect(ana3.get_by_role("heading", name=re.compile("^Your scores, round 1"))).to_be_visible()
    analysts["ana3"] = ana3
    assert sorted(workshop.memberships.filter(role="analyst")
                  .values_list("user__username", flat=True)) == ["ana1", "ana2", "ana3"]

    # Round 1: everything but one cell each is written here; that cell is scored in the page.
    by_hand = {"ana1": (0, 0), "ana2": (1, 2), "ana3": (2, 4)}
    Score.objects.bulk_create(
        Score(workshop=workshop, round=1, analyst=workshop.memberships.get(user__username=name).user,
              option=option, criterion=criterion, value=value(a, o, c),
              rationale=f"{name} on {option.code}/{criterion.code}")
        for a, name in enumerate(analysts)
        for o, option in enumerate(options)
        for c, criterion in enumerate(criteria)
        if (o, c) != by_hand[name]
    )
    workshop.refresh_from_db()
    workshop.bump()
    for name, page in analysts.items():
        o, c = by_hand[name]
        page.goto(url)
        score_in_browser(page, options[o], criteria[c], "6", f"{name.capitalize()} thinks so")
        saved = Score.objects.get(workshop=workshop, round=1, analyst__username=name,
                                  option=options[o], criterion=criteria[c])
        assert (saved.value, saved.rationale) == (6.0, f"{name.capitalize()} thinks so")
    cells = len(options) * len(criteria)
    assert Score.objects.filter(workshop=workshop, round=1).count() == 3 * cells

    # Reveal and round 2, each through its confirmation page.
    confirm_step(fac, url, "Reveal scores to the team")
    expect(fac.locator(".messages")).to_contain_text("revealed")
    confirm_step(fac, url, "Start round 2")
    expect(fac.locator(".messages")).to_contain_text("A new round has started")

    # Each analyst's grid starts from their round-1 scores, marked as carried forward. (The open
    # pages reload themselves at the state change: going to them now would race that reload.
    # A page reloads at its next poll, 1.5-2.5 s, plus a random moment of up to 2 s: RELOAD.)
    for name, page in analysts.items():
        o, c = by_hand[name]
        expect(page.get_by_role("heading", name=re.compile("^Your scores, round 2"))
               ).to_be_visible(timeout=RELOAD)
        box, form = cell_form(page, options[o], criteria[c])
        expect(box).to_have_value("6")
        expect(form.get_by_role("status")).to_contain_text("Carried forward from round 1")
        expect(page.get_by_role("status").filter(has_text="Carried forward from round 1")
               ).to_have_count(cells)
    # One analyst changes one cell.
    score_in_browser(analysts["ana2"], options[1], criteria[2], "9", "Revised after the reveal")
    changed = Score.objects.get(workshop=workshop, round=2, analyst__username="ana2",
                                option=options[1], criterion=criteria[2])
    assert (changed.value, changed.carried_from) == (9.0, None)

    # Round 2's results are complete; round 1's are still there, through the round selector.
    round2 = results_json(workshop.pk, 2)
    round1 = results_json(workshop.pk, 1)
    assert round2["completeness"]["present"] == round2["completeness"]["expected"] == 3 * cells
    fac.goto(f"{url}results/")
    expect(fac.get_by_role("heading", level=1)).to_have_text("Results, round 2")
    expect(fac.locator("main")).not_to_contain_text("Incomplete:")
    expect(fac.get_by_text(f"{3 * cells} of {3 * cells} scores (100%)")).to_be_visible()
    fac.get_by_label("Round", exact=True).select_option("1")
    fac.get_by_role("button", name="Show").click()
    expect(fac).to_have_url(re.compile(r"\?round=1$"))
    expect(fac.get_by_role("heading", level=1)).to_have_text("Results, round 1")
    expect(fac.get_by_text(f"{round1['winner']['option']} {round1['winner']['title']}",
                           exact=True).first).to_be_visible()

    confirm_step(fac, url, "Lock the workshop")
    expect(fac.locator(".messages")).to_contain_text("The workshop is locked")
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.LOCKED

    # Every analyst downloads the memo, and it says what `results --round 2 --json` says.
    winner = round2["winner"]
    ranked = [row["option"] for row in round2["ranking"] if row["status"] == "ranked"]
    assert len(ranked) >= 2
    for name, page in analysts.items():
        expect(page.get_by_text("The workshop is locked")).to_be_visible(timeout=RELOAD)
        page.goto(f"{url}results/")
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("link", name="Download memo (PDF)").click()
        path = tmp_path / f"{name}.pdf"
        download.value.save_as(path)
        text = pdf_text(path)
        assert f"That you approve {winner['option']}, {winner['title']}." in text
        # The ranking table lists the ranked options in the engine's order, rank by rank.
        table = text[text.index("Weighted totals"):]
        positions = [table.index(f"{rank} {code} ") for rank, code in enumerate(ranked, 1)]
        assert positions == sorted(positions), (ranked, table[:600])
        assert "Since round 1" in text
        assert (f"Three analysts scored seven options against {len(criteria)} criteria in "
                f"round 2: all {3 * cells} scores.") in text
        assert len(round2["analysts"]) == 3
        assert "Incomplete:" not in text
