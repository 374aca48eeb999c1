"""A workshop's scores as files: CSV, and XLSX with the aggregated results beside them.

Exporters in pretalx's manner: each takes the workshop and returns (filename, content type,
bytes). The view decides who may have them (the reveal rule); these decide only what is in
them. Analysts are named by username, or by a code (A1, A2...) when the workshop hides names.
"""
import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .frames import analyst_labels
from .results import workshop_result
from ..models import Score, Workshop
from ..scoring import ScoringError

SCORE_COLUMNS = [
    "analyst", "option", "option_title", "criterion", "criterion_title", "value", "rationale",
    "round", "time (UTC)",
]
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ScoreRow:
    analyst: str
    option: str
    option_title: str
    criterion: str
    criterion_title: str
    value: float
    rationale: str
    round: int
    time: datetime  # in UTC

    def values(self) -> list:
        return [self.analyst, self.option, self.option_title, self.criterion,
                self.criterion_title, self.value, self.rationale, self.round, self.time]


def analyst_names(workshop: Workshop) -> dict[int, str]:
    """user id -> the name exports show, exactly as the results and the memo label analysts
    (frames.analyst_labels): the username, or A1, A2... when the workshop is anonymous."""
    scorers = Score.objects.filter(workshop=workshop).order_by().values_list(
        "analyst_id", flat=True).distinct()
    return analyst_labels(workshop, np.array(sorted(scorers), dtype=np.int64))


def score_rows(workshop: Workshop) -> list[ScoreRow]:
    """Every score of every round: by round, then analyst, then option and criterion in the
    case's order."""
    names = analyst_names(workshop)
    rank = {uid: i for i, uid in enumerate(names)}
    scores = sorted(
        Score.objects.filter(workshop=workshop).select_related("option", "criterion"),
        key=lambda s: (
            s.round, rank.get(s.analyst_id, len(rank)),
            s.option.position, s.option.code, s.criterion.position, s.criterion.code,
        ),
    )
    return [
        ScoreRow(
            analyst=names.get(s.analyst_id, "?"),
            option=s.option.code, option_title=s.option.title,
            criterion=s.criterion.code, criterion_title=s.criterion.title,
            value=s.value, rationale=s.rationale, round=s.round,
            time=s.updated_at.astimezone(UTC),
        )
        for s in scores
    ]


def _filename(workshop: Workshop, extension: str) -> str:
    return f"{workshop.case.slug}-workshop-{workshop.pk}-scores.{extension}"


# -- CSV ------------------------------------------------------------------------------------


def safe_text(value: str) -> str:
    """Text a spreadsheet will show, never run: a leading formula character gets a quote."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value) -> str:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def scores_csv(workshop: Workshop) -> tuple[str, str, bytes]:
    """One row a score; UTF-8 with a byte-order mark so that Excel reads the accents."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SCORE_COLUMNS)
    for row in score_rows(workshop):
        writer.writerow([_csv_cell(v) for v in row.values()])
    return _filename(workshop, "csv"), "text/csv; charset=utf-8", out.getvalue().encode("utf-8-sig")


# -- XLSX -----------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _put(sheet, row: int, column: int, value):
    """Write a cell; text always as text (openpyxl would store "=..." as a formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)  # Excel has no time zones: the header says UTC
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def _table(sheet, header: list[str], rows, widths: dict[int, int] | None = None) -> None:
    for column, name in enumerate(header, start=1):
        _put(sheet, 1, column, name).font = Font(bold=True)
    for r, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _put(sheet, r, column, value)
    sheet.freeze_panes = "A2"
    for column, name in enumerate(header, start=1):
        width = (widths or {}).get(column, max(10, len(name) + 2))
        sheet.column_dimensions[get_column_letter(column)].width = width


def scores_xlsx(workshop: Workshop) -> tuple[str, str, bytes]:
    """Four sheets: the scores (as the CSV); per round the group's score of each cell with the
    disagreement columns, and the ranking, both from the engine; and what the workshop was."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Scores"
    _table(sheet, SCORE_COLUMNS, (row.values() for row in score_rows(workshop)),
           widths={3: 30, 5: 30, 7: 60, 9: 20})
    for (cell,) in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    results = comparisons(workshop)
    header, rows, note = aggregated_table(workshop, results)
    aggregated = book.create_sheet("Aggregated")
    _table(aggregated, header, rows, widths={3: 30, 5: 30})
    if note:
        _put(aggregated, len(rows) + 3, 1, note)
    ranking = book.create_sheet("Ranking")
    _table(ranking, RANKING_COLUMNS, ranking_table(results), widths={4: 30, 8: 16})

    about = book.create_sheet("Workshop")
    _table(about, ["", ""], workshop_facts(workshop, results), widths={1: 24, 2: 60})
    buffer = io.BytesIO()
    book.save(buffer)
    return _filename(workshop, "xlsx"), XLSX_TYPE, buffer.getvalue()


def workshop_facts(workshop: Workshop, results=()) -> list[tuple[str, object]]:
    agreement = [
        (f"Kendall's W, round {round}", result["disagreement"]["kendall_w"]["w"])
        for round, result in results if not isinstance(result, str)
    ]
    return [
        ("Workshop", workshop.title),
        ("Case", f"{workshop.case.title} ({workshop.case.slug})"),
        ("Question", workshop.case.question),
        ("Status", workshop.get_status_display()),
        ("Round", workshop.round),
        ("Aggregation", workshop.get_aggregation_display()),
        ("Method", workshop.get_method_display()),
        ("Weighting", workshop.get_weighting_display()),
        ("Analysts named", "by code (anonymous)" if workshop.anonymous else "by username"),
        ("Handling", workshop.handling),
        *agreement,
        ("Exported (UTC)", datetime.now(UTC)),
    ]


AGGREGATED_COLUMNS = [
    "round", "option", "option_title", "criterion", "criterion_title", "group_score",
    "normalised", "weight", "contribution", "n", "median", "sd", "q1", "q3", "iqr", "contested",
]
RANKING_COLUMNS = ["round", "rank", "option", "option_title", "total", "weight_covered",
                   "status", "screened_out_by"]


def comparisons(workshop: Workshop) -> list[tuple[int, dict | str]]:
    """(round, the workshop's result or the reason there is none) for every round so far: the
    same result, from the same cache, as the results page and the memo."""
    results = []
    for round in range(1, workshop.round + 1):
        try:
            # Exporters are handed a workshop the request has just read (views/exports.py).
            results.append((round, workshop_result(workshop, round, reload=False)))
        except ScoringError as error:
            results.append((round, str(error)))
    return results


def aggregated_table(workshop: Workshop, results=None) -> tuple[list[str], list[list], str]:
    """(header, rows, note): per round, one row a cell with the group's score (by the
    workshop's aggregation), its weight and contribution, and the disagreement columns.
    Cells nobody scored are left out; contested cells are those whose IQR exceeds 1 point."""
    rows, notes = [], []
    for round, result in results if results is not None else comparisons(workshop):
        if isinstance(result, str):
            notes.append(f"Round {round}: {result}")
            continue
        titles = {o["code"]: o["title"] for o in result["options"]}
        criteria = {c["code"]: c for c in result["criteria"]}
        spread = {(c["option"], c["criterion"]): c for c in result["disagreement"]["cells"]}
        for option in result["options"]:
            for code, criterion in criteria.items():
                cell = spread.get((option["code"], code))
                if cell is None:
                    continue
                rows.append([
                    round, option["code"], titles[option["code"]], code, criterion["title"],
                    result["matrix"]["scores"][option["code"]][code],
                    result["matrix"]["normalised"][option["code"]][code],
                    criterion["weight"], result["contributions"][option["code"]][code],
                    cell["n"], cell["median"], cell["sd"], cell["q1"], cell["q3"], cell["iqr"],
                    "yes" if cell["contested"] else "no",
                ])
    return AGGREGATED_COLUMNS, rows, " ".join(notes)


def ranking_table(results) -> list[list]:
    rows = []
    for round, result in results:
        if isinstance(result, str):
            continue
        for row in result["ranking"]:
            rows.append([
                round, row["rank"], row["option"], row["title"], row["total"],
                row["weight_covered"], row["status"].replace("_", " "),
                ", ".join(crossed["criterion"] for crossed in row["screened_out"]),
            ])
    return rows


EXPORTERS = {"csv": scores_csv, "xlsx": scores_xlsx}
