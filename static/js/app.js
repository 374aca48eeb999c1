// The app's only script besides htmx. No inline handlers: the content security policy allows
// scripts from the app's own files only (see CONTENT_SECURITY_POLICY in policy/settings.py).

// A click in a read-only link field (the workshop's join link) selects all of it, ready to copy.
document.addEventListener("click", (event) => {
  const field = event.target.closest("input[data-select-on-click]");
  if (field) field.select();
});
