"""The paced item's dot plot: each answer a dot at its value, the median marked where it is,
every text escaped, each row named for screen readers, no names."""
import re
import xml.etree.ElementTree as ET

import pytest

from policy.charts.dots import DotRow, dot_plot, ticks

SVG = "{http://www.w3.org/2000/svg}"


def rows_of(svg: str):
    root = ET.fromstring(svg)  # also proves the markup is well formed
    return root, [g for g in root.iter(f"{SVG}g") if g.get("role") == "img"]


def axis(root) -> dict[int, float]:
    """Tick value -> x, from the axis labels."""
    hidden = next(g for g in root.iter(f"{SVG}g") if g.get("aria-hidden") == "true")
    return {int(t.text): float(t.get("x")) for t in hidden.iter(f"{SVG}text")}


@pytest.mark.parametrize("label_w", [0, 300])
def test_dots_sit_at_their_values_and_the_median_is_marked(label_w):
    svg = dot_plot([DotRow("O1 First", [2, 8, 5, 5], 5.0), DotRow("O2 Second", [10], 10.0)],
                   low=0, high=10, title="C1", width=800, font=20, label_w=label_w)
    root, rows = rows_of(svg)
    x = axis(root)
    assert sorted(x) == list(range(11))
    first = rows[0]
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in first.iter(f"{SVG}circle")]
    assert sorted(round(cx, 1) for cx, _ in dots) == sorted(round(x[v], 1) for v in (2, 5, 5, 8))
    fives = [cy for cx, cy in dots if round(cx, 1) == round(x[5], 1)]
    assert len(set(fives)) == 2  # equal answers stacked, not drawn over each other
    [median] = [line for line in first.iter(f"{SVG}line") if line.get("class") == "median"]
    assert float(median.get("x1")) == pytest.approx(x[5], abs=0.1)
    assert first.get("aria-label") == "O1 First: 4 answers, 2, 5, 5, 8; median 5"
    assert "median 5" in "".join(first.itertext())
    assert float(rows[1].find(f"{SVG}circle").get("cx")) == pytest.approx(x[10], abs=0.1)


def test_labels_beside_leave_the_dots_right_of_them():
    svg = dot_plot([DotRow("O1 A rather long option name that wraps", [0], 0.0)], low=0, high=10,
                   title="C1", width=900, font=28, label_w=400)
    root, _ = rows_of(svg)
    assert axis(root)[0] > 400
    spans = [t.text for t in root.iter(f"{SVG}tspan")]
    assert len(spans) >= 2 and all(len(s) * 28 * 0.56 <= 400 for s in spans)


def test_a_row_without_answers_says_so_and_text_is_escaped():
    svg = dot_plot([DotRow("O1 <script>alert(1)</script>", [], None)], low=1, high=5,
                   title='C1 "quoted" & <b>', width=360, font=14)
    root, [row] = rows_of(svg)
    assert row.get("aria-label") == "O1 <script>alert(1)</script>: no answers yet"
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert root.get("aria-label") == 'C1 "quoted" & <b>'
    assert row.find(f"{SVG}circle") is None
    assert not [l for l in row.iter(f"{SVG}line") if l.get("class") == "median"]


def test_the_height_grows_with_the_rows():
    one = dot_plot([DotRow("O1", [1], 1.0)], low=0, high=10, title="t")
    three = dot_plot([DotRow(f"O{i}", [1], 1.0) for i in range(3)], low=0, high=10, title="t")
    height = lambda svg: int(re.search(r'height="(\d+)"', svg).group(1))  # noqa: E731
    assert height(three) > height(one) * 2


@pytest.mark.parametrize("low, high, expected", [
    (0, 10, list(range(11))), (1, 5, [1, 2, 3, 4, 5]), (0, 100, list(range(0, 101, 10))),
    (-5, 5, list(range(-5, 6))), (0, 20, list(range(0, 21, 2))),
])
def test_ticks(low, high, expected):
    assert ticks(low, high) == expected
