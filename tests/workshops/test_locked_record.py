"""Lock is a record: a locked workshop's results and memo stay as they were at lock, whatever
later happens to its case (issue 11 item 7, issue 12 item 10)."""
import io
import json
import re
from io import StringIO

import docx
import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from policy.models import Criterion, LockedRecord, MemoPDF, Option, Principle, Workshop
from policy.workshops import actions
from policy.workshops.results import workshop_result
from tests.factories import make_case, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def workshop():
    """Scores hidden and never revealed: once locked, every member reads the results."""
    ws = make_workshop(make_case(options=3, criteria=2), analysts=2)
    # O1 leads on C1, O2 on C2 (a benefit): made a cost, C2 puts O1 far ahead.
    table = {"O1": (9, 2), "O2": (4, 10), "O3": (5, 5)}
    for analyst in ("ana1", "ana2"):
        for option, values in table.items():
            for c, value in enumerate(values, start=1):
                score(ws, analyst, option, f"C{c}", value, f"{analyst} on {option}")
    return ws


def lock(ws):
    fac = User.objects.get(username="fac")
    return actions.set_status(ws.pk, Workshop.Status.LOCKED, by=fac)


def cost_criterion(case):
    criterion = case.criteria.get(code="C2")
    criterion.direction = Criterion.Direction.COST
    criterion.save()


def new_option(case):
    Option.objects.create(case=case, code="O4", title="Brand new option", position=4)


def renamed_principle(case):
    principle = Principle.objects.get(case=case, code="P1")
    principle.title = "Renamed principle"
    principle.save()


EDITS = [cost_criterion, new_option, renamed_principle]


def results_json(ws) -> dict:
    out = StringIO()
    call_command("results", str(ws.pk), "--json", stdout=out)
    return json.loads(out.getvalue())


def page_text(client, ws) -> str:
    client.force_login(User.objects.get(username="ana1"))
    html = client.get(reverse("workshop_results", args=[ws.pk])).content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def pdf_text(client, ws) -> str:
    client.force_login(User.objects.get(username="ana2"))
    response = client.get(reverse("workshop_memo", args=[ws.pk]))
    assert response.status_code == 200, response.content[:300]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def docx_text(client, ws) -> str:
    client.force_login(User.objects.get(username="ana1"))
    response = client.get(reverse("workshop_memo_docx", args=[ws.pk]))
    assert response.status_code == 200, response.content[:300]
    document = docx.Document(io.BytesIO(response.content))
    return "\n".join(p.text for p in document.paragraphs)


def test_lock_stores_every_round_result_and_the_memo(workshop):
    before = workshop_result(workshop)
    lock(workshop)
    record = LockedRecord.objects.get(workshop=workshop)
    assert record.results == {"1": {"result": json.loads(json.dumps(before))}}
    assert (record.method, record.aggregation) == (workshop.method, workshop.aggregation)
    assert record.revision == Workshop.objects.get(pk=workshop.pk).revision
    assert "Principle one" in record.memo_html and record.memo_error == ""


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_a_case_edit_changes_nothing_of_the_locked_results(client, workshop, edit):
    lock(workshop)
    page, printed = page_text(client, workshop), results_json(workshop)
    edit(workshop.case)
    assert page_text(client, workshop) == page
    assert results_json(workshop) == printed
    assert "Brand new option" not in page and "Renamed principle" not in page


def test_the_edits_would_change_an_unlocked_workshop(workshop):
    """The control for the test above: the same edits do move the ranking of a live workshop,
    and unlocking drops the record, so the result follows the case again."""
    lock(workshop)
    locked = results_json(workshop)
    assert locked["winner"]["option"] == "O2"
    cost_criterion(workshop.case)
    new_option(workshop.case)
    actions.set_status(workshop.pk, Workshop.Status.CLOSED)
    assert not LockedRecord.objects.filter(workshop=workshop).exists()
    unlocked = results_json(workshop)
    assert unlocked["winner"]["option"] == "O1"
    assert "O4" in {o["code"] for o in unlocked["options"]}


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_a_case_edit_changes_nothing_of_the_locked_memo(client, workshop, edit):
    lock(workshop)
    pdf, word = pdf_text(client, workshop), docx_text(client, workshop)
    assert "Principle one" in word and "Option 2" in pdf
    edit(workshop.case)
    MemoPDF.objects.all().delete()  # rendered again, from the record
    assert pdf_text(client, workshop) == pdf
    assert docx_text(client, workshop) == word


def test_the_preview_of_a_locked_workshop_shows_its_record(client, workshop):
    lock(workshop)
    renamed_principle(workshop.case)
    client.force_login(User.objects.get(username="ana2"))
    html = client.get(reverse("workshop_memo_preview", args=[workshop.pk])).content.decode()
    assert "Principle one" in html and "Renamed principle" not in html
    record = LockedRecord.objects.get(workshop=workshop)
    assert f"revision {record.revision}" in html


def test_every_member_downloads_the_locked_memo(client, workshop):
    """Never revealed: before the lock analysts may not read the memo, after it they may."""
    client.force_login(User.objects.get(username="ana1"))
    assert client.get(reverse("workshop_memo", args=[workshop.pk])).status_code == 403
    lock(workshop)
    for name in ("fac", "ana1", "ana2"):
        client.force_login(User.objects.get(username=name))
        pdf = client.get(reverse("workshop_memo", args=[workshop.pk]))
        word = client.get(reverse("workshop_memo_docx", args=[workshop.pk]))
        assert pdf.content.startswith(b"%PDF") and word.content.startswith(b"PK")


def test_relocking_stores_a_new_record(workshop):
    lock(workshop)
    first = LockedRecord.objects.get(workshop=workshop).pk
    actions.set_status(workshop.pk, Workshop.Status.CLOSED)
    cost_criterion(workshop.case)
    lock(workshop)
    record = LockedRecord.objects.get(workshop=workshop)
    assert record.pk != first
    assert record.results["1"]["result"]["winner"]["option"] == "O1"


def test_the_lock_confirmation_says_the_result_and_memo_are_frozen(client, workshop):
    client.force_login(User.objects.get(username="fac"))
    page = client.get(reverse("workshop_status", args=[workshop.pk]) + "?status=locked")
    text = " ".join(page.content.decode().split())
    assert ("The results and the memo are kept as they are now, whatever later happens to the "
            "case: an edited criterion or a new option changes neither.") in text
