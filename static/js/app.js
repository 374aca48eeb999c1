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
// random moment up to 2.5 s after it loads. A fixed "every 2s" keeps a whole room in lockstep
// (everyone reloads together at a reveal), so the server sees bursts rather than a steady flow.
const POLL_MIN_MS = 1500;
const POLL_SPREAD_MS = 1000;

function schedulePoll(element, minimum) {
  clearTimeout(element.pollTimer);
  element.pollTimer = setTimeout(() => {
    if (element.isConnected) htmx.trigger(element, "poll");
  }, minimum + Math.random() * POLL_SPREAD_MS);
}

document.addEventListener("htmx:load", (event) => {
  const root = event.detail.elt;
  const poll = root.matches("[data-poll]") ? root : root.querySelector("[data-poll]");
  if (poll) schedulePoll(poll, root === document.body ? 0 : POLL_MIN_MS);
});
document.addEventListener("htmx:afterRequest", (event) => {
  // An unchanged answer (204) keeps the element: ask again. A changed one swapped in a new
  // element, which htmx:load above has scheduled.
  const element = event.detail.elt;
  if (element.matches("[data-poll]") && element.isConnected) schedulePoll(element, POLL_MIN_MS);
});
