"""The app's real server (granian, as docs/deployment.md runs it), in its own process group,
serving the test database of the running test.

For fault and concurrency tests that need what Django's test client cannot give: separate
processes, real sockets, a server that can be killed. Use through the `app_server` fixture
(tests/conftest.py), in `transaction=True` tests, so that what the test writes is committed
and the server's processes see it.

    server = app_server(workers=2, env={"MEMO_RENDER_TIMEOUT": "0.05"})
    client = Client(server.url, session_cookie(user))
    status, body = client.post(path, {"value": "3", ...})
    server.kill()        # SIGKILL to the main process and every worker (the process group)

The server gets the test settings' SECRET_KEY (so a signed session cookie made here logs the
test's users in there) and runs with DEBUG off, as in production, over plain http.
"""
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
GRANIAN = Path(sys.executable).with_name("granian")
CSRF = "c" * 32  # an unmasked CSRF secret, sent as cookie and header alike
START_DEADLINE = 30.0


def database_url() -> str:
    """The DATABASE_URL of the database this test runs on (the test database, once
    pytest-django has created it: test-db-<pid>.sqlite3[_gwN], or test_<name>[_gwN])."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(db["NAME"]).resolve()
        return f"sqlite:///{path}"  # an absolute path: sqlite:////abs/path
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "127.0.0.1"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"
    raise RuntimeError(f"no DATABASE_URL for {db['ENGINE']}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    # The cache is the test database's table, as production's default: a Redis named in the
    # environment would be shared with other runs, whose workshops have the same ids.
    env.pop("CACHE_URL", None)
    env.update({
        "DJANGO_SETTINGS_MODULE": "policy.settings",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Production mode, but served over plain http on the loopback: no redirect to https;
        # and with no `collectstatic` run, static files named as they are (no manifest).
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
    })
    env.update(extra or {})
    return env


# --- processes, read from /proc -------------------------------------------------------------

def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state letter, process group) of a process, None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw.rsplit(")", 1)[1].split()
    return int(fields[1]), fields[0], int(fields[2])


def _all_processes():
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat:
                yield int(entry.name), stat


def children(pid: int) -> dict[int, str]:
    """{child pid: state} of a process (state "Z" is a zombie)."""
    return {child: stat[1] for child, stat in _all_processes() if stat[0] == pid}


def process_group(pgid: int) -> dict[int, str]:
    """{pid: state} of every process in the group, wherever it hangs (an orphan too)."""
    return {pid: stat[1] for pid, stat in _all_processes() if stat[2] == pgid}


def descendants(pid: int) -> dict[int, str]:
    """{pid: state} of every process below this one."""
    found, frontier = {}, [pid]
    while frontier:
        below = children(frontier.pop())
        found.update(below)
        frontier.extend(below)
    return found


def wait_for(condition, deadline: float, message: str, interval: float = 0.05):
    """Poll until condition() is truthy (and return it), or fail with the message."""
    end = time.monotonic() + deadline
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"{message} (after {deadline:g} s)")
        time.sleep(interval)


# --- the server -----------------------------------------------------------------------------

def granian_command(workers: int, bind: str, socket_mode: str = "0660") -> list[str]:
    """The server's command line as docs/deployment.md runs it (but for its access log), on
    `bind` (host:port, or unix:path, a socket with permissions `socket_mode`); the benchmarks
    (bench/serving.py) run the same."""
    if bind.startswith("unix:"):
        where = ["--uds", bind.removeprefix("unix:"), "--uds-permissions", socket_mode]
    else:
        host, port = bind.rsplit(":", 1)
        where = ["--host", host, "--port", port]
    return [
        str(GRANIAN), "--interface", "wsgi", *where, "--workers", str(workers),
        # One request at a time per process, as the app was measured (docs/performance.md):
        # more threads only queue on the GIL and on SQLite's writer.
        "--blocking-threads", "1",
        "--respawn-failed-workers", "--workers-kill-timeout", "30",
        "--log-level", "warning",
        "policy.wsgi:application",
    ]


class AppServer:
    def __init__(self, workers: int, env: dict[str, str], log_path: Path):
        self.workers = workers
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> "AppServer":
        for attempt in range(3):  # a free port can be taken between the probe and the bind
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    granian_command(self.workers, f"127.0.0.1:{self.port}"),
                    cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: killpg reaches every worker
                )
            if self._wait_until_serving():
                return self
            self.stop()
        raise RuntimeError(f"the server did not start:\n{self.log()}")

    def _wait_until_serving(self) -> bool:
        end = time.monotonic() + START_DEADLINE
        while time.monotonic() < end:
            if self.process.poll() is not None:
                return False
            try:
                status, _ = Client(self.url).get("/health/", timeout=2)
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def worker_pids(self) -> set[int]:
        return set(children(self.pid)) if self.process and self.process.poll() is None else set()

    def kill(self) -> None:
        """SIGKILL to the main process and all its workers at once (the whole process group)."""
        if self.process is None or self.process.returncode is not None:
            return
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)

    def stop(self) -> None:
        """A graceful stop; a kill if it takes too long; never leaves the group running."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGTERM)
                self.process.wait(10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                pass
        try:  # whatever is left of the group (a worker's render child, say)
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self.process.poll() is None:
            self.process.wait(10)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except FileNotFoundError:
            return ""


def wait_for_no_other_sessions(deadline: float = 30.0) -> None:
    """On PostgreSQL, wait until no other session uses the test database: the backends of a
    killed server close on their own shortly after, and the test database cannot be flushed
    or dropped while one lingers. A no-op on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return

    def alone():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0] == 0

    wait_for(alone, deadline, "the server's database sessions did not close")


# --- an HTTP client with a session ------------------------------------------------------------

def session_cookie(user) -> str:
    """A Cookie header that logs the user in: a session made by Django's login(), live on the
    server like any log-in's, plus the CSRF cookie."""
    from django.conf import settings
    from django.test import Client as DjangoClient

    client = DjangoClient()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF}"


class Client:
    """Plain http.client, one connection per request (no state shared across a fork)."""

    def __init__(self, base_url: str, cookie: str = ""):
        host_port = base_url.split("://", 1)[1]
        self.host, port = host_port.split(":")
        self.port = int(port)
        self.cookie = cookie

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, timeout: float = 30) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            all_headers = {"Cookie": self.cookie} if self.cookie else {}
            all_headers.update(headers or {})
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> tuple[int, str]:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, htmx: bool = True, **kwargs) -> tuple[int, str]:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": CSRF,
        }
        if htmx:
            headers["HX-Request"] = "true"
        return self.request("POST", path, body=urlencode(data).encode(), headers=headers, **kwargs)

    def save_score(self, workshop_id: int, option_id: int, criterion_id: int, value: float,
                   rationale: str, round: int = 1, **kwargs) -> tuple[int, str]:
        return self.post(
            f"/workshops/{workshop_id}/cells/{option_id}/{criterion_id}/",
            {"value": value, "rationale": rationale, "round": round}, **kwargs,
        )


def acknowledged(status: int, body: str) -> bool:
    """A save the server confirmed: the cell's status says Saved (not an error message)."""
    return status == 200 and "is-saved" in body and "is-error" not in body
