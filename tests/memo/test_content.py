"""The memo of a Central Asia demo workshop (6 synthetic analysts), read back with pypdf and
checked against `results --json`; and the memo of the edge cases."""
import io
import json
import re
from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from policy.cases.casefile import import_case
from policy.memo import wording
from policy.memo.body import red_line_sentences
from policy.memo.document import memo_html, memo_pdf, render_memo
from policy.models import Score, Workshop
from tests.factories import make_case, make_workshop, score

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "central-asia-2012.json"
HOSTILE = 'Bad <img src="file:///etc/passwd"> and <script>alert("x")</script> end'


def flat(text: str) -> str:
    """Text as the eye reads it across line breaks."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def central_asia(django_db_setup, django_db_blocker):
    """One render for the module: the demo workshop, a hostile rationale planted in the most
    contested cell, the results JSON and the memo. Rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        import_case(json.loads(FIXTURE.read_text(encoding="utf-8")))
        out = StringIO()
        call_command("demo_workshop", "central-asia-2012", "--analysts", "6", "--seed", "1",
                     stdout=out)
        workshop = Workshop.objects.get(pk=int(out.getvalue().strip()))
        out = StringIO()
        call_command("results", str(workshop.pk), "--json", stdout=out)
        results = json.loads(out.getvalue())
        top = results["disagreement"]["cells"][0]
        cell = Score.objects.filter(
            workshop=workshop, option__code=top["option"], criterion__code=top["criterion"]
        ).select_related("analyst")
        quoted = {s.analyst.username: s for s in cell}
        low = min(top["values"], key=lambda label: (top["values"][label], label))
        high = max(top["values"], key=lambda label: (top["values"][label], label))
        Score.objects.filter(pk=quoted[low].pk).update(rationale=HOSTILE)
        memo = memo_pdf(workshop)
        reader = pypdf.PdfReader(io.BytesIO(memo.content))
        pages = [page.extract_text() for page in reader.pages]
        with override_settings(MEMO_PAGE_SIZE="A4"):
            a4 = pypdf.PdfReader(io.BytesIO(render_memo(workshop).pdf))
        data = {
            "a4_pages": [page.extract_text() for page in a4.pages], "a4_box": a4.pages[0].mediabox,
            "workshop_id": workshop.pk, "results": results, "memo": memo, "reader": reader,
            "pages": pages, "text": flat("\n".join(pages)),
            "high_rationale": quoted[high].rationale, "top": top,
        }
        transaction.set_rollback(True)
    return data


def test_recommended_option_and_total_equal_the_results_json(central_asia):
    winner = central_asia["results"]["winner"]
    first_page = flat(central_asia["pages"][0])
    assert f"The team recommends {winner['option']}, {winner['title']}" in first_page
    assert f"which scores {wording.on_100(winner['total'])} out of 100" in first_page
    assert f"That you approve {winner['option']}, {winner['title']}" in first_page
    ranking = central_asia["results"]["ranking"]
    runner = next(r for r in ranking if r["option"] == winner["runner_up"])
    points = wording.on_100(winner["total"]) - wording.on_100(runner["total"])
    margin = f"{points} points ahead of {runner['option']} ({wording.on_100(runner['total'])})"
    assert margin in first_page


def test_every_ranked_total_is_in_the_ranking_table(central_asia):
    text = central_asia["text"]
    for row in central_asia["results"]["ranking"]:
        if row["status"] == "ranked":
            total = wording.on_100(row["total"])
            assert re.search(rf"{row['rank']} {row['option']} .*?{total} out of 100", text)


def test_bottom_line_has_the_robustness_sentence_and_keeps_to_four_lines(central_asia):
    page = central_asia["pages"][0]
    lines = page[page.index("Bottom line."):page.index("Recommendation")].strip().splitlines()
    assert 1 <= len(lines) <= 4
    flip = wording.nearest_flip(central_asia["results"])
    bluf = flat(" ".join(lines))
    said = (f"the weight on {flip.title} ({flip.criterion}) {flip.direction} "
            f"{100 * flip.limit:.0f}% (now {100 * flip.weight:.0f}%)")
    assert said in bluf
    assert "simulations" in bluf


def test_every_option_and_criterion_appears(central_asia):
    text = central_asia["text"]
    for option in central_asia["results"]["options"]:
        assert f"{option['code']} {option['title']}" in text
    for criterion in central_asia["results"]["criteria"]:
        assert f"{criterion['code']} {criterion['title']}" in text


def test_the_most_contested_cells_rationale_is_quoted(central_asia):
    top, text = central_asia["top"], central_asia["text"]
    assert top["contested"]
    assert f"“{flat(central_asia['high_rationale'])}”" in text


def test_hostile_markup_in_a_rationale_comes_out_as_text(central_asia):
    text = central_asia["text"]
    assert flat(HOSTILE) in text
    assert "root:x:0:0" not in text
    for page in central_asia["reader"].pages:
        assert not page.images  # nothing was fetched: the memo has no raster image at all


def test_page_count_is_sane_and_the_body_comes_before_the_tabs(central_asia):
    pages = central_asia["pages"]
    assert 8 <= len(pages) <= 30
    assert central_asia["memo"].pages == len(pages)
    tab1 = next(i for i, page in enumerate(pages) if "Tab 1: The weighted comparison" in page)
    assert tab1 == 2  # the body fills two pages, no more
    assert "Sources" in pages[-1] and "Drafted by" in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert f"{number} of {len(pages)}" in page
        assert page.count("UNCLASSIFIED//FOR DISCUSSION") == 2  # top and bottom


def test_memo_is_a_tagged_letter_pdf_with_embedded_static_fonts(central_asia):
    reader = central_asia["reader"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata.title.startswith("Action memo: U.S. policy toward Kazakhstan")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"]).split("+", 1)[-1]] = font
    assert {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"} <= set(fonts)
    assert set(fonts) <= {
        "Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic",
        "Liberation-Serif-Bold-Italic", "Public-Sans", "Public-Sans-Bold",
    }, set(fonts)
    for font in fonts.values():
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded


def body_pages(pages: list[str]) -> int:
    """The pages before the one on which the first tab's heading stands."""
    return next(i for i, page in enumerate(pages) if "Tab 1: The weighted comparison" in page)


def test_the_body_keeps_to_two_pages_on_letter_and_on_a4(central_asia):
    box = central_asia["a4_box"]
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 indeed
    assert body_pages(central_asia["pages"]) <= 2
    assert body_pages(central_asia["a4_pages"]) <= 2
    for pages in (central_asia["pages"], central_asia["a4_pages"]):
        body = flat(" ".join(pages[:body_pages(pages)]))
        for part in ("Bottom line.", "That you approve", "Approve", "Disapprove", "Background",
                     "Discussion", "Attachments:"):
            assert part in body


def test_the_body_speaks_plainly_and_the_method_is_in_the_tabs(central_asia):
    pages = central_asia["pages"]
    body, tabs = flat(" ".join(pages[:2])), flat(" ".join(pages[2:]))
    for jargon in ("interquartile", "Kendall", "TOPSIS", "normalised", "weight_covered",
                   "p_first", "rank_acceptability", "trimmed_mean"):
        assert jargon not in body, jargon
    assert not re.search(r" of 1\b", body)  # no total on the engine's 0-1 scale
    assert "Kendall’s W" in tabs and "shown out of 100" in tabs
    assert re.search(r"\d+ out of 100", body)


def structure(reader) -> tuple[dict, list]:
    """Count the tagged structure's element types and collect the figures' alternate texts."""
    counts, alts, stack = {}, [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        element = stack.pop().get_object()
        if not isinstance(element, dict) or element.get("/Type") in ("/MCR", "/OBJR"):
            continue
        kind = element.get("/S")
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "/Figure":
            alts.append(str(element.get("/Alt", "")))
        kids = element.get("/K", [])
        stack.extend(kid for kid in (kids if isinstance(kids, list) else [kids])
                     if not isinstance(kid, int))
    return counts, alts


def test_tags_carry_headings_table_headers_and_chart_text(central_asia):
    reader = central_asia["reader"]
    root = reader.trailer["/Root"]
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()
    counts, alts = structure(reader)
    assert counts["/H1"] == 1 and counts["/H2"] >= 8 and counts["/H3"] >= 5
    assert counts["/Table"] >= 8 and counts["/TH"] >= 100 and counts["/Caption"] >= 8
    winner = central_asia["results"]["winner"]
    chart = next(alt for alt in alts if alt.startswith("Weighted totals"))
    assert f"{winner['option']} {wording.on_100(winner['total'])} out of 100" in chart
    assert all(alts)  # every figure has its text alternative


def table_cells(reader) -> tuple[dict, list]:
    """The header cells by their /ID, and each data cell's /Headers."""
    headers, cells, stack = {}, [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        element = stack.pop().get_object()
        if not isinstance(element, dict) or element.get("/Type") in ("/MCR", "/OBJR"):
            continue
        if element.get("/S") == "/TH":
            headers[str(element["/ID"])] = element
        elif element.get("/S") == "/TD":
            cells.append([str(h) for h in element["/A"].get("/Headers", [])])
        kids = element.get("/K", [])
        stack.extend(kid for kid in (kids if isinstance(kids, list) else [kids])
                     if not isinstance(kid, int))
    return headers, cells


def marked_content_in_the_tree(reader) -> set[tuple[int, int]]:
    """(page's object number, MCID) of every marked-content sequence that an element reachable
    from the structure tree's root refers to."""
    found, stack = set(), [(reader.trailer["/Root"]["/StructTreeRoot"], None)]
    while stack:
        reference, page = stack.pop()
        element = reference.get_object()
        if not isinstance(element, dict):
            continue
        page = element.get("/Pg", page)
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                found.add((page.idnum, kid))
            else:
                stack.append((kid, page))
    return found


def test_running_headers_and_footers_are_artifacts_and_the_rest_is_in_the_tree(central_asia):
    """PDF/UA: content is either in the structure tree or an artifact. WeasyPrint 70 leaves the
    margin boxes' text (the handling marking, the page numbers) as marked content outside the
    tree; the memo's renderer makes it artifacts (policy/memo/pdf.py)."""
    reader = central_asia["reader"]
    in_tree = marked_content_in_the_tree(reader)
    for page in reader.pages:
        content = page.get_contents().get_data().decode("latin-1")
        mcids = [int(m) for m in re.findall(r"/\w+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC", content)]
        assert mcids, "the page has tagged content"
        assert {(page.indirect_reference.idnum, mcid) for mcid in mcids} <= in_tree
        # The marking at the top and bottom and "N of M": text shown inside artifacts.
        artifacts = re.findall(r"/Artifact\s+BMC(.*?)EMC", content, re.S)
        assert sum(" Tj" in a or "TJ" in a for a in artifacts) >= 3
    assert "UNCLASSIFIED//FOR DISCUSSION" in central_asia["pages"][0]  # still printed


def test_every_data_cell_names_its_row_and_column_headers(central_asia):
    """WeasyPrint 70 writes no /Scope: it reads each <th scope> to tell row headers from
    column headers and gives every /TD the /Headers of both (PDF/UA's other way to make the
    association machine-determinable, weasyprint/pdf/tags.py). So: every header has an /ID,
    every data cell names existing headers, and nearly all name a row and a column header."""
    headers, cells = table_cells(central_asia["reader"])
    assert len(headers) >= 100 and len(cells) >= 200
    assert all(set(named) <= set(headers) for named in cells)
    assert all(named for named in cells)
    both = [named for named in cells if len(named) >= 2]
    assert len(both) >= 0.9 * len(cells)


def test_every_table_header_in_the_memo_templates_carries_a_scope():
    templates = Path(__file__).resolve().parents[2] / "templates" / "memo"
    for name in ("_ranking.html", "_changes.html", "_tabs.html"):
        html = (templates / name).read_text(encoding="utf-8")
        ths = re.findall(r"<th\b[^>]*>", html)
        assert ths, name
        assert all(re.search(r'scope="(row|col)"', th) for th in ths), name


# --- smaller workshops ----------------------------------------------------------------------

@pytest.mark.django_db
def test_user_text_is_escaped_in_the_html():
    workshop = make_workshop(make_case(title="Case <b>bold</b>"), analysts=2)
    Workshop.objects.filter(pk=workshop.pk).update(handling="<i>SECRET</i>", revealed=True)
    score(workshop, "ana1", "O1", "C1", 1, HOSTILE)
    score(workshop, "ana2", "O1", "C1", 9, "fine")
    html = memo_html(Workshop.objects.get(pk=workshop.pk))
    assert "<script>" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;SECRET&lt;/i&gt;" in html


@pytest.mark.django_db
def test_a_workshop_without_scores_still_gets_a_memo(settings):
    settings.MEMO_PAGE_SIZE = "A4"
    workshop = make_workshop(make_case(), analysts=2)
    memo = memo_pdf(workshop)
    reader = pypdf.PdfReader(io.BytesIO(memo.content))
    text = flat(reader.pages[0].extract_text())
    assert "No option can be recommended yet" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


@pytest.mark.django_db
def test_a_split_team_gets_a_split_memo():
    workshop = make_workshop(make_case(options=2, criteria=1), analysts=3)
    for analyst, (one, two) in {"ana1": (9, 2), "ana2": (8, 3), "ana3": (2, 9)}.items():
        score(workshop, analyst, "O1", "C1", one, f"{analyst} on O1")
        score(workshop, analyst, "O2", "C1", two, f"{analyst} on O2")
    text = flat(memo_html(workshop))
    assert "Recommendations: the team is split" in text
    assert "Recommendation 2, an alternative" in text
    assert "That you approve <strong>O2, Option 2</strong>" in text
    assert "Recommended by ana3, who ranks it first on their own scores." in text


@pytest.mark.django_db
def test_an_anonymous_workshop_names_no_analyst():
    workshop = make_workshop(make_case(options=2, criteria=1), analysts=2, anonymous=True)
    score(workshop, "ana1", "O1", "C1", 1, "low")
    score(workshop, "ana2", "O1", "C1", 9, "high")
    html = memo_html(workshop)
    assert "Analyst A1" in html and "Analyst A2" in html
    assert "ana1" not in html and "ana2" not in html


# --- the wording, on a hand-made result ---------------------------------------------------

def flip(criterion, weight, lower, upper, below=None, above=None):
    return {"criterion": criterion, "title": f"Title {criterion}", "weight": weight,
            "lower": lower, "upper": upper, "below_takes_over": below, "above_takes_over": above}


def test_nearest_flip_is_the_smallest_move_from_the_teams_weights():
    result = {"sensitivity": {"flip_points": [
        flip("C1", 0.2, 0.0, 0.5, above="O2"),  # 0.30 away
        flip("C2", 0.3, 0.12, 1.0, below="O3"),  # 0.18 away
        flip("C3", 0.5, 0.0, 1.0),  # never flips
    ]}}
    found = wording.nearest_flip(result)
    assert (found.criterion, found.direction, found.limit, found.takes_over) == (
        "C2", "falls below", 0.12, "O3")


def test_no_flip_anywhere_is_said_plainly():
    result = {
        "winner": {"option": "O1", "runner_up": "O2"}, "options": [],
        "ranking": [{"option": "O1", "status": "ranked"}, {"option": "O2", "status": "ranked"}],
        "sensitivity": {"flip_points": [flip("C1", 0.5, 0.0, 1.0)], "rank_acceptability": None},
    }
    assert wording.robustness(result) == (
        "No single criterion’s weight, anywhere from none to all of it, would change the "
        "winner.")


# --- honest coverage, on hand-made results -------------------------------------------------

def ranked_result(statuses: dict, present=12, expected=12) -> dict:
    """A result whose winner is O1, the other options in the given statuses."""
    return {
        "winner": {"option": "O1", "title": "One", "total": 0.8, "runner_up": None,
                   "margin": None, "tied": False},
        "ranking": [{"option": code, "status": status} for code, status in statuses.items()],
        "completeness": {"present": present, "expected": expected},
        "sensitivity": {"flip_points": [], "rank_acceptability": None},
    }


def test_a_total_reads_out_of_100_and_a_margin_in_points_between_the_printed_totals():
    assert wording.out_of_100(0.7781) == "78 out of 100"
    assert wording.out_of_100(0.785) == "79 out of 100"  # half up, not to even
    assert wording.out_of_100(None) == "–"
    assert wording.points_between(0.7781, 0.6449) == "14 points"  # 78 - 64, as printed
    assert wording.points_between(0.651, 0.6449) == "1 point"
    assert wording.points_between(0.6449, 0.6401) == "less than a point"


def test_only_option_left_standing_only_when_red_lines_screened_the_rest():
    screened = ranked_result({"O1": "ranked", "O2": "screened_out", "O3": "screened_out"})
    assert wording.bluf(screened, screened=2) == (
        "The team recommends O1, One, which scores 80 out of 100, the only option left "
        "standing: red lines screen out two other options.")
    unscored = ranked_result({"O1": "ranked", "O2": "no_scores"}, present=3, expected=12)
    assert wording.bluf(unscored, screened=0) == (
        "Incomplete: 3 of 12 expected scores (25%) are in. The team recommends O1, One, which "
        "scores 80 out of 100, but it has no rival yet: one other option is not scored.")
    both = ranked_result({"O1": "ranked", "O2": "screened_out", "O3": "no_scores",
                          "O4": "no_scores"}, present=8, expected=12)
    assert wording.bluf(both, screened=1).endswith(
        "the only option ranked: red lines screen out one other option and two other options "
        "are not scored.")


def test_coverage_never_rounds_to_a_false_100_or_0():
    assert wording.coverage({"completeness": {"present": 377, "expected": 378}}) == (
        "Incomplete: 377 of 378 expected scores (99%) are in.")
    assert wording.coverage({"completeness": {"present": 1, "expected": 378}}) == (
        "Incomplete: 1 of 378 expected scores (under 1%) are in.")
    assert wording.coverage({"completeness": {"present": 378, "expected": 378}}) == ""


def test_no_red_line_crossed_is_said_only_of_options_scored_on_it():
    result = {
        "criteria": [{"code": "C1", "red_line_threshold": 3.0, "origin": None},
                     {"code": "C2", "red_line_threshold": None, "origin": None}],
        "options": [{"code": "O1"}, {"code": "O2"}],
        "ranking": [{"option": "O1", "screened_out": []}, {"option": "O2", "screened_out": []}],
        "matrix": {"scores": {"O1": {"C1": 5.0, "C2": 1.0}, "O2": {"C1": None, "C2": 4.0}}},
    }
    assert red_line_sentences(result, {"origins": {}}) == [
        "No option scored on the red lines (C1) crosses one; O2 has no score on it, so is not "
        "checked."]
    result["matrix"]["scores"]["O2"]["C1"] = 4.0
    assert red_line_sentences(result, {"origins": {}}) == ["No option crosses a red line (C1)."]
