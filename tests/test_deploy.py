"""Production mode: `check --deploy` is clean with the environment docs/deployment.md gives, the
security headers and cookie flags are sent, and the content security policy holds on every
page (a nonce on each script, no inline handlers or style attributes)."""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

import policy.settings as production
from policy.models import Workshop
from tests.factories import make_case, make_user, make_workshop, score

ROOT = Path(__file__).resolve().parent.parent
User = get_user_model()


def production_env(tmp_path, **extra) -> dict[str, str]:
    """The production environment of docs/deployment.md (DEBUG unset)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "DJANGO_")) and k not in {"DEBUG", "CACHE_URL"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "policy.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "options.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "SECURE_HSTS_PRELOAD": "1",
    })
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "STATIC_MANIFEST"):
        env.pop(name, None)
    env.update(extra)
    return env


def check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_env(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("setting, threshold", [(None, "5"), ("0", "None")])
def test_postgresql_prepares_repeated_queries_unless_told_not_to(tmp_path, setting, threshold):
    extra = {"DATABASE_URL": "postgres://app@db.example.org/app"}
    if setting is not None:
        extra["DATABASE_PREPARED_STATEMENTS"] = setting
    result = subprocess.run(
        [sys.executable, "-c", "from policy import settings; "
         "options = settings.DATABASES['default']['OPTIONS']; "
         "print(options['server_side_binding'], options['prepare_threshold'])"],
        cwd=ROOT, env=production_env(tmp_path, **extra), capture_output=True, text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", threshold], result.stderr


def test_without_hsts_preload_the_one_warning_is_w021(tmp_path):
    # Preload is off by default (docs/deployment.md says why); check --deploy says so, alone.
    result = check_deploy(production_env(tmp_path, SECURE_HSTS_PRELOAD="0"))
    assert result.returncode == 1
    assert re.findall(r"\(security\.W\d+\)", result.stderr) == ["(security.W021)"]


def test_a_short_secret_key_fails_check_deploy(tmp_path):
    result = check_deploy(production_env(tmp_path, SECRET_KEY="short"))
    assert result.returncode == 1
    assert "(security.W009)" in result.stderr


# --- headers and cookies with production's values ----------------------------------------

@pytest.fixture
def production_settings(settings):
    """Production's own values of what tests/settings.py turns off for plain http."""
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        setattr(settings, name, getattr(production, name))
    assert settings.SECURE_SSL_REDIRECT and settings.SESSION_COOKIE_SECURE
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(production_settings):
    response = Client().get("/accounts/login/?next=/x/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/?next=/x/"


def test_the_health_check_answers_over_plain_http(production_settings):
    response = Client().get(reverse("health"))
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_https_responses_carry_the_security_headers(production_settings):
    response = Client().get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_proxys_forwarded_proto_counts_as_https(production_settings):
    response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200  # not redirected: nginx already spoke https
    assert "Strict-Transport-Security" in response


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_the_session_http_only(production_settings):
    make_user("ana")
    client = Client()
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True
    response = client.post(reverse("login"), {"username": "ana", "password": "pass-word-123"},
                           secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True
    assert session["samesite"] == "Lax"


# --- content security policy -------------------------------------------------------------

def directives(header: str) -> dict[str, list[str]]:
    parts = (d.split() for d in header.split(";") if d.strip())
    return {name: values for name, *values in parts}


SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_each_response_has_a_fresh_nonce_on_every_script(client, settings, debug):
    settings.DEBUG = debug  # DEBUG adds django-htmx's error-page script: it needs one too
    nonces = []
    for _ in range(2):
        response = client.get(reverse("login"))
        policy = directives(response["Content-Security-Policy"])
        nonce = re.fullmatch(r"'nonce-([A-Za-z0-9+/=]{20,})'", policy["script-src"][1]).group(1)
        assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
        assert policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]
        tags = SCRIPT_TAG.findall(response.content.decode())
        assert len(tags) == (3 if debug else 2)  # htmx, app.js (and django-htmx.js)
        assert all(f'nonce="{nonce}"' in tag for tag in tags), tags
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.django_db
def test_a_page_has_the_policy_and_an_htmx_reply_swapped_into_one_does_not(client):
    """A browser applies a policy only to a document it loads (policy/headers.py)."""
    assert "Content-Security-Policy" in client.get(reverse("login"))
    boosted = client.get(reverse("login"), HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert "frame-ancestors 'none'" in boosted["Content-Security-Policy"]
    swapped = client.get(reverse("login"), HTTP_HX_REQUEST="true")
    assert "Content-Security-Policy" not in swapped
    assert swapped["X-Frame-Options"] == "DENY"  # the other headers stay


@pytest.mark.django_db
def test_the_policy_allows_nothing_inline_or_foreign(client):
    policy = directives(client.get(reverse("login"))["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == policy["connect-src"] == policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == policy["base-uri"] == policy["object-src"] == ["'none'"]
    everything = " ".join(v for values in policy.values() for v in values)
    assert "unsafe" not in everything and "*" not in everything


INLINE = re.compile(r"<[^>]*\s(style|on[a-z]+)\s*=", re.IGNORECASE)


@pytest.mark.django_db
def test_served_pages_have_no_inline_handlers_or_style_attributes(client):
    """The policy would block them: every page a member sees, in each state that adds parts."""
    ws = make_workshop(make_case(options=3, criteria=2), analysts=2)
    for analyst, values in {"ana1": [8, 2, 5, 5, 1, 9], "ana2": [7, 3, 6, 1, 2, 8]}.items():
        cells = [(o, c) for o in ("O1", "O2", "O3") for c in ("C1", "C2")]
        for (option, criterion), value in zip(cells, values):
            score(ws, analyst, option, criterion, value, f"{analyst} on {option}/{criterion}")
    client.force_login(User.objects.get(username="fac"))
    client.post(reverse("workshop_invite", args=[ws.pk]), {"action": "new"})
    Workshop.objects.filter(pk=ws.pk).update(revealed=True)
    pages = {
        "home": reverse("home"),
        "case": reverse("case_detail", args=[ws.case.slug]),
        "facilitator's workshop": reverse("workshop_detail", args=[ws.pk]),
        "results": reverse("workshop_results", args=[ws.pk]),
        "weights": reverse("workshop_weights", args=[ws.pk]),
    }
    bodies = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        bodies[name] = response.content.decode()
    client.force_login(User.objects.get(username="ana1"))
    bodies["analyst's grid"] = client.get(reverse("workshop_detail", args=[ws.pk])).content.decode()
    client.logout()
    bodies["log-in"] = client.get(reverse("login")).content.decode()
    assert "data-select-on-click" in bodies["facilitator's workshop"]  # the join link is shown
    assert "heat-cell shade-" in bodies["results"]
    for name, body in bodies.items():
        assert not INLINE.findall(body), (name, INLINE.search(body).group(0))
