"""The case's maps as SVG: actors by influence and stance, risks by likelihood and impact.

Both take model instances or plain mappings (the memo passes either) and lay items out on a
5 x 5 grid of discrete levels. Items that share a cell are listed one under another, and rows
grow to fit the fullest cell, so no two labels ever overlap. Each item carries a <title>, and
the chart's <desc> lists every item with its values: the text alternative for screen readers
and for the memo's tagged PDF.
"""
import re
from html import escape

from ..models.case import STANCES, Actor
from ..scoring.names import word_for
from .bars import clip

FONT = "Public Sans, Liberation Sans, Arial, sans-serif"
CHAR_W = 6.2  # a generous average advance at 11px, so clipped labels do not spill
INK, INK_2, GRID = "#1b1b1b", "#454545", "#ffffff"

# Kind -> (shape, fill). Shape and colour both mark the kind: colour is never alone.
KIND_MARKS = {
    "state": ("circle", "#0072B2"),
    "regional_org": ("square", "#E69F00"),
    "international_org": ("diamond", "#009E73"),
    "armed_group": ("triangle", "#D55E00"),
    "domestic_faction": ("triangle-down", "#CC79A7"),
    "other": ("cross", "#5c5c5c"),
}
# Kind -> (shape, fill, label), labelled as the model's choices (and so the case pages).
ACTOR_KINDS = {kind: (*KIND_MARKS[kind], label) for kind, label in Actor.Kind.choices}
STANCE_FILLS = {-2: "#f9e8e3", -1: "#fcf3f0", 0: "#f4f4f4", 1: "#eef5fb", 2: "#e1eef9"}


def _get(item, name, default=None):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _level(value, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(value)))
    except (TypeError, ValueError):
        return low


def _share(wanted: dict, available: float) -> dict:
    """Widths for columns that want `wanted`: all they want if it fits (the spare shared out
    evenly); otherwise narrow columns keep their width and the widest are cut to one cap."""
    total = sum(wanted.values())
    if total <= available:
        return {k: w + (available - total) / len(wanted) for k, w in wanted.items()}
    low, high = 0.0, max(wanted.values())
    for _ in range(40):
        cap = (low + high) / 2
        if sum(min(w, cap) for w in wanted.values()) > available:
            high = cap
        else:
            low = cap
    return {k: min(w, low) for k, w in wanted.items()}


def _natural(code: str) -> list:
    """R2 before R10."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", code) if p]


def _fit(text: str, pixels: float) -> str:
    return clip(text, max(3, int(pixels / CHAR_W)))


def _marker(shape: str, x: float, y: float, fill: str, r: float = 5.0) -> str:
    stroke = f'fill="{fill}" stroke="{INK}" stroke-width="0.75"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" {stroke}/>'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" {stroke}/>'
    if shape == "diamond":
        points = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
    elif shape == "triangle":
        points = [(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)]
    elif shape == "triangle-down":
        points = [(x - r - 1, y - r), (x + r + 1, y - r), (x, y + r + 1)]
    else:  # a plus sign
        a, b = r, r * 0.4
        points = [(x - b, y - a), (x + b, y - a), (x + b, y - b), (x + a, y - b), (x + a, y + b),
                  (x + b, y + b), (x + b, y + a), (x - b, y + a), (x - b, y + b), (x - a, y + b),
                  (x - a, y - b), (x - b, y - b)]
    text = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return f'<polygon points="{text}" {stroke}/>'


def _svg_open(width: int, height: int, title: str, desc: str, css_class: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'class="chart {css_class}" font-family="{FONT}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


def _short_name(name: str) -> tuple[str, str | None]:
    """A name without its trailing parenthesis, and the acronym that parenthesis gives, if
    any: "Collective Security Treaty Organization (CSTO)" -> ("Collective ... Organization",
    "CSTO"); "Uzbekistan (President Islam Karimov)" -> ("Uzbekistan", None)."""
    match = re.fullmatch(r"(.+?)\s*\(([^()]*)\)\s*", name)
    if not match:
        return name, None
    inner = match.group(2).strip()
    return match.group(1), inner if re.fullmatch(r"[A-Z][A-Z0-9&.-]{1,9}", inner) else None


def _wrap(words: list[str], chars: int, lines: int) -> list[str] | None:
    """Words in at most `lines` lines of `chars` characters, or None if they do not fit."""
    out = [""]
    for word in words:
        candidate = f"{out[-1]} {word}".strip()
        if len(candidate) <= chars:
            out[-1] = candidate
        elif len(out) < lines and len(word) <= chars:
            out.append(word)
        else:
            return None
    return out


def _actor_label(code: str, name: str, pixels: float) -> list[str]:
    """One or two lines for an actor within `pixels`: its code and name; else without the
    name's parenthesis; else over two lines; else by the acronym; else clipped."""
    chars = max(4, int(pixels / CHAR_W))
    base, acronym = _short_name(name)
    full, short = f"{code} {name}".strip(), f"{code} {base}".strip()
    for text in (full, short):
        if len(text) <= chars:
            return [text]
    two = _wrap(short.split(), chars, 2)
    if two:
        return two
    if acronym and len(f"{code} {acronym}") <= chars:
        return [f"{code} {acronym}"]
    words, first = short.split(), []
    for word in words:
        if len(" ".join([*first, word])) > chars:
            break
        first.append(word)
    if not first:
        return [clip(short, chars)]
    return [" ".join(first), clip(" ".join(words[len(first):]), chars)]


def actor_map(actors, *, title: str = "Actors by influence and stance", width: int = 760) -> str:
    """Actors placed by stance (columns, -2 to +2) and influence (rows, 5 at the top), each
    marked by a shape and colour for its kind and labelled with its code and name (shortened,
    over two lines if need be; the full name is in each label's <title> and the <desc>)."""
    items = []
    for actor in actors:
        kind = str(_get(actor, "kind", "other") or "other")
        items.append({
            "code": str(_get(actor, "code", "")),
            "name": str(_get(actor, "name", "") or _get(actor, "label", "")),
            "kind": kind if kind in ACTOR_KINDS else "other",
            "influence": _level(_get(actor, "influence"), 1, 5),
            "stance": _level(_get(actor, "stance"), -2, 2),
        })
    kind_order = list(ACTOR_KINDS)
    cells: dict[tuple[int, int], list[dict]] = {}
    for item in sorted(items, key=lambda a: (kind_order.index(a["kind"]), _natural(a["code"]))):
        cells.setdefault((item["influence"], item["stance"]), []).append(item)

    left, right, top = 80, 8, 30
    line_h, gap, pad = 13, 5, 8
    available = width - left - right
    # Columns are ordinal levels, so each may take the width its longest label wants (the
    # name without its parenthesis, on one line); narrow columns keep theirs, wide ones share
    # what is left and wrap.
    wanted = {
        stance: max(
            [len(f"{a['code']} {_short_name(a['name'])[0]}") * CHAR_W + 26
             for (_, s), v in cells.items() if s == stance for a in v] + [84])
        for stance, _ in STANCES
    }
    col_ws = _share(wanted, available)
    for (_, stance), group in cells.items():
        for a in group:
            a["lines"] = _actor_label(a["code"], a["name"], col_ws[stance] - 24)
    # Rows likewise: each as tall as its fullest cell.
    row_hs = {
        influence: max(40, 2 * pad - gap + max(
            [sum(len(a["lines"]) * line_h + gap for a in v)
             for (i, _), v in cells.items() if i == influence] + [0]))
        for influence in range(1, 6)
    }
    col_x, x = {}, float(left)
    for stance, _ in STANCES:
        col_x[stance], x = x, x + col_ws[stance]
    row_y, y = {}, float(top)
    for influence in range(5, 0, -1):
        row_y[influence], y = y, y + row_hs[influence]
    plot_h = sum(row_hs.values())
    kinds_used = [k for k in kind_order if any(a["kind"] == k for a in items)]
    legend_cols = 3
    legend_rows = (len(kinds_used) + legend_cols - 1) // legend_cols
    height = top + plot_h + 44 + max(legend_rows, 1) * 20 + 8

    desc = "; ".join(
        f"{a['code']} {a['name']} ({ACTOR_KINDS[a['kind']][2].lower()}): influence "
        f"{a['influence']}, stance {a['stance']:+d}" for a in items
    ) or "No actors."
    out = _svg_open(width, height, title, desc, "actor-map")
    out.append(
        f'<text x="10" y="16" font-size="12" fill="{INK_2}">Influence (rows) by stance toward '
        f"the decider’s aims (columns)</text>"
    )
    for stance, _ in STANCES:
        out.append(
            f'<rect x="{col_x[stance]:.1f}" y="{top}" width="{col_ws[stance]:.1f}" '
            f'height="{plot_h}" fill="{STANCE_FILLS[stance]}"/>'
        )
    for y in [*row_y.values(), top + plot_h]:
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#c9cccf"/>'
        )
    for x in [*col_x.values(), width - right]:
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#c9cccf"/>'
        )
    for influence in range(5, 0, -1):
        y = row_y[influence] + row_hs[influence] / 2 + 4
        label = {5: "5 decisive", 1: "1 marginal"}.get(influence, str(influence))
        out.append(
            f'<text x="{left - 8}" y="{y:.1f}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{label}</text>'
        )
    for stance, label in STANCES:
        x = col_x[stance] + col_ws[stance] / 2
        out.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="12" text-anchor="middle" '
            f'fill="{INK}">{label}</text>'
        )
    out.append(
        f'<text x="{left + available / 2:.1f}" y="{top + plot_h + 32}" font-size="12" '
        f'text-anchor="middle" fill="{INK_2}">Stance (−2 opposes to +2 supports)</text>'
    )
    for (influence, stance), group in cells.items():
        x0, y = col_x[stance], row_y[influence] + pad
        for a in group:
            shape, fill, kind_label = ACTOR_KINDS[a["kind"]]
            lines = "".join(
                f'<tspan x="{x0 + 19:.1f}" y="{y + 10 + k * line_h:.1f}">{escape(line)}</tspan>'
                for k, line in enumerate(a["lines"])
            )
            out.append(
                f'<g class="actor"><title>{escape(a["code"])} {escape(a["name"])}: '
                f"{escape(kind_label.lower())}, influence {a['influence']}, stance "
                f"{a['stance']:+d}</title>{_marker(shape, x0 + 10, y + 6, fill)}"
                f'<text font-size="11" fill="{INK}">{lines}</text></g>'
            )
            y += len(a["lines"]) * line_h + gap
    if not items:
        out.append(
            f'<text x="{left + available / 2:.1f}" y="{top + plot_h / 2:.1f}" font-size="12" '
            f'text-anchor="middle" fill="{INK_2}">No actors yet.</text>'
        )
    ly = top + plot_h + 52
    legend_w = (width - 20) / legend_cols
    for n, kind in enumerate(kinds_used):
        shape, fill, label = ACTOR_KINDS[kind]
        lx, y = 10 + (n % legend_cols) * legend_w, ly + (n // legend_cols) * 20
        out.append(
            _marker(shape, lx + 6, y - 4, fill)
            + f'<text x="{lx + 16:.1f}" y="{y}" font-size="11" fill="{INK}">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


# Severity bands (likelihood x impact). Light fills keep dark text above 4.5:1 contrast, and the
# number printed in each cell says what the colour says.
RISK_BANDS = [
    (4, "#e4f2e1", "1–4 low"),
    (9, "#fbf0c4", "5–9 moderate"),
    (16, "#f9d7b3", "10–16 high"),
    (25, "#f4c0b4", "20–25 severe"),
]


def _band(severity: int) -> tuple[str, str]:
    for top, fill, label in RISK_BANDS:
        if severity <= top:
            return fill, label
    return RISK_BANDS[-1][1:]


def risk_heatmap(risks, *, title: str = "Risks by likelihood and impact", width: int = 560) -> str:
    """A 5 x 5 grid, likelihood across and impact up; each cell prints its likelihood x impact
    and the codes of the risks in it."""
    items = [
        {
            "code": str(_get(r, "code", "")),
            "title": str(_get(r, "title", "") or ""),
            "likelihood": _level(_get(r, "likelihood"), 1, 5),
            "impact": _level(_get(r, "impact"), 1, 5),
        }
        for r in risks
    ]
    cells: dict[tuple[int, int], list[dict]] = {}
    for item in sorted(items, key=lambda r: _natural(r["code"])):
        cells.setdefault((item["likelihood"], item["impact"]), []).append(item)

    left, right, top = 78, 8, 30
    col_w = (width - left - right) / 5
    code_w = max([len(r["code"]) for r in items] + [2]) * 7.2 + 8
    per_line = max(1, int((col_w - 10) // code_w))
    fullest = max([len(v) for v in cells.values()] + [0])
    lines = (fullest + per_line - 1) // per_line
    line_h = 16
    row_h = max(56, 26 + lines * line_h + 6)
    plot_h = 5 * row_h
    height = top + plot_h + 40 + 44

    desc = "; ".join(
        f"{r['code']} {r['title']}: likelihood {r['likelihood']}, impact {r['impact']} "
        f"(likelihood × impact {r['likelihood'] * r['impact']})" for r in items
    ) or "No risks."
    out = _svg_open(width, height, title, desc, "risk-heatmap")
    out.append(
        f'<text x="10" y="16" font-size="12" fill="{INK_2}">Impact (rows) by likelihood '
        f"(columns); each cell shows likelihood × impact</text>"
    )
    for (likelihood, impact) in ((li, im) for li in range(1, 6) for im in range(1, 6)):
        x = left + (likelihood - 1) * col_w
        y = top + (5 - impact) * row_h
        severity = likelihood * impact
        fill, band = _band(severity)
        group = cells.get((likelihood, impact), [])
        out.append(
            f'<g class="cell"><title>Likelihood {likelihood}, impact {impact}: '
            f"{severity}, {band.split(' ', 1)[1]}; "
            f"{len(group)} {word_for(len(group), 'risk')}"
            f'</title><rect x="{x:.1f}" y="{y}" width="{col_w:.1f}" height="{row_h}" '
            f'fill="{fill}" stroke="{GRID}" stroke-width="2"/>'
            f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="11" fill="{INK_2}">'
            f"{severity}</text></g>"
        )
        for k, risk in enumerate(group):
            cx = x + 8 + (k % per_line) * code_w
            cy = y + 34 + (k // per_line) * line_h
            out.append(
                f'<text x="{cx:.1f}" y="{cy}" font-size="12" font-weight="700" fill="{INK}">'
                f"<title>{escape(risk['code'])} {escape(risk['title'])}: likelihood "
                f"{risk['likelihood']}, impact {risk['impact']}</title>"
                f"{escape(risk['code'])}</text>"
            )
    for i, impact in enumerate(range(5, 0, -1)):
        label = {5: "5 severe", 1: "1 minor"}.get(impact, str(impact))
        out.append(
            f'<text x="{left - 8}" y="{top + i * row_h + row_h / 2 + 4:.1f}" font-size="12" '
            f'text-anchor="end" fill="{INK}">{label}</text>'
        )
    for j, likelihood in enumerate(range(1, 6)):
        label = {1: "1 rare", 5: "5 almost certain"}.get(likelihood, str(likelihood))
        out.append(
            f'<text x="{left + j * col_w + col_w / 2:.1f}" y="{top + plot_h + 16}" font-size="12" '
            f'text-anchor="middle" fill="{INK}">{label}</text>'
        )
    out.append(
        f'<text x="{left + 2.5 * col_w:.1f}" y="{top + plot_h + 32}" font-size="12" '
        f'text-anchor="middle" fill="{INK_2}">Likelihood</text>'
        f'<text x="16" y="{top + plot_h / 2:.1f}" font-size="12" text-anchor="middle" '
        f'fill="{INK_2}" transform="rotate(-90 16 {top + plot_h / 2:.1f})">Impact</text>'
    )
    ly = top + plot_h + 54
    band_w = (width - 20) / len(RISK_BANDS)
    for n, (_, fill, label) in enumerate(RISK_BANDS):
        lx = 10 + n * band_w
        out.append(
            f'<rect x="{lx:.1f}" y="{ly - 11}" width="14" height="14" fill="{fill}" '
            f'stroke="{INK_2}" stroke-width="0.5"/><text x="{lx + 20:.1f}" y="{ly}" '
            f'font-size="11" fill="{INK}">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
