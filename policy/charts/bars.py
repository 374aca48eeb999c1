"""The stacked bar chart of weighted contributions: the same SVG on the results page and in
the memo. Every text is escaped here, since callers mark the result safe. Colour never carries
meaning alone: each segment has a <title>, the legend names the criteria in order, and totals
are printed as numbers.
"""
from dataclasses import dataclass
from html import escape

# Paul Tol's "muted" scheme: nine colours told apart with the common colour deficiencies, and
# its pale grey for what is grouped. No colour is used twice in one chart: past nine criteria,
# the smallest contributors share one "Other" segment.
PALETTE = [
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
    "#AA4499",
]
OTHER_FILL = "#DDDDDD"
CHAR_PX = 6.6  # the width of an average character at 12 px, for wrapping
LINE_PX = 14


@dataclass
class Bar:
    label: str
    segments: list[tuple[str, float]]  # (criterion label, contribution >= 0), in legend order
    total: float
    note: str = ""  # e.g. "screened out: below red line C3"


def wrap(text: str, chars: int) -> list[str]:
    """Lines of at most `chars` characters, broken between words (a longer word stands alone,
    whole): labels are wrapped, never cut."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def legend_of(bars: list[Bar]) -> tuple[list[str], list[str]]:
    """(criteria shown in their own colour, in legend order; criteria grouped as "Other"): the
    largest contributors over all bars keep a colour of their own."""
    names = [name for name, _ in bars[0].segments] if bars else []
    if len(names) <= len(PALETTE):
        return names, []
    size = {name: 0.0 for name in names}
    for bar in bars:
        for name, value in bar.segments:
            size[name] += max(value, 0.0)
    kept = set(sorted(names, key=lambda n: (-size[n], names.index(n)))[: len(PALETTE) - 1])
    return [n for n in names if n in kept], [n for n in names if n not in kept]


def stacked_bars(bars: list[Bar], *, title: str, width: int = 760, value_label: str = "Weighted total") -> str:
    """Horizontal stacked bars of weighted contributions, one bar per option, best first.

    Each bar is an image of its own for screen readers, named with its total and segments."""
    shown, grouped = legend_of(bars)
    fills = {name: PALETTE[i] for i, name in enumerate(shown)}
    legend = [(name, fills[name]) for name in shown]
    if grouped:
        legend.append((f"Other ({len(grouped)} criteria: "
                       + ", ".join(n.split(" ", 1)[0] for n in grouped) + ")", OTHER_FILL))
    label_w, bar_h, gap, top = 240, 22, 10, 28
    plot_w = width - label_w - 80
    scale_max = max([b.total for b in bars] + [1e-9])
    label_chars = int((label_w - 12) / CHAR_PX)
    rows = [wrap(bar.label, label_chars) for bar in bars]
    row_h = [max(bar_h, len(lines) * LINE_PX) + gap for lines in rows]
    legend_chars = int(((width - 20) / 2 - 20) / (CHAR_PX * 11 / 12))
    legend_lines = [wrap(name, legend_chars) for name, _ in legend]
    legend_h = sum(max(len(lines) for lines in legend_lines[i:i + 2]) * 16 + 4
                   for i in range(0, len(legend_lines), 2))
    height = top + sum(row_h) + 20 + legend_h + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="group" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="{label_w}" y="16" font-size="12" fill="#454545" aria-hidden="true">'
        f"{escape(value_label)} (0 to {scale_max:.2f})</text>",
    ]
    y = top
    for bar, lines, h in zip(bars, rows, row_h):
        parts = {name: max(value, 0.0) for name, value in bar.segments}
        segments = [(name, parts[name], fills[name]) for name in shown]
        if grouped:
            segments.append(("Other", sum(parts[n] for n in grouped), OTHER_FILL))
        text = f"{bar.total:.3f}" + (f"  {bar.note}" if bar.note else "")
        spoken = f"{bar.label}: {value_label.lower()} {text}; " + ", ".join(
            f"{name} {value:.3f}" for name, value, _ in segments if value > 0)
        out.append(f'<g role="img" aria-label="{escape(spoken)}">')
        first = y + bar_h * 0.7 - (len(lines) - 1) * LINE_PX / 2
        out.append(
            f'<text x="{label_w - 8}" y="{first:.1f}" font-size="12" text-anchor="end" '
            f'fill="#1b1b1b">' + "".join(
                f'<tspan x="{label_w - 8}" dy="{0 if i == 0 else LINE_PX}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)) + "</text>"
        )
        x = float(label_w)
        for name, value, fill in segments:
            w = plot_w * value / scale_max
            if w <= 0:
                continue
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{fill}" stroke="#fff" stroke-width="0.5">'
                f"<title>{escape(bar.label)}: {escape(name)} {value:.3f}</title></rect>"
            )
            x += w
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + bar_h * 0.7:.1f}" font-size="12" '
            f'fill="#1b1b1b">{escape(text)}</text></g>'
        )
        y += h
    ly = y + 14
    col_w = (width - 20) / 2
    out.append('<g aria-hidden="true">')  # the bars above already say it all
    for i in range(0, len(legend), 2):
        pair = list(zip(legend[i:i + 2], legend_lines[i:i + 2]))
        for j, ((name, fill), lines) in enumerate(pair):
            lx = 10 + j * col_w
            out.append(
                f'<rect x="{lx:.1f}" y="{ly - 10}" width="12" height="12" fill="{fill}"/>'
                f'<text x="{lx + 17:.1f}" y="{ly}" font-size="11" fill="#1b1b1b">' + "".join(
                    f'<tspan x="{lx + 17:.1f}" dy="{0 if k == 0 else 16}">{escape(line)}</tspan>'
                    for k, line in enumerate(lines)) + "</text>"
            )
        ly += max(len(lines) for _, lines in pair) * 16 + 4
    out.append("</g></svg>")
    return "".join(out)


def contribution_bars(result: dict) -> list[Bar]:
    """One bar per ranked option of an engine result (`compare(...).to_dict()`), best first,
    segmented by each criterion's weighted contribution."""
    criteria = result["criteria"]
    return [
        Bar(
            label=f"{row['option']} {row['title']}",
            segments=[(f"{c['code']} {c['title']}",
                       result["contributions"][row["option"]][c["code"]] or 0.0)
                      for c in criteria],
            total=row["total"],
        )
        for row in result["ranking"] if row["status"] == "ranked"
    ]


def clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
