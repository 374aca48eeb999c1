from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = "Options Room"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .cases import changes

        changes.connect()
        # Connects the log-in and log-out receivers that start and end sessions' rows.
        from .accounts import sessions  # noqa: F401
