"""A grid cell's HTML (the `cell` and `cell_status` partials of templates/policy/workshop.html
call these through policy/templatetags/grid_cells.py).

Built here rather than in the template because a page has a cell per option and criterion (60
in a 6 x 10 case, 240 in 12 x 20) and every open page reloads when a round starts: at the
template engine's 5-6 us per variable, the 30-odd variables of a cell were most of the page's
time, and no leaner template got under a third of it (docs/performance.md, "The workshop page
after a new round"). fill() escapes every value as the template did.
"""
import html

from django.utils.safestring import SafeData, SafeString, mark_safe

from .grid import Cell

# The markup as the template had it; {names} are the cell's parts, escaped by fill().
# - novalidate: an off-scale value goes to the server, which says what is wrong in the cell
#   (the browser's own check would drop it silently); Enter submits and htmx saves the cell as
#   a change does.
# - The cell-heading, seen where the grid stacks (narrow screens), is the cell's other heading;
#   the label says it to screen readers.
# - The value is text, not type=number: arrow keys move between cells (app.js), not the value;
#   the server checks the number.
CELL = """
  <td id="cell-{id}" class="cell">
    <form method="post" action="{url}{query}" novalidate
          hx-post="{url}"
          hx-trigger="change, submit" hx-sync="this:replace" hx-target="#status-{id}"
          hx-swap="outerHTML">
      <input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">
      <input type="hidden" name="round" value="{round}">
      <span class="cell-heading" aria-hidden="true">{heading}</span>
      <label class="visually-hidden" for="value-{id}">Score for {subject}, {scale_words}</label>
      <input id="value-{id}" class="cell-value" type="text" name="value" inputmode="decimal"
             autocomplete="off" value="{value}"
             aria-describedby="{scale_ids} status-{id}"{disabled}>
      <label class="visually-hidden" for="rationale-{id}">Rationale for {subject}</label>
      <textarea id="rationale-{id}" class="cell-rationale" name="rationale" rows="2"
                maxlength="2000" placeholder="Why?"{disabled}>{rationale}</textarea>
      {status}
      {previous}
      <noscript><button type="submit" class="cell-save">Save</button></noscript>
    </form>
  </td>
"""
STATUS = """<span id="status-{id}" class="cell-status{state}" role="status">
        {text}
      </span>"""
PREVIOUS = """<details class="previous small">
        <summary>Round {round}: median {median}, IQR {iqr} ({n})</summary>
        <ul>{reasons}</ul></details>"""
DISABLED = mark_safe(" disabled")  # scoring is not open: shown, not changed


def fill(template: str, **parts) -> SafeString:
    """format_html(template, **parts), several times faster: each part escaped by the function
    django.utils.html.escape calls, html.escape, without its checks for lazy strings, unless
    the part is HTML already (SafeData)."""
    return mark_safe(template.format_map({
        name: part if isinstance(part, SafeData) else html.escape(str(part))
        for name, part in parts.items()
    }))


def cell_html(cell: Cell, csrf_token: str, round: int, open: bool, view: str,
              query: str) -> SafeString:
    """The cell's <td> and form, on a page of the workshop in `round`, scoring `open` or not,
    in `view` (grid.VIEWS), its form's plain POST coming back to `query` (grid.view_query)."""
    other = cell.criterion if view == "option" else cell.option  # the heading a stacked grid shows
    return fill(
        CELL, id=cell.dom_id, url=cell.save_url, query=query, csrf_token=csrf_token, round=round,
        heading=f"{other.code} {other.title}",
        subject=f"{cell.option.title} on {cell.criterion.title}",
        scale_words=cell.scale_words, scale_ids=cell.scale_ids, value=cell.value_text,
        rationale=cell.rationale, disabled="" if open else DISABLED,
        status=status_html(cell), previous=previous_html(cell),
    )


def status_html(cell: Cell) -> SafeString:
    """What the cell says of its value: the error, that it saved (with the scale's words for
    the value), or that it was carried forward from the last round."""
    anchor = cell.anchor and fill('<span class="cell-anchor">“{words}”</span>', words=cell.anchor)
    if cell.error:
        state, text = " is-error", cell.error
    elif cell.saved and cell.value is None:
        state, text = " is-saved", "Cleared"
    elif cell.saved:
        state, text = " is-saved", fill("Saved: {anchor}", anchor=anchor) if anchor else "Saved"
    elif cell.carried_from:
        text = f"Carried forward from round {cell.carried_from}"
        state, text = "", fill("{text}: {anchor}", text=text, anchor=anchor) if anchor else text
    else:
        state, text = "", anchor
    return fill(STATUS, id=cell.dom_id, state=state, text=text)


def previous_html(cell: Cell) -> str:
    """The last round's spread and reasons in the cell, from round 2 (grid.Feedback)."""
    feedback = cell.previous
    if feedback is None:
        return ""
    reasons = mark_safe("".join(
        fill("<li><strong>{value}</strong> {reason}</li>", value=value,
             reason=reason or "(no reason given)")
        for value, reason in feedback.reasons
    ))
    return fill(PREVIOUS, round=feedback.round, median=feedback.median, iqr=feedback.iqr,
                n=feedback.n, reasons=reasons)
