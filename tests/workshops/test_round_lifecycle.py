"""What a facilitator and three analysts saw on the Central Asia case (issue 11, items 1 and 2):
round 1 fully scored with one option below a red line, reveal, round 2, one analyst changes one
cell. Round 2 must start from round 1 (complete results, carried forward), round 1 must stay
readable, and the memo must say only what is true of the scores."""
import io
import json
from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import strip_tags

from policy.cases.casefile import import_case
from policy.memo.document import memo_html, memo_pdf
from policy.memo.wording import on_100
from policy.models import Membership, Score, Workshop
from policy.workshops import actions
from tests.factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "central-asia-2012.json"
ANALYSTS = ("ana1", "ana2", "ana3")
SCREENED = "O7"  # scored 1 on C2, whose red line is 3


def flat(text: str) -> str:
    """Text as read: tags gone, whitespace collapsed."""
    return " ".join(strip_tags(text).split())


def value(analyst: int, option: int, criterion: int) -> float:
    """A spread of scores from 3 to 9, the same every run."""
    return float((option * 3 + criterion * 5 + analyst * 2) % 7 + 3)


@pytest.fixture
def workshop():
    case = import_case(json.loads(FIXTURE.read_text(encoding="utf-8")))
    facilitator = make_user("fac")
    ws = actions.create_workshop(case, facilitator, title="Central Asia options")
    analysts = [make_user(name) for name in ANALYSTS]
    for user in analysts:
        actions.join(ws, user)
    actions.set_status(ws.pk, Workshop.Status.OPEN)
    options, criteria = list(case.options.all()), list(case.criteria.all())
    Score.objects.bulk_create(
        Score(workshop=ws, round=1, analyst=user, option=option, criterion=criterion,
              value=1.0 if (option.code, criterion.code) == (SCREENED, "C2")
              else value(a, o, c),
              rationale=f"{user.username} on {option.code}/{criterion.code}")
        for a, user in enumerate(analysts)
        for o, option in enumerate(options)
        for c, criterion in enumerate(criteria)
    )
    ws.refresh_from_db()
    return ws


def results(workshop, round) -> dict:
    out = StringIO()
    call_command("results", str(workshop.pk), "--json", "--round", str(round), stdout=out)
    return json.loads(out.getvalue())


def second_round(workshop) -> Workshop:
    """Reveal, start round 2, and ana1 changes one cell (O1 on C1) to 10."""
    actions.set_revealed(workshop.pk, True)
    actions.start_next_round(workshop.pk)
    workshop.refresh_from_db()
    case = workshop.case
    actions.save_score(
        workshop.pk, User.objects.get(username="ana1"), case.options.get(code="O1"),
        case.criteria.get(code="C1"), round=2, value=10.0, rationale="Revised after the talk.",
    )
    workshop.refresh_from_db()
    return workshop


def test_round_two_starts_from_round_one_and_both_stay_readable(workshop):
    first = results(workshop, 1)
    workshop = second_round(workshop)
    assert first["completeness"] == results(workshop, 1)["completeness"]
    assert results(workshop, 1)["ranking"] == first["ranking"]  # round 1 untouched
    now = results(workshop, 2)
    assert (now["completeness"]["present"], now["completeness"]["expected"]) == (378, 378)
    o1 = next(c for c in now["disagreement"]["cells"] if (c["option"], c["criterion"]) == ("O1", "C1"))
    assert o1["values"]["ana1"] == 10 and o1["n"] == 3
    # Only the changed cell is this round's own; the rest are marked as carried forward.
    round_two = Score.objects.filter(workshop=workshop, round=2)
    assert round_two.filter(carried_from__isnull=True).count() == 1
    assert round_two.filter(carried_from=1).count() == 377
    carried = round_two.get(analyst__username="ana2", option__code="O1", criterion__code="C1")
    assert carried.rationale == "ana2 on O1/C1"
    screened = {row["option"]: row["status"] for row in now["ranking"]}
    assert screened[SCREENED] == "screened_out"
    assert list(screened.values()).count("no_scores") == 0


def test_round_two_grid_marks_carried_cells_until_saved(client, workshop):
    workshop = second_round(workshop)
    client.force_login(User.objects.get(username="ana1"))
    body = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    # 126 cells: the changed one is ana1's own, the other 125 say where they came from.
    assert body.count("Carried forward from round 1") == 125
    assert "Your round 1 scores and rationales are carried forward" in body


def test_results_page_of_round_two_is_complete_and_round_one_reachable(client, workshop):
    workshop = second_round(workshop)
    client.force_login(User.objects.get(username="fac"))
    url = reverse("workshop_results", args=[workshop.pk])
    body = client.get(url).content.decode()
    assert "<h1>Results, round 2</h1>" in body and "Incomplete:" not in body
    assert "Not scored" not in body and "No scores yet" not in body
    earlier = client.get(url, {"round": "1"}).content.decode()
    assert "<h1>Results, round 1</h1>" in earlier
    assert '<option value="1" selected>Round 1</option>' in earlier


def test_memo_of_round_two_states_the_truth(workshop):
    workshop = second_round(workshop)
    now, before = results(workshop, 2), results(workshop, 1)
    text = flat(memo_html(workshop))
    assert "Incomplete:" not in text
    assert "the only option left standing" not in text
    assert f"{SCREENED} {now['options'][6]['title']} crosses a red line" in text
    assert "No option crosses a red line" not in text
    assert "One option remain " not in text and "One option remain." not in text
    assert "Six options remain in the comparison after one option was screened out by a red " \
           "line." in text
    # What changed since round 1: the revision count, the leaders then and now.
    assert "Since round 1" in text
    assert ("Round 2 started from each analyst’s round 1 scores: 1 of the 378 scores now in "
            "was revised or added in round 2, the rest carried forward.") in text
    led = before["winner"]["option"]
    if led == now["winner"]["option"]:
        then = on_100(before["winner"]["total"])
        assert f"{led} led in round 1 ({then} out of 100) and leads now" in text
    else:
        assert f"{led} led in round 1" in text
    assert ("Of the 126 cells scored in both rounds, the spread of the middle half of the "
            "scores narrowed on 0, widened on 1 and held on 125.") in text


def test_incomplete_round_says_so_first(client, workshop):
    """Round 2 where ana3 never scored O1 in round 1: nothing to carry, so round 2 is
    incomplete, and the results and the memo's bottom line begin with it."""
    Score.objects.filter(workshop=workshop, round=1, analyst__username="ana3",
                         option__code="O1").delete()
    workshop = second_round(workshop)
    now = results(workshop, 2)
    assert (now["completeness"]["present"], now["completeness"]["expected"]) == (360, 378)
    text = flat(memo_html(workshop))
    assert "Bottom line. Incomplete: 360 of 378 expected scores (95%) are in. The team " \
           "recommends" in text
    client.force_login(User.objects.get(username="fac"))
    body = client.get(reverse("workshop_results", args=[workshop.pk])).content.decode()
    assert '<p class="lede"><strong class="incomplete">Incomplete: 360 of 378 expected ' \
           'scores (95%) are in.</strong>' in body


def test_a_round_with_one_score_is_called_incomplete_in_the_pdf(workshop):
    """What was seen before carry-forward: round 2 with one score in it. The memo must not
    say the lone scored option is "the only option left standing", that no analyst dissents,
    or that no option crosses a red line."""
    workshop = second_round(workshop)
    Score.objects.filter(workshop=workshop, round=2, carried_from=1).delete()
    reader = pypdf.PdfReader(io.BytesIO(memo_pdf(workshop).content))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "Bottom line. Incomplete: 1 of 378 expected scores (under 1%) are in." in text
    assert "but it has no rival yet: six other options are not scored." in text
    for false in ("the only option left standing", "No analyst dissents",
                  "No option crosses a red line", "One option remain ",
                  "would change the winner", "Screened out:", "was screened out",
                  "Three analysts scored"):
        assert false not in text
    assert "One option remains in the comparison." in text
    assert "No cell has scores from two analysts yet" in text
    assert ("Three analysts were to score seven options against 18 criteria in round 2; 1 of "
            "378 scores are in (under 1%).") in text
    assert "One of the three analysts ranks O1 first on their own scores, which are " \
           "incomplete" in text
    assert Membership.objects.filter(workshop=workshop, role="analyst").count() == 3
