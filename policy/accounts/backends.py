"""The authentication backend: Django's ModelBackend, handed the session's user already loaded."""
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import backends

# The user that policy/accounts/sessions.py read with the session's row, while it asks
# Django's auth.get_user() to check them: set for that one call, never across requests.
_loaded = ContextVar("loaded_user", default=None)


@contextmanager
def loaded(user):
    token = _loaded.set(user)
    try:
        yield
    finally:
        _loaded.reset(token)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        # Every authenticated request loads its user, every poll included: the session check
        # reads the user row in its own query (a join), so this loads it only when Django
        # asks outside that check. Django's auth.get_user() still checks the password hash
        # against the session's, so a password change ends the other sessions.
        user = _loaded.get()
        if user is None or str(user.pk) != str(user_id):
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None
