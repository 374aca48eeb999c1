"""Options Room settings: one file, driven by environment variables.

Each variable is read through a small typed helper that refuses a bad value at start-up,
rather than letting a typo run as a silent default.
"""
import os
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# One BLAS thread per process: the engine's matrix work is small, and with several app
# processes on two cores extra threads only fight (docs/performance.md). Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    return env_number(name, default, minimum, int, "a whole number")


def env_float(name: str, default: float, minimum: float = 0.0) -> float:
    return env_number(name, default, minimum, float, "a number")


def env_number(name: str, default, minimum, convert, kind: str):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = convert(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not {kind}") from None
    if not minimum <= number < float("inf"):  # also refuses NaN
        raise ImproperlyConfigured(f"{name}={value!r} must be finite and at least {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {sorted(choices)}")
    return value


def cache_from_url(url: str) -> dict:
    """The default CACHES entry: Redis for redis://host:port/db, else the database's table."""
    if not url:
        # The database is shared by every app process already: counters kept here hold across
        # processes and machines with nothing more to run (`manage.py createcachetable`).
        # The default 300 entries would make it cull (drop a third of its keys, log-in
        # counters among them) as soon as a few hundred failures or panels were cached.
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "django_cache", "OPTIONS": {"MAX_ENTRIES": 100_000}}
    if urlsplit(url).scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL {url!r} is not redis://host:port/db")


def database_from_url(url: str) -> dict:
    """The DATABASES entry for sqlite:///path or postgres://user:pass@host:port/name."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///db.sqlite3 is relative to the project, sqlite:////var/db.sqlite3 absolute.
        path = parts.path[1:]
        return sqlite_database(BASE_DIR / path if path else BASE_DIR / "db.sqlite3")
    if parts.scheme in {"postgres", "postgresql"}:
        if not parts.path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL names no database")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.strip("/"),
            "USER": parts.username or "",
            "PASSWORD": parts.password or "",
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # Persistent connections: a poll costs one query, not a connection set-up.
            "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            # Parameters bound by the server, so that psycopg prepares a query the connection
            # has run 5 times: planning the session's check (a join of four tables) cost more
            # than running it, and every request makes it (docs/performance.md). Off for a
            # pooler that cannot keep prepared statements (PgBouncer in transaction mode
            # before 1.21): DATABASE_PREPARED_STATEMENTS=0.
            "OPTIONS": {
                "server_side_binding": True,
                "prepare_threshold": 5 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None,
            },
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not sqlite or postgres")


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
            # the start of a transaction, so concurrent writers queue on the busy timeout
            # instead of failing with "database is locked" half way through.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
            ),
        },
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
        # A file, not memory: browser tests and the concurrency test reach it from other
        # threads and processes. One per test run, so parallel runs don't share it.
        "TEST": {"NAME": BASE_DIR / f"test-db-{os.getpid()}.sqlite3"},
    }


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-deploy" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True
LANGUAGE_CODE = "en-us"
USE_I18N = False

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"))}
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "template_partials",
    "policy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "policy.headers.CSPMiddleware",  # django-csp's, not for htmx's replies
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, checking that the session is live on the server (policy/accounts/sessions.py).
    "policy.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "policy.urls"
WSGI_APPLICATION = "policy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# Signed-cookie sessions hold the session's data, so no session row is read for it; each
# log-in also has a row on the server (policy/accounts/sessions.py) that log-out deletes. A
# session ends after SESSION_IDLE_SECONDS without activity or SESSION_MAX_AGE_SECONDS after the
# log-in, whichever comes first.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 12 * 3600, minimum=60)
SESSION_MAX_AGE_SECONDS = env_int("SESSION_MAX_AGE_SECONDS", 24 * 3600, minimum=60)
# The browser drops the cookie then too, and the cookie's signed timestamp is refused after it.
SESSION_COOKIE_AGE = SESSION_MAX_AGE_SECONDS
AUTHENTICATION_BACKENDS = ["policy.accounts.backends.ModelBackend"]

# HTTPS. In production (DEBUG off) the app sits behind a proxy that ends TLS and sets
# X-Forwarded-Proto (docs/deployment.md); the app must not be reachable except through it,
# or a client could claim https itself.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a proxy that sets the header, requests are already https and this never fires; off
# only for a plain-http server on the loopback (tests, benchmarks).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer's health check may ask the app directly over http: answer, don't redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Off by default: preloading binds the whole registrable domain to https in browsers for
# months and is undone only slowly. docs/deployment.md says when to turn it on.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content security policy, in every mode (so the browser tests run under it): only the app's
# own files, and inline <script>/<style> only with the response's nonce. The templates have no
# inline handlers or style attributes; htmx is configured not to need eval or its own <style>
# (templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Log-in rate limit: after this many failed log-ins within the window, for one username or
# from one client address, further attempts are refused until the window has passed. Counted
# in the cache (shared by every process). The per-address limit is higher: a team in one
# office shares one address.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 20, minimum=1)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60, minimum=1)
# How many proxies in front of the app append to X-Forwarded-For (nginx alone: 1). With 0 the
# client address is REMOTE_ADDR and the header is ignored: a client can write anything in it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# In production WhiteNoise serves the files `collectstatic` gathered, with hashed names (cached
# for a year by browsers) and compressed copies. The manifest exists only after collectstatic,
# so a server that runs without it (tests, DEBUG) names the files as they are.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": (
        "whitenoise.storage.CompressedManifestStaticFilesStorage" if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    )},
}

# Mail (invitations and reminders): printed to the console unless an SMTP server is given.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Options Room <options-room@localhost>")
# At most this many addresses in one invitation (a workshop is a team, not a mailing list).
INVITATIONS_MAX = env_int("INVITATIONS_MAX", 50, minimum=1)

MEMO_PAGE_SIZE = env_choice("MEMO_PAGE_SIZE", "Letter", {"Letter", "A4"})
# Seconds a memo render may take before it is stopped (keep nginx's proxy_read_timeout above it).
MEMO_RENDER_TIMEOUT = env_float("MEMO_RENDER_TIMEOUT", 60.0, minimum=0.001)

# What one case may hold (case files, import_case and the browser editor alike). An analyst's
# grid is a form per cell, about 1.8 KB each, so options x criteria sets its size: 20 x 40
# cells make 1.5 MB and half a second; the case page lists every part, about 1 KB each. At
# these defaults both stay under 2 MB and 1 s on 2 cores (bench/bench_limits.py,
# docs/performance.md); a real decision has far fewer parts.
CASE_MAX_OPTIONS = env_int("CASE_MAX_OPTIONS", 20, minimum=1)
CASE_MAX_CRITERIA = env_int("CASE_MAX_CRITERIA", 40, minimum=1)
CASE_MAX_PRINCIPLES = env_int("CASE_MAX_PRINCIPLES", 100)
CASE_MAX_ACTORS = env_int("CASE_MAX_ACTORS", 200)
CASE_MAX_EVENTS = env_int("CASE_MAX_EVENTS", 200)
CASE_MAX_RISKS = env_int("CASE_MAX_RISKS", 200)
CASE_MAX_SOURCES = env_int("CASE_MAX_SOURCES", 200)
# Characters in any one text of a case (a question, a summary, an anchor's wording...).
CASE_MAX_TEXT = env_int("CASE_MAX_TEXT", 20_000, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
