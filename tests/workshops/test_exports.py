"""A workshop's scores as CSV and XLSX: read back, they equal the database; the reveal rule
decides who may have them; text never runs as a formula."""
import csv
import io
from datetime import UTC

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.workshops import exports
from policy.workshops.frames import workshop_frames
from policy.models import Membership, Score, Workshop
from policy.scoring import compare
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=3, criteria=2), analysts=3, hide_scores=True)
    values = {"ana1": [7, 3, 5, 2.5, 9, 0], "ana2": [6, 4, 5, 8, 1, 10], "ana3": [7, 9, 4, 2, 8]}
    cells = [(o, c) for o in ("O1", "O2", "O3") for c in ("C1", "C2")]
    for analyst, row in values.items():
        for (option, criterion), value in zip(cells, row):
            score(ws, analyst, option, criterion, value, f"{analyst} on {option}/{criterion}")
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    make_user("outsider")
    return ws


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def db_rows(workshop, names=None):
    """The database's scores as the exports should show them, as strings and floats."""
    rows = []
    for s in Score.objects.filter(workshop=workshop).select_related(
            "analyst", "option", "criterion"):
        analyst = names[s.analyst.username] if names else s.analyst.username
        rows.append((analyst, s.option.code, s.option.title, s.criterion.code, s.criterion.title,
                     s.value, s.rationale, s.round, s.updated_at.astimezone(UTC)))
    return sorted(rows, key=lambda r: (r[7], r[0], r[1], r[3]))


def read_csv(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    header, *rows = list(reader)
    return header, rows


def parse_csv_rows(rows):
    from datetime import datetime

    return sorted(
        [(a, o, ot, c, ct, float(v), r, int(rnd), datetime.fromisoformat(t))
         for a, o, ot, c, ct, v, r, rnd, t in rows],
        key=lambda r: (r[7], r[0], r[1], r[3]),
    )


# --- who may export ----------------------------------------------------------------------

def url(workshop, fmt):
    return reverse("workshop_export", args=[workshop.pk, fmt])


def test_reveal_rule_decides_who_may_export(client, workshop):
    for fmt in ("csv", "xlsx"):
        client.logout()
        assert client.get(url(workshop, fmt)).status_code == 302  # to log in
        assert login(client, "outsider").get(url(workshop, fmt)).status_code == 404
        assert login(client, "ana1").get(url(workshop, fmt)).status_code == 403
        assert login(client, "obs").get(url(workshop, fmt)).status_code == 403
        assert login(client, "fac").get(url(workshop, fmt)).status_code == 200
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    for name in ("ana1", "obs"):
        assert login(client, name).get(url(workshop, "csv")).status_code == 200
    assert login(client, "fac").get(url(workshop, "pdf")).status_code == 404


def test_workshops_that_never_hide_scores_export_to_any_member(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(hide_scores=False)
    assert login(client, "ana2").get(url(workshop, "xlsx")).status_code == 200


# --- CSV --------------------------------------------------------------------------------

def test_csv_read_back_equals_the_database(client, workshop):
    response = login(client, "fac").get(url(workshop, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="tiny-workshop-{workshop.pk}-scores.csv"')
    header, rows = read_csv(response.content)
    assert header == ["analyst", "option", "option_title", "criterion", "criterion_title",
                      "value", "rationale", "round", "time (UTC)"]
    assert len(rows) == 17
    assert parse_csv_rows(rows) == db_rows(workshop)
    # One row a score, analysts in joining order, cells in case order.
    assert [r[0] for r in rows[:7]] == ["ana1"] * 6 + ["ana2"]
    assert rows[3][5] == "2.5" and rows[0][5] == "7"


def test_csv_names_analysts_by_code_when_anonymous(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(anonymous=True)
    workshop.refresh_from_db()
    _, _, content = exports.scores_csv(workshop)
    header, rows = read_csv(content)
    # The labels of the one function that decides them (in an order of its own).
    labels = exports.analyst_names(workshop)
    assert sorted(labels.values()) == ["A1", "A2", "A3"]
    names = {User.objects.get(pk=uid).username: label for uid, label in labels.items()}
    assert parse_csv_rows(rows) == db_rows(workshop, names)
    assert not any("ana" in cell for row in rows for cell in row[:1])
    # The same labels as the engine (and so the results page and the memo) uses.
    assert set(workshop_frames(workshop).scores["analyst"]) == {"A1", "A2", "A3"}


def test_csv_cells_cannot_run_as_formulas(workshop):
    dangerous = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "plain =ok"]
    option = workshop.case.options.get(code="O1")
    option.title = "=cmd|' /C calc'!A0"
    option.save()
    for i, text in enumerate(dangerous):
        Score.objects.filter(workshop=workshop, analyst__username="ana1").filter(
            pk=Score.objects.filter(workshop=workshop, analyst__username="ana1")
            .order_by("pk")[i].pk).update(rationale=text)
    _, rows = read_csv(exports.scores_csv(workshop)[2])
    cells = [cell for row in rows for cell in row]
    for text in dangerous[:-1]:
        assert "'" + text in cells
        assert text not in cells
    assert "plain =ok" in cells
    assert "'=cmd|' /C calc'!A0" in cells
    # Numbers stay numbers, even negative ones on a scale below zero.
    assert exports._csv_cell(-2.0) == "-2"


def test_an_empty_workshop_exports_a_header(workshop):
    Score.objects.all().delete()
    header, rows = read_csv(exports.scores_csv(workshop)[2])
    assert rows == [] and header[0] == "analyst"


# --- XLSX -------------------------------------------------------------------------------

def read_xlsx(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_xlsx_scores_sheet_equals_the_database(client, workshop):
    Score.objects.filter(analyst__username="ana1").update(rationale="=1+1 is text here")
    response = login(client, "fac").get(url(workshop, "xlsx"))
    assert response["Content-Type"] == exports.XLSX_TYPE
    book = read_xlsx(response.content)
    assert book.sheetnames == ["Scores", "Aggregated", "Ranking", "Workshop"]
    header, *rows = list(book["Scores"].values)
    assert list(header) == exports.SCORE_COLUMNS
    read = sorted(
        [(a, o, ot, c, ct, v, r, rnd, t.replace(tzinfo=UTC)) for a, o, ot, c, ct, v, r, rnd, t
         in rows], key=lambda r: (r[7], r[0], r[1], r[3]))
    expected = db_rows(workshop)
    assert [row[:8] for row in read] == [row[:8] for row in expected]
    # Excel keeps times to the millisecond.
    assert all(abs((a[8] - b[8]).total_seconds()) < 0.001 for a, b in zip(read, expected))
    # Text is stored as text: no cell is a formula.
    assert all(cell.data_type != "f" for row in book["Scores"].iter_rows() for cell in row)
    assert book["Scores"]["G2"].value == "=1+1 is text here"


def test_xlsx_aggregated_sheet_equals_the_engine(workshop):
    book = read_xlsx(exports.scores_xlsx(workshop)[2])
    header, *rows = list(book["Aggregated"].values)
    assert list(header) == exports.AGGREGATED_COLUMNS
    result = compare(workshop_frames(workshop), draws=0)
    cells = {(c["option"], c["criterion"]): c for c in result.disagreement["cells"]}
    assert len(rows) == len(cells) == 6
    for row in rows:
        data = dict(zip(header, row))
        cell = cells[(data["option"], data["criterion"])]
        assert data["round"] == 1
        assert data["group_score"] == pytest.approx(
            result.matrix["scores"][data["option"]][data["criterion"]])
        for key in ("n", "median", "sd", "q1", "q3", "iqr"):
            assert data[key] == pytest.approx(cell[key]), key
        assert data["contested"] == ("yes" if cell["contested"] else "no")
    # O3/C2 has two scores (ana3 left it blank), the others three.
    by_cell = {(r[1], r[3]): dict(zip(header, r)) for r in rows}
    assert by_cell[("O3", "C2")]["n"] == 2
    # The group score is the median, as the workshop aggregates: ana1 7, ana2 6, ana3 7.
    assert by_cell[("O1", "C1")]["group_score"] == 7
    ranking_header, *ranking = list(book["Ranking"].values)
    assert [r[2] for r in ranking] == [row["option"] for row in result.ranking]
    facts = dict(book["Workshop"].values)
    assert facts["Workshop"] == workshop.title
    assert facts["Kendall's W, round 1"] == pytest.approx(result.disagreement["kendall_w"]["w"])


def test_xlsx_has_every_round(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(round=2)
    workshop.refresh_from_db()
    score(workshop, "ana1", "O1", "C1", 4, "changed my mind", round=2)
    book = read_xlsx(exports.scores_xlsx(workshop)[2])
    header, *rows = list(book["Aggregated"].values)
    assert {r[0] for r in rows} == {1, 2}
    assert [r for r in rows if r[0] == 2] == [
        (2, "O1", "Option 1", "C1", "Criterion 1", 4, 0.4, 0.5, 0.4, 1, 4, None, 4, 4, 0, "no")]
    header, *scores = list(book["Scores"].values)
    assert scores[-1][:8] == (
        "ana1", "O1", "Option 1", "C1", "Criterion 1", 4, "changed my mind", 2)


def test_xlsx_says_why_when_there_is_no_comparison(workshop):
    workshop.case.criteria.update(default_weight=0)
    book = read_xlsx(exports.scores_xlsx(workshop)[2])
    texts = [c for row in book["Aggregated"].values for c in row if isinstance(c, str)]
    assert any(t.startswith("Round 1: ") for t in texts)
