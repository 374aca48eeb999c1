// The app's only script besides htmx. No inline handlers: the content security policy allows
// scripts from the app's own files only (see CONTENT_SECURITY_POLICY in policy/settings.py).

// A click in a read-only link field (the workshop's join link) selects all of it, ready to copy.
document.addEventListener("click", (event) => {
  const field = event.target.closest("input[data-select-on-click]");
  if (field) field.select();
});

// A long request says what is happening in its status region (data-status names it): the busy
// message while it runs, the done message when the server sends the browser on (HX-Redirect).
document.addEventListener("htmx:beforeRequest", (event) => {
  const element = event.detail.elt;
  const status = element.dataset.status && document.getElementById(element.dataset.status);
  if (status && element.dataset.busyMessage) status.textContent = element.dataset.busyMessage;
});
document.addEventListener("htmx:afterRequest", (event) => {
  const element = event.detail.elt;
  const status = element.dataset.status && document.getElementById(element.dataset.status);
  if (status && element.dataset.doneMessage && event.detail.xhr.getResponseHeader("HX-Redirect")) {
    status.textContent = element.dataset.doneMessage;
  }
});

// Live polls, spread out: each page asks again 1.5-2.5 s after its last answer, and first at a
// random moment up to 1 s after it loads. A fixed "every 2s" keeps a whole room in lockstep
// (everyone reloads together at a reveal), so the server sees bursts rather than a steady flow.
const POLL_MIN_MS = 1500;
const POLL_SPREAD_MS = 1000;

// A page may ask more often (data-poll-every, in ms, 0.75-1.25 times that): the presenter
// screen, one per room, which the whole room watches for each answer and reveal.
function pollTiming(element) {
  const every = Number(element.dataset.pollEvery);
  return every ? [every * 0.75, every * 0.5] : [POLL_MIN_MS, POLL_SPREAD_MS];
}

function schedulePoll(element, first) {
  const [minimum, spread] = pollTiming(element);
  clearTimeout(element.pollTimer);
  element.pollTimer = setTimeout(() => {
    if (element.isConnected) htmx.trigger(element, "poll");
  }, (first ? 0 : minimum) + Math.random() * spread);
}

document.addEventListener("htmx:load", (event) => {
  const root = event.detail.elt;
  const poll = root.matches("[data-poll]") ? root : root.querySelector("[data-poll]");
  if (poll) schedulePoll(poll, root === document.body);
});
document.addEventListener("htmx:afterRequest", (event) => {
  // An unchanged answer (204) keeps the element: ask again. A changed one swapped in a new
  // element, which htmx:load above has scheduled.
  const element = event.detail.elt;
  if (element.matches("[data-poll]") && element.isConnected) schedulePoll(element, false);
});

// The workshop moved on (a new round, a status change: the poll's HX-Trigger): reload, after a
// random moment of up to RELOAD_SPREAD_MS, so that a room's pages do not all reload together
// (policy/workshops/live.py, reload). Meanwhile the page says so, with a link to reload now.
const RELOAD_SPREAD_MS = 2000;
document.addEventListener("workshop-moved", (event) => {
  const notice = document.getElementById("page-moved");
  if (!notice || !notice.hidden) return; // a later poll's answer: already waiting
  const link = document.createElement("a");
  link.href = window.location.href;
  link.textContent = "reload it now";
  notice.replaceChildren("The workshop has moved on: this page reloads in a moment, or ", link, ".");
  notice.hidden = false;
  setTimeout(() => window.location.reload(), Math.random() * RELOAD_SPREAD_MS);
});

// The join link's copy button: the Clipboard API where the page may use it, else the link is
// selected for Ctrl+C. The button is hidden in the markup: without this script it would do nothing.
document.querySelectorAll("button[data-copy]").forEach((button) => { button.hidden = false; });
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.copyStatus);
  const say = (text) => { if (status) status.textContent = text; };
  const selectInstead = () => { field.select(); say("Selected: press Ctrl+C (or ⌘C) to copy"); };
  say("");  // emptied first, so that copying again is announced again
  if (!navigator.clipboard || !window.isSecureContext) return selectInstead();
  navigator.clipboard.writeText(field.value).then(() => say("Copied"), selectInstead);
});

// Arrow keys move between the grid's score boxes, as in a spreadsheet: up and down always (a
// score box has one line), left and right once the cursor is at the start or end of what is
// typed, and any arrow with Ctrl or Alt. The keys are described above the grid (#grid-keys).
const GRID_STEPS = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

function atEdge(input, key) {
  if (input.selectionStart !== input.selectionEnd) return false;  // a selection: keys edit it
  if (key === "ArrowLeft") return input.selectionStart === 0;
  if (key === "ArrowRight") return input.selectionEnd === input.value.length;
  return true;
}

document.addEventListener("keydown", (event) => {
  const step = GRID_STEPS[event.key];
  const input = event.target;
  if (!step || event.shiftKey || event.metaKey || !input.matches(".grid input.cell-value")) return;
  if (!(event.ctrlKey || event.altKey) && !atEdge(input, event.key)) return;
  const cell = input.closest("td");
  const rows = cell.closest("tbody").rows;
  const row = cell.parentElement.sectionRowIndex + step[0];
  const column = cell.cellIndex + step[1];
  const target = rows[row] && rows[row].cells[column];
  const next = target && target.querySelector("input.cell-value");
  if (!next) return;
  event.preventDefault();
  next.focus();
  next.select();
});

// Where the browser cannot size a text box to its content (CSS field-sizing), a rationale box
// grows as it is typed in. Setting a style from a script is allowed by the content security policy.
if (!(window.CSS && CSS.supports("field-sizing", "content"))) {
  const fit = (box) => {
    box.style.height = "auto";
    box.style.height = `${box.scrollHeight + box.offsetHeight - box.clientHeight}px`;
  };
  document.addEventListener("input", (event) => {
    if (event.target.matches("textarea.cell-rationale")) fit(event.target);
  });
  document.addEventListener("htmx:load", (event) => {
    event.detail.elt.querySelectorAll("textarea.cell-rationale").forEach(fit);
  });
}

// Weight sliders: each sits beside its number box (data-weight-for names it), which is the field
// the form submits. The sliders are hidden in the markup, so that without this script the page
// has the number boxes alone; here they are shown and the two kept in step both ways. The
// slider's own change bubbles to the form, which saves (htmx) with the number already set.
function showSliders(root) {
  root.querySelectorAll("input.weight-slider[data-weight-for]").forEach((slider) => {
    const box = document.getElementById(slider.dataset.weightFor);
    if (!box) return;
    if (box.value !== "" && Number.isFinite(Number(box.value))) slider.value = box.value;
    slider.hidden = false;
  });
}
showSliders(document);
document.addEventListener("htmx:load", (event) => showSliders(event.detail.elt));
document.addEventListener("input", (event) => {
  const element = event.target;
  if (element.matches("input.weight-slider[data-weight-for]")) {
    const box = document.getElementById(element.dataset.weightFor);
    if (box) box.value = element.value;
  } else if (element.matches("input[type=number]") && element.id) {
    const slider = document.querySelector(`input.weight-slider[data-weight-for="${CSS.escape(element.id)}"]`);
    if (slider && element.value !== "" && Number.isFinite(Number(element.value))) slider.value = element.value;
  }
});
