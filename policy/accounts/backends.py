"""The authentication backend: Django's ModelBackend, loading a session's user faster."""
from django.contrib.auth import backends, get_user_model

User = get_user_model()
USER_SQL = f"SELECT * FROM {User._meta.db_table} WHERE {User._meta.pk.column} = %s"


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        # Every authenticated request loads its user, every poll included: a raw query (with
        # the fields' usual conversions) instead of the ORM's .get() saves most of the cost
        # of building the same query each time (docs/performance.md).
        users = list(User._default_manager.raw(USER_SQL, [User._meta.pk.to_python(user_id)]))
        if not users:
            return None
        return users[0] if self.user_can_authenticate(users[0]) else None
