"""The case's maps as SVG: every actor and risk appears, markup is escaped, labels never
overlap, and colour is never the only carrier of meaning."""
import json
import re
import xml.etree.ElementTree as ET

import pytest

from policy import charts
from policy.charts import CHAR_W, actor_map, case_maps, risk_heatmap

SVG = "{http://www.w3.org/2000/svg}"
CENTRAL_ASIA = json.loads(open("fixtures/central-asia-2012.json", encoding="utf-8").read())


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # also proves the markup is well formed


def actor_boxes(root):
    """(code, x0, y0, x1, y1) of each actor's label lines, by the chart's own width estimate."""
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "actor":
            continue
        code = group.find(f"{SVG}title").text.split()[0]
        for span in group.iter(f"{SVG}tspan"):
            x, y = float(span.get("x")), float(span.get("y"))
            boxes.append((code, x - 15, y - 10, x + len(span.text) * CHAR_W, y + 3))
    return boxes


def overlaps(a, b) -> bool:
    return a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]


# --- actor map -------------------------------------------------------------------------

def test_actor_map_shows_every_actor_of_the_central_asia_case_without_overlaps():
    actors = CENTRAL_ASIA["actors"]
    assert len(actors) >= 20
    for width in (560, 760, 960):
        svg = actor_map(actors, width=width)
        root = parse(svg)
        boxes = actor_boxes(root)
        codes = {box[0] for box in boxes}
        assert codes == {a["code"] for a in actors}, width
        for i, a in enumerate(boxes):
            assert 0 <= a[1] and a[3] <= width, (width, a)
            for b in boxes[i + 1:]:
                if a[0] != b[0]:
                    assert not overlaps(a, b), (width, a, b)
        # Labels stay inside their column (the column's rules are the vertical lines).
        height = float(root.get("height"))
        assert root.get("viewBox") == f"0 0 {width} {int(height)}"


def test_actor_labels_are_legible_lines_not_clipped_stubs_at_page_width():
    svg = actor_map(CENTRAL_ASIA["actors"], width=960)
    texts = [span.text for span in parse(svg).iter(f"{SVG}tspan")]
    assert "A2 Russia" in texts
    assert "A12 Collective Security" in texts  # a long name wraps over two lines...
    assert "A1 Government of" in texts and "Kazakhstan" in texts  # ...its parenthesis dropped
    clipped = [t for t in texts if t.endswith("…")]
    assert len(clipped) <= 6


def test_actor_map_names_each_actor_fully_in_title_and_desc():
    actors = CENTRAL_ASIA["actors"]
    root = parse(actor_map(actors))
    desc = root.find(f"{SVG}desc").text
    titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")]
    for actor in actors:
        assert f"{actor['code']} {actor['name']} (" in desc
        assert any(t.startswith(f"{actor['code']} {actor['name']}:") for t in titles)
    assert root.get("role") == "img" and root.get("aria-label")


def test_actor_map_marks_kind_by_shape_as_well_as_colour():
    actors = [
        {"code": "A1", "name": "State", "kind": "state", "influence": 3, "stance": 0},
        {"code": "A2", "name": "Group", "kind": "armed_group", "influence": 3, "stance": 0},
    ]
    svg = actor_map(actors)
    assert "<circle" in svg and "<polygon" in svg
    assert "Armed or extremist group" in svg and ">State<" in svg  # the legend


def test_actor_map_places_actors_by_stance_and_influence():
    actors = [
        {"code": "A1", "name": "Friend", "kind": "state", "influence": 5, "stance": 2},
        {"code": "A2", "name": "Foe", "kind": "state", "influence": 1, "stance": -2},
    ]
    boxes = {b[0]: b for b in actor_boxes(parse(actor_map(actors)))}
    assert boxes["A1"][1] > boxes["A2"][1]  # supporters to the right
    assert boxes["A1"][2] < boxes["A2"][2]  # the influential at the top


def test_actor_map_escapes_markup_and_takes_model_instances(db):
    from policy.models import Actor, Case

    case = Case.objects.create(slug="x", title="x", question="q", decider="d")
    Actor.objects.create(case=case, code="A1", name='<script>alert("x")</script> & Co',
                         kind="state", influence=2, stance=1)
    svg = actor_map(case.actors.all())
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "&amp; Co" in svg
    parse(svg)


def test_actor_map_with_no_actors_says_so():
    svg = actor_map([])
    assert "No actors yet." in svg
    parse(svg)


def test_out_of_range_values_are_kept_on_the_grid():
    svg = actor_map([{"code": "A1", "name": "x", "kind": "nonsense", "influence": 9,
                      "stance": -7}])
    boxes = actor_boxes(parse(svg))
    assert boxes and boxes[0][0] == "A1"


# --- risk heat map -----------------------------------------------------------------------

def cell_numbers(root) -> list[int]:
    numbers = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "cell":
            numbers.append(int(group.find(f"{SVG}text").text))
    return numbers


def test_heatmap_prints_each_cells_likelihood_times_impact():
    root = parse(risk_heatmap([]))
    assert sorted(cell_numbers(root)) == sorted(
        likelihood * impact for likelihood in range(1, 6) for impact in range(1, 6))
    assert "No risks." in root.find(f"{SVG}desc").text


def test_heatmap_puts_each_risk_code_in_its_cell():
    risks = CENTRAL_ASIA["risks"]
    root = parse(risk_heatmap(risks))
    cells = []  # (likelihood x impact printed in the cell, its box)
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "cell":
            rect = group.find(f"{SVG}rect")
            x, y = float(rect.get("x")), float(rect.get("y"))
            box = (x, y, x + float(rect.get("width")), y + float(rect.get("height")))
            cells.append((int(group.find(f"{SVG}text").text), box))
    placed = {}
    for text in root.iter(f"{SVG}text"):
        title = text.find(f"{SVG}title")
        if title is None:
            continue
        x, y = float(text.get("x")), float(text.get("y"))
        printed = next(n for n, (x0, y0, x1, y1) in cells if x0 <= x <= x1 and y0 <= y <= y1)
        placed[title.tail] = printed
    assert placed == {r["code"]: r["likelihood"] * r["impact"] for r in risks}


def test_heatmap_wraps_a_crowded_cell_without_overlap():
    risks = [{"code": f"R{n}", "title": "t", "likelihood": 3, "impact": 3} for n in range(1, 16)]
    root = parse(risk_heatmap(risks, width=400))
    spots = [(float(t.get("x")), float(t.get("y"))) for t in root.iter(f"{SVG}text")
             if t.find(f"{SVG}title") is not None]
    assert len(spots) == 15 and len(set(spots)) == 15
    rows = {}
    for x, y in spots:
        rows.setdefault(y, []).append(x)
    for xs in rows.values():
        xs.sort()
        assert all(b - a >= 3 * CHAR_W for a, b in zip(xs, xs[1:]))


def test_heatmap_escapes_markup():
    svg = risk_heatmap([{"code": "R<1>", "title": "A & <b>B</b>", "likelihood": 2,
                         "impact": 2}])
    assert "<b>" not in svg and "R&lt;1&gt;" in svg and "A &amp; &lt;b&gt;" in svg
    parse(svg)


def test_heatmap_fills_keep_dark_text_readable():
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    ink = luminance(charts.INK_2)
    for _, fill, _ in charts.RISK_BANDS:
        assert (luminance(fill) + 0.05) / (ink + 0.05) >= 4.5, fill
    for fill in charts.STANCE_FILLS.values():
        assert (luminance(fill) + 0.05) / (luminance(charts.INK) + 0.05) >= 4.5


@pytest.mark.parametrize("name, expected", [
    ("Collective Security Treaty Organization (CSTO)",
     ("Collective Security Treaty Organization", "CSTO")),
    ("Uzbekistan (President Islam Karimov)", ("Uzbekistan", None)),
    ("Russia", ("Russia", None)),
])
def test_short_names(name, expected):
    assert case_maps._short_name(name) == expected


def _bars(criteria: int, options: int = 3):
    from policy.charts import Bar

    return [
        Bar(label=f"O{o} An option whose title is long enough to need two or three lines here",
            segments=[(f"C{c} Criterion number {c}", 0.01 * c) for c in range(1, criteria + 1)],
            total=sum(0.01 * c for c in range(1, criteria + 1)))
        for o in range(1, options + 1)
    ]


def test_contribution_chart_repeats_no_colour_and_groups_the_smallest_as_other():
    from policy.charts import PALETTE, stacked_bars

    svg = stacked_bars(_bars(18), title="t")
    first_bar = svg.split('<g role="img"')[1].split("</g>")[0]
    fills = re.findall(r'fill="(#[0-9A-F]{6})" stroke', first_bar)
    assert len(fills) == len(set(fills)) == 9  # eight criteria of their own and "Other"
    assert set(fills) - {"#DDDDDD"} <= set(PALETTE)
    # The eight largest contributors (C11-C18) keep their colours; the rest are "Other".
    legend = " ".join(re.sub(r"<[^>]+>", " ", svg.split('<g aria-hidden="true">')[1]).split())
    assert "Other (10 criteria: C1, C2, C3, C4, C5, C6, C7, C8, C9, C10)" in legend
    assert "C18 Criterion number 18" in svg and "C10 Criterion number 10</tspan>" not in svg


def test_contribution_chart_wraps_labels_whole_and_names_each_bar_for_screen_readers():
    from policy.charts import stacked_bars

    svg = stacked_bars(_bars(3, options=2), title="Totals")
    assert "…" not in svg
    words = " ".join(re.sub(r"<[^>]+>", " ", part).strip()
                     for part in re.findall(r'text-anchor="end"[^>]*>(.*?)</text>', svg))
    assert " ".join(words.split()) == " ".join(
        ["O1 An option whose title is long enough to need two or three lines here",
         "O2 An option whose title is long enough to need two or three lines here"])
    labels = re.findall(r'<g role="img" aria-label="([^"]*)"', svg)
    assert labels[0] == ("O1 An option whose title is long enough to need two or three lines "
                         "here: weighted total 0.060; C1 Criterion number 1 0.010, "
                         "C2 Criterion number 2 0.020, C3 Criterion number 3 0.030")
    assert len(labels) == 2
