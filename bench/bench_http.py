"""Requests per second and p95 latency of the live endpoints under the server, run by hand.

    python bench/bench_http.py                       # SQLite (a fresh file in /tmp)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/optionsroom_bench python bench/bench_http.py
    BENCH_SERVER=gunicorn python bench/bench_http.py  # gunicorn's sync workers, to compare

Measures, in one run against granian (as deployed) with 2 workers, with wrk at 50 connections:
  bare    GET /health/: a bare Django view through the full middleware, no database
  poll    GET the workshop poll with an unchanged revision (204): the page's steady cost
  poll changed  GET the poll from a page one revision behind: the live panels, from the
          shared cache (rendered by the first request), as most polls in a busy room get them
  save    POST one grid cell (htmx), rotating over the cells: one read, then the revision bump,
          the history line and the upsert in one transaction
Besides req/s, each endpoint's server CPU per request (the server's workers' user and system
time over the requests wrk counted): on a machine shared with other work, req/s moves with the
neighbours' load, the CPU a request costs much less. Needs wrk (apt-get install wrk). Prints a
Markdown table for docs/performance.md.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.serving import server_command, wait_until_up  # noqa: E402
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SERVER = os.environ.get("BENCH_SERVER", "granian")  # or gunicorn (bench/serving.py)
CSRF = "b" * 32  # an unmasked CSRF secret, sent as cookie and header alike

os.environ.setdefault("SECRET_KEY", "bench-only-secret")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/bench-http.sqlite3")
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["DJANGO_SETTINGS_MODULE"] = "policy.settings"
os.environ["SECURE_SSL_REDIRECT"] = "0"  # plain http on the loopback, where nginx would end TLS

LUA = """
local paths, i = {}, 0
%(setup)s
request = function()
  %(request)s
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %%d, "rps": %%.1f, "p50_ms": %%.2f, "p95_ms": %%.2f, "p99_ms": %%.2f, "errors": %%d, "non2xx": %%d}\\n',
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def prepare():
    """A fresh database with a 6 x 10 workshop, three analysts, and a session cookie."""
    import django
    from django.core.management import call_command

    django.setup()
    if "sqlite" in os.environ["DATABASE_URL"]:
        Path(os.environ["DATABASE_URL"].split("sqlite:///", 1)[1]).unlink(missing_ok=True)
    else:
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.conf import settings
    from django.test import Client

    from tests.factories import make_case, make_workshop

    workshop = make_workshop(make_case(slug="bench", options=6, criteria=10), analysts=3)
    analyst = workshop.memberships.get(user__username="ana1").user
    # A session made by Django's login(), so it is live on the server like a real log-in's
    # and every request below pays the check (policy/accounts/sessions.py).
    client = Client()
    client.force_login(analyst)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    cells = [
        f"/workshops/{workshop.pk}/cells/{o}/{c}/"
        for o in workshop.case.options.values_list("pk", flat=True)
        for c in workshop.case.criteria.values_list("pk", flat=True)
    ]
    return workshop, f"sessionid={session_key}; csrftoken={CSRF}", cells


def workers_cpu_seconds(master: int) -> float:
    """User and system CPU time of the server's worker processes (its children) so far."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (stat fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url: str, cookie: str, setup: str = "", request: str = "return wrk.format()",
        server: int | None = None) -> dict:
    script = LUA % {"setup": setup, "request": request}
    cpu_before = workers_cpu_seconds(server)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "-s", f.name,
         "-H", f"Cookie: {cookie}", "-H", "HX-Request: true", url],
        capture_output=True, text=True, check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["cpu_us"] = (workers_cpu_seconds(server) - cpu_before) / result["requests"] * 1e6
    return result


def main():
    workshop, cookie, cells = prepare()
    server = subprocess.Popen(
        server_command(SERVER, WORKERS, f"127.0.0.1:{PORT}"), cwd=ROOT, env=os.environ.copy()
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_until_up(base)
        from policy.models import Score, Workshop
        from policy.workshops import live

        current = Workshop.objects.get(pk=workshop.pk)
        # What the analyst's page sends: a different state or audience would be answered
        # with a reload or the audience's extra parts, not the panels measured here.
        page = f"state={live.page_state(current)}&audience={live.audience_of('analyst', current)}"
        poll = f"{base}/workshops/{workshop.pk}/poll/?revision={current.revision}&{page}"
        behind = f"{base}/workshops/{workshop.pk}/poll/?revision={current.revision - 1}&{page}"
        paths = ",".join(f'"{c}"' for c in cells)
        save_request = (
            "i = i %% #paths + 1\n"
            "  return wrk.format('POST', paths[i], {['Content-Type']='application/x-www-form-urlencoded',"
            " ['X-CSRFToken']='%s', ['Cookie']=wrk.headers['Cookie'], ['HX-Request']='true'},"
            " 'round=1&value=' .. (i %% 11) .. '&rationale=bench')" % CSRF
        )
        results = {
            "bare": wrk(base + "/health/", cookie, server=server.pid),
            "poll": wrk(poll, cookie, server=server.pid),
            "poll changed": wrk(behind, cookie, server=server.pid),
            "save": wrk(base + cells[0], cookie, setup=f"paths = {{{paths}}}",
                        request=save_request, server=server.pid),
        }
        saved = Score.objects.filter(workshop=workshop).count()
        final_revision = Workshop.objects.get(pk=workshop.pk).revision
    finally:
        server.terminate()
        server.wait()
    engine = "PostgreSQL" if "postgres" in os.environ["DATABASE_URL"] else "SQLite"
    print(f"\n{engine}, {SERVER} {WORKERS} workers, wrk {CONNECTIONS} connections for {DURATION}, "
          f"{os.cpu_count()} cores\n")
    print("| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | vs bare | "
          "server CPU µs/req | bare's CPU / this |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    bare = results["bare"]
    for name, r in results.items():
        print(f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
              f"{r['p99_ms']:.1f} | {r['errors']} | {r['non2xx']} | "
              f"{r['rps'] / bare['rps']:.2f} | {r['cpu_us']:.0f} | "
              f"{bare['cpu_us'] / r['cpu_us']:.2f} |")
    print(f"\nCells scored after the run: {saved} of {len(cells)}; "
          f"revision {final_revision} (one bump per acknowledged save).")


if __name__ == "__main__":
    main()
