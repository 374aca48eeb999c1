"""The stacked bar chart of weighted contributions: the same SVG on the results page and in
the memo. Every text is escaped here, since callers mark the result safe. Colour never carries
meaning alone: each segment has a <title>, the legend names the criteria in order, and totals
are printed as numbers.
"""
from dataclasses import dataclass
from html import escape

# Okabe-Ito and Tol's "muted" palettes: distinguishable with the common colour deficiencies.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288",
    "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
]


@dataclass
class Bar:
    label: str
    segments: list[tuple[str, float]]  # (criterion label, contribution >= 0), in legend order
    total: float
    note: str = ""  # e.g. "screened out: below red line C3"


def stacked_bars(bars: list[Bar], *, title: str, width: int = 760, value_label: str = "Weighted total") -> str:
    """Horizontal stacked bars of weighted contributions, one bar per option, best first."""
    legend = [name for name, _ in bars[0].segments] if bars else []
    label_w, bar_h, gap, top = 230, 22, 10, 28
    plot_w = width - label_w - 70
    scale_max = max([b.total for b in bars] + [1e-9])
    legend_rows = (len(legend) + 2) // 3
    height = top + len(bars) * (bar_h + gap) + 20 + legend_rows * 18 + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="{label_w}" y="16" font-size="12" fill="#454545">{escape(value_label)} '
        f"(0 to {scale_max:.2f})</text>",
    ]
    for i, bar in enumerate(bars):
        y = top + i * (bar_h + gap)
        out.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" font-size="12" text-anchor="end" '
            f'fill="#1b1b1b">{escape(clip(bar.label, 30))}</text>'
        )
        x = float(label_w)
        for j, (name, value) in enumerate(bar.segments):
            w = plot_w * max(value, 0.0) / scale_max
            if w <= 0:
                continue
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{PALETTE[j % len(PALETTE)]}" stroke="#fff" stroke-width="0.5">'
                f"<title>{escape(bar.label)}: {escape(name)} {value:.3f}</title></rect>"
            )
            x += w
        text = f"{bar.total:.3f}" + (f"  {bar.note}" if bar.note else "")
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + bar_h * 0.7:.1f}" font-size="12" '
            f'fill="#1b1b1b">{escape(text)}</text>'
        )
    ly = top + len(bars) * (bar_h + gap) + 14
    col_w = (width - 20) / 3
    for j, name in enumerate(legend):
        lx, row_y = 10 + (j % 3) * col_w, ly + (j // 3) * 18
        out.append(
            f'<rect x="{lx:.1f}" y="{row_y - 10}" width="12" height="12" '
            f'fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{lx + 17:.1f}" y="{row_y}" font-size="11" fill="#1b1b1b">'
            f"{escape(clip(name, 40))}</text>"
        )
    out.append("</svg>")
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
