"""The paced item's distribution as a dot plot: one row per option, a dot per answer on the
criterion's scale, the median marked and printed. No names: a dot is a value, never a person
(the reasons list beside it names people where the workshop allows). Every text is escaped
here, since callers mark the result safe; each row is an image of its own for screen readers,
named with its values and median.
"""
from dataclasses import dataclass
from html import escape

from .bars import wrap

DOT = "#005ea2"
INK = "#1b1b1b"
INK_2 = "#454545"
RULE = "#dfe1e2"


@dataclass
class DotRow:
    label: str  # "O1 Option one"
    values: list[float]  # one per answer, any order
    median: float | None  # None: no answers


def number(value: float) -> str:
    return f"{value:g}"


def ticks(low: int, high: int) -> list[int]:
    """At most 11 labelled values from low to high: every level of a 0-10 scale, every second
    or fifth of a longer one."""
    span = high - low
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 250, 500, 1000) if span / s <= 10),
                span or 1)
    return list(range(low, high + 1, step))


def dot_plot(rows: list[DotRow], *, low: int, high: int, title: str, width: int = 360,
             font: int = 16, label_w: int = 0) -> str:
    """The SVG, `width` wide with text at `font` px. Each option's name stands on its own
    line(s) above its dots, so the chart stays readable when a phone shrinks it; or, with
    `label_w`, in a column that wide beside them (the presenter's, wide and short)."""
    radius = font * 0.42
    tallest = font * 2.6  # a row's dots at most this high: many equal answers overlap
    median_w = round(font * 6)
    plot_x0, plot_x1 = label_w + radius + 6, width - median_w - radius
    span = (high - low) or 1

    def x_of(value: float) -> float:
        return plot_x0 + (plot_x1 - plot_x0) * (min(max(value, low), high) - low) / span

    line = font * 1.25
    label_chars = max(8, int(((label_w - font) if label_w else width) / (font * 0.56)))
    out = [f"<title>{escape(title)}</title>"]
    y = 0.0
    for row in rows:
        values = sorted(row.values)
        spoken = (f"{row.label}: " + (
            f"{len(values)} answer{'s' if len(values) != 1 else ''}, "
            + ", ".join(number(v) for v in values) + f"; median {number(row.median)}"
            if values else "no answers yet"))
        out.append(f'<g role="img" aria-label="{escape(spoken)}">')
        lines = wrap(row.label, label_chars)
        stack = max((values.count(v) for v in values), default=1)
        # Equal answers stack up, a dot apart, closer when many (the label still says each).
        pitch = min(radius * 2.1, (tallest - 2 * radius) / max(stack - 1, 1))
        strip = max((stack - 1) * pitch + 2 * radius, font * 1.6) + font * 0.4
        if label_w:  # beside: the label's lines centred on the dots
            block = max(len(lines) * line, strip)
            mid = y + block / 2
            text_y = mid + font * 0.35 - (len(lines) - 1) * line / 2
        else:  # above
            block = len(lines) * line + strip
            mid = y + len(lines) * line + strip / 2
            text_y = y + font
        out.append(f'<text x="0" y="{text_y:.1f}" font-size="{font}" font-weight="600" '
                   f'fill="{INK}">' + "".join(
                       f'<tspan x="0" dy="{0 if i == 0 else line:.1f}">{escape(text)}</tspan>'
                       for i, text in enumerate(lines)) + "</text>")
        out.append(f'<line x1="{plot_x0:.1f}" x2="{plot_x1:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" '
                   f'stroke="{RULE}" stroke-width="2"/>')
        placed: dict[float, int] = {}
        for value in values:
            k = placed.get(value, 0)
            placed[value] = k + 1
            cy = mid + (k - (values.count(value) - 1) / 2) * pitch
            out.append(f'<circle cx="{x_of(value):.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
                       f'fill="{DOT}" stroke="#fff" stroke-width="1"/>')
        if row.median is not None:  # drawn over the dots: it shows where they sit
            mx = x_of(row.median)
            out.append(f'<line class="median" x1="{mx:.1f}" x2="{mx:.1f}" '
                       f'y1="{mid - strip / 2 + 2:.1f}" y2="{mid + strip / 2 - 2:.1f}" stroke="{INK}" '
                       f'stroke-width="{max(2.0, font / 6):.1f}"/>')
        said = f"median {number(row.median)}" if row.median is not None else "no answers"
        out.append(f'<text x="{width - 2}" y="{mid + font * 0.35:.1f}" font-size="{font}" '
                   f'text-anchor="end" fill="{INK}">{escape(said)}</text></g>')
        y += block + font * 0.5
    out.append('<g aria-hidden="true">')  # the rows already say every value
    out.append(f'<line x1="{plot_x0:.1f}" x2="{plot_x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
               f'stroke="{INK_2}" stroke-width="1"/>')
    for tick in ticks(low, high):
        tx = x_of(tick)
        out.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y:.1f}" y2="{y + font * 0.4:.1f}" '
                   f'stroke="{INK_2}" stroke-width="1"/>'
                   f'<text x="{tx:.1f}" y="{y + font * 1.5:.1f}" font-size="{font}" '
                   f'text-anchor="middle" fill="{INK_2}">{tick}</text>')
    height = round(y + font * 2)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="group" aria-label="{escape(title)}" '
            f'class="chart dot-plot">' + "".join(out) + "</g></svg>")
