"""One result per state of a workshop: computed once, read from the shared cache after, and the
same numbers in the results page, the memo, the XLSX export and `results --json`."""
import io
import json
from io import StringIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from policy.memo.content import memo_context
from policy.models import Option, Score, Weight, Workshop
from policy.scoring import ScoringError, compare
from policy.workshops import actions, exports
from policy.workshops.frames import workshop_frames
from policy.workshops.results import workshop_result
from tests.factories import make_case, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=3, criteria=2), analysts=2, revealed=True)
    for analyst, values in {"ana1": [8, 2, 5, 5, 1, 9], "ana2": [7, 3, 6, 1, 2, 8]}.items():
        cells = [(o, c) for o in ("O1", "O2", "O3") for c in ("C1", "C2")]
        for (option, criterion), value in zip(cells, values):
            score(ws, analyst, option, criterion, value, f"{analyst} on {option}/{criterion}")
    return ws


def totals(result: dict) -> dict:
    return {row["option"]: row["total"] for row in result["ranking"]}


def test_the_result_is_the_engines(workshop):
    assert workshop_result(workshop) == compare(workshop_frames(workshop)).to_dict()


def test_a_second_call_reads_only_the_key(workshop, django_assert_num_queries):
    first = workshop_result(workshop)
    with django_assert_num_queries(1):  # the workshop's revision and stamps; no frames
        second = workshop_result(workshop)
    assert second == first


def test_a_save_bumps_the_revision_and_the_next_result_is_new(workshop):
    before = workshop_result(workshop)
    ana1 = User.objects.get(username="ana1")
    actions.save_score(
        workshop.pk, ana1, workshop.case.options.get(code="O3"),
        workshop.case.criteria.get(code="C2"), round=1, value=0, rationale="Changed my mind.",
    )
    after = workshop_result(workshop)
    assert Workshop.objects.get(pk=workshop.pk).revision == workshop.revision + 1
    assert after == compare(workshop_frames(workshop)).to_dict()
    assert totals(after)["O3"] < totals(before)["O3"]


def test_a_change_to_the_case_or_the_workshops_settings_is_a_new_result(workshop):
    workshop_result(workshop)
    option = Option.objects.get(case=workshop.case, code="O1")
    option.title = "Hold talks in Astana"
    option.save()
    assert workshop_result(workshop)["options"][0]["title"] == "Hold talks in Astana"
    workshop.refresh_from_db()
    workshop.aggregation = Workshop.Aggregation.MEAN
    workshop.save()  # the revision stays: the workshop's own stamp moves
    assert workshop_result(workshop)["settings"]["aggregation"] == "mean"


@pytest.mark.parametrize("deleting", [False, True])
def test_an_admin_edit_of_a_score_is_a_new_result(admin_client, workshop, deleting):
    before = workshop_result(workshop)
    cell = Score.objects.get(workshop=workshop, analyst__username="ana1", option__code="O3",
                             criterion__code="C2")
    if deleting:
        url = reverse("admin:policy_score_delete", args=[cell.pk])
        response = admin_client.post(url, {"post": "yes"})
    else:
        response = admin_client.post(reverse("admin:policy_score_change", args=[cell.pk]), {
            "workshop": workshop.pk, "round": 1, "analyst": cell.analyst_id,
            "option": cell.option_id, "criterion": cell.criterion_id, "value": 0,
            "rationale": "Fixed by hand.",
        })
    assert response.status_code == 302
    after = workshop_result(workshop)
    assert after == compare(workshop_frames(workshop)).to_dict() != before


def test_rounds_and_asked_settings_are_results_of_their_own(workshop):
    current = workshop_result(workshop)
    topsis = workshop_result(workshop, method="topsis", draws=0)
    assert topsis["settings"]["method"] == "topsis" and current["settings"]["method"] != "topsis"
    assert workshop_result(workshop) == current
    assert workshop_result(workshop, 2)["completeness"] != current["completeness"]


def test_a_scoring_error_is_raised_alike_from_the_cache(workshop, django_assert_num_queries):
    Weight.objects.bulk_create(
        Weight(workshop=workshop, criterion=c, value=0) for c in workshop.case.criteria.all()
    )
    with pytest.raises(ScoringError) as first:
        workshop_result(workshop)
    with django_assert_num_queries(1), pytest.raises(ScoringError) as second:
        workshop_result(workshop)
    assert str(second.value) == str(first.value) != ""


def test_page_memo_export_and_command_show_the_same_totals(client, workshop):
    client.force_login(User.objects.get(username="fac"))
    page = client.get(reverse("workshop_results", args=[workshop.pk])).context["result"]
    memo = memo_context(workshop)["result"]
    out = StringIO()
    call_command("results", str(workshop.pk), "--json", stdout=out)
    command = json.loads(out.getvalue())
    book = openpyxl.load_workbook(io.BytesIO(exports.scores_xlsx(workshop)[2]))
    header, *rows = list(book["Ranking"].values)
    sheet = {row[header.index("option")]: row[header.index("total")] for row in rows}
    assert page == memo == command
    assert totals(page) == totals(memo) == totals(command) == sheet
    assert len(sheet) == 3
