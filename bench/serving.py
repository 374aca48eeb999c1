"""What the benchmark scripts share: Django on a fresh database, and the server they start."""
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def start_django(prefix: str, **environ: str) -> Path:
    """Django set up with the production settings on a fresh SQLite file in a new temporary
    folder (returned), for a benchmark that runs in-process through the test client;
    `environ` sets more of the settings' environment (SECURE_SSL_REDIRECT="0": plain http)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "policy.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.update(environ)
    import django

    django.setup()
    return workdir


def wait_until_up(base: str, seconds: float = 20.0) -> None:
    """Return once base/health/ answers 200; stop the benchmark if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/health/", timeout=1)
            return
        except OSError:  # not listening yet, or an error status (a proxy's 502)
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {base}/health/ within {seconds:.0f} s")


SERVERS = ("granian", "gunicorn")


def server_command(server: str, workers: int, bind: str) -> list[str]:
    """The command that serves the app with `workers` processes on `bind` (host:port, or
    unix:path): granian as deployed (docs/deployment.md; the same command as the tests'
    server), or gunicorn's sync workers, deployed until session 6, to compare
    (docs/performance.md)."""
    if server == "granian":
        from tests.live_server import granian_command

        return granian_command(workers, bind, socket_mode="0666")  # nginx's workers: another user
    if server == "gunicorn":
        return [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", bind,
                "--log-level", "warning", "policy.wsgi"]
    raise SystemExit(f"unknown server {server!r}: one of {', '.join(SERVERS)}")
