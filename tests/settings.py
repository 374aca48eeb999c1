"""The settings the test suite runs with: production's (DEBUG off), served over plain http.

The test client and the browser tests' live server speak http, so nothing redirects to https
and the cookies are not marked Secure; and no `collectstatic` has run, so static files keep
their own names. tests/test_deploy.py checks production's own values of these settings.
"""
from policy.settings import *  # noqa: F403
from policy.settings import STORAGES

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
