"""The settings the test suite runs with: production's (DEBUG off), served over plain http.

The test client and the browser tests' live server speak http, so nothing redirects to https
and the cookies are not marked Secure; and no `collectstatic` has run, so static files keep
their own names. tests/test_deploy.py checks production's own values of these settings.

The cache is the process's memory, not production's database table: tests that use no
database still use the cache (tests/conftest.py empties it around every test). The database
cache is declared too, so that the test database gets its table: the app processes that some
tests start with production's settings (tests/live_server.py, tests/accounts/test_ratelimit.py) use it.
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
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                 "LOCATION": "django_cache"},
}
