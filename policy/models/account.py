"""A log-in's record on the server: a session is live while its row exists and is within the
idle and absolute limits (policy/accounts/sessions.py)."""
from django.conf import settings
from django.db import models


class UserSession(models.Model):
    # SHA-256 of the random id kept in the signed session cookie: a copy of this table gives
    # nobody a live session.
    key = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="live_sessions")
    # Unix seconds, not datetimes: read by plain SQL on every authenticated request, and a
    # number comes back the same from every database driver.
    started = models.BigIntegerField()
    seen = models.BigIntegerField()

    class Meta:
        verbose_name = "session"

    def __str__(self) -> str:
        return f"Session of user {self.user_id} started at {self.started}"
