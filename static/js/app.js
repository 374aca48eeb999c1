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
