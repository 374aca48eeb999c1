"""How many analysts, in live workshops, one machine holds: p95 under 200 ms and no errors.

    python bench/load_workshop.py                                   # SQLite, a fresh file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/optionsroom_load python bench/load_workshop.py
    python bench/load_workshop.py --steps 500 1000 1500 --per-workshop 20 --workers 9

Prepares a fresh database with the Central Asia case and as many analysts as the largest
step, in workshops of --per-workshop analysts each (all open, scores private), starts the
server behind nginx (granian, as deployed; --server gunicorn for gunicorn's sync workers),
then runs locust (bench/locustfile.py) once per step: every analyst logs in, opens the page,
polls every 2 s and saves a score every 10 s. The steady state is the requests that start
--settle seconds after the ramp-up (logins and first pages are done by then), for --seconds.
Percentiles are exact, from every request's time. A step passes when the p95 of all its
requests is under --p95 ms and nothing failed. Locust runs on the same machine and its CPU
time is reported beside the server's (nginx + the app server), and so is how often the room's
polls pile up: /proc/stat is sampled every 50 ms, and "both busy" is the mean share of each
2 s window in which both cores were over 90% busy (polls in lockstep fill the cores for a
fraction of every 2 s and leave them idle for the rest).

With --burst, each step also plays what a reveal and a new round do to a room: a third of the
way into the steady state every workshop is revealed at once, two thirds in every workshop
starts round 2, and every open page reloads (HX-Refresh) at its next poll; the p95 of the
requests that start in the 5 s after each step is reported beside the steady state's.
Prints a Markdown table for docs/reliability.md. Needs locust
(pip install -r requirements-bench.txt) and nginx.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.serving import SERVERS, server_command, wait_until_up  # noqa: E402
PORT = 8766
PASSWORD = "load-test-password"
TICKS = os.sysconf("SC_CLK_TCK")

os.environ.setdefault("SECRET_KEY", "bench-only-secret")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/bench-load.sqlite3")
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_load"


# nginx in front, as deployed (docs/deployment.md): it holds the clients' connections and hands
# the app server whole requests over a unix socket, so no worker waits on a slow or idle
# client; granian's connections from nginx stay open between requests, gunicorn's sync workers
# close each one (and linger up to 2 s on a connection the client holds).
NGINX = """
worker_processes 1;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path %(dir)s/body;
    proxy_temp_path %(dir)s/proxy;
    fastcgi_temp_path %(dir)s/fastcgi;
    uwsgi_temp_path %(dir)s/uwsgi;
    scgi_temp_path %(dir)s/scgi;
    keepalive_requests 100000;
    upstream app {
        server unix:%(socket)s;
        %(upstream_keepalive)s
    }
    server {
        listen 127.0.0.1:%(port)s backlog=4096;
        location / {
            proxy_pass http://app;
            %(proxy_keepalive)s
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }
    }
}
"""


def prepare(analysts: int, per_workshop: int) -> dict:
    """A fresh database: the case, the analysts, their workshops. Returns locust's plan."""
    import django
    from django.core.management import call_command

    django.setup()
    if "sqlite" in os.environ["DATABASE_URL"]:
        for suffix in ("", "-wal", "-shm"):
            Path(os.environ["DATABASE_URL"].split("sqlite:///", 1)[1] + suffix).unlink(
                missing_ok=True
            )
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("flush", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    call_command("import_case", str(ROOT / "fixtures" / "central-asia-2012.json"), verbosity=0)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from policy.models import Case, Membership, Workshop

    case = Case.objects.get()
    User = get_user_model()
    password = make_password(PASSWORD)
    lead = User.objects.create(username="lead", password=password)
    users = User.objects.bulk_create(
        User(username=f"analyst{i:04d}", password=password) for i in range(analysts)
    )
    cells = [
        [option, criterion.pk, criterion.scale_min, criterion.scale_max]
        for option in case.options.values_list("pk", flat=True)
        for criterion in case.criteria.all()
    ]
    plan = {"password": PASSWORD, "users": [], "cells": {}}
    for start in range(0, analysts, per_workshop):
        workshop = Workshop.objects.create(
            case=case, title=f"Load test {start // per_workshop + 1}",
            status=Workshop.Status.OPEN, created_by=lead,
        )
        members = users[start:start + per_workshop]
        Membership.objects.bulk_create(
            [Membership(workshop=workshop, user=lead, role=Membership.Role.FACILITATOR)]
            + [Membership(workshop=workshop, user=u, role=Membership.Role.ANALYST) for u in members]
        )
        plan["cells"][workshop.pk] = cells
        plan["users"] += [{"username": u.username, "workshop": workshop.pk} for u in members]
    return plan


def pbkdf2_login_ms() -> float:
    """CPU time of one check of a password hashed as production hashes it (PBKDF2)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    start = time.process_time()
    hasher.verify(PASSWORD, encoded)
    return (time.process_time() - start) * 1000


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far, from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def core_times() -> list[tuple[int, int]]:
    """(busy, total) jiffies of each core so far, from /proc/stat."""
    cores = []
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("cpu") and line[3].isdigit():
            values = [int(v) for v in line.split()[1:]]
            idle = values[3] + values[4]  # idle, iowait
            cores.append((sum(values) - idle, sum(values)))
    return cores


class CoreSampler(threading.Thread):
    """Samples every 50 ms whether every core was over 90% busy since the last sample."""

    def __init__(self):
        super().__init__(daemon=True)
        self.all_busy: list[bool] = []
        self.stop = threading.Event()

    def run(self):
        last = core_times()
        while not self.stop.wait(0.05):
            now = core_times()
            shares = [(b - b0) / (t - t0) if t > t0 else 0.0
                      for (b, t), (b0, t0) in zip(now, last)]
            self.all_busy.append(min(shares) > 0.9)
            last = now

    def share_per_window(self, samples: int = 40) -> float:
        """Mean over 2 s windows (40 samples) of the share of samples with every core busy."""
        windows = [self.all_busy[i:i + samples] for i in range(0, len(self.all_busy), samples)]
        windows = [w for w in windows if len(w) == samples]
        return float(np.mean([np.mean(w) for w in windows])) if windows else float("nan")


def play_step(step: str, workshops: list[int]) -> float:
    """Reveal every workshop or start its next round, at once, as its facilitator would."""
    from policy.workshops import actions

    started = time.time()
    for workshop in workshops:
        if step == "reveal":
            actions.set_revealed(workshop, True)
        else:
            actions.start_next_round(workshop)
    return started


def server_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master] + [int(pid) for pid in children]


def run_step(users: int, args, plan_file: str, base: str, server: list[int]) -> dict:
    """One locust run of `users` analysts; the steady state's figures."""
    warmup = users / args.spawn_rate + args.settle
    with tempfile.TemporaryDirectory() as out:
        command = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
            "--headless", "--host", base, "-u", str(users), "-r", str(args.spawn_rate),
            "--run-time", f"{int(warmup + args.seconds)}s", "--only-summary",
            "--loglevel", "WARNING", "--stop-timeout", "5",
        ]
        env = {**os.environ, "LOAD_USERS": plan_file, "LOAD_WARMUP": str(warmup),
               "LOAD_RESULTS": f"{out}/steady.json"}
        locust = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        time.sleep(warmup)
        # CPU over the steady state: the server's, and locust's own (read while it runs).
        server_before, locust_before = cpu_seconds(server), cpu_seconds([locust.pid])
        sampler = CoreSampler()
        sampler.start()
        bursts = {}
        if args.burst:
            workshops = sorted({u["workshop"] for u in json.load(open(plan_file))["users"][:users]})
            for step in ("reveal", "round"):
                time.sleep(args.seconds / 3)
                bursts[step] = play_step(step, workshops)
            time.sleep(args.seconds / 3)
        else:
            time.sleep(args.seconds)
        sampler.stop.set()
        server_cpu = cpu_seconds(server) - server_before
        locust_cpu = cpu_seconds([locust.pid]) - locust_before
        stderr = locust.communicate()[1]
        if locust.returncode not in (0, 1):  # 1: some requests failed, counted below
            raise SystemExit(f"locust failed ({locust.returncode}):\n{stderr}")
        if "Error report" in stderr:  # what failed, in locust's words
            print(stderr[stderr.index("Error report"):], file=sys.stderr)
        with open(f"{out}/steady.json") as handle:
            samples = json.load(handle)
    times = np.array([ms for _, ms, _, _ in samples])

    def p95(name):
        chosen = [ms for n, ms, _, _ in samples if n == name]
        return float(np.percentile(chosen, 95)) if chosen else float("nan")

    def after(started, seconds=5):
        chosen = [(n, ms) for n, ms, _, at in samples if started <= at < started + seconds]
        return {
            "p95": float(np.percentile([ms for _, ms in chosen], 95)) if chosen else float("nan"),
            "pages": sum(n == "workshop page" for n, _ in chosen),
        }

    return {
        "users": users,
        "rps": len(samples) / args.seconds,
        "requests": len(samples),
        "failures": sum(failed for _, _, failed, _ in samples),
        "p50": float(np.percentile(times, 50)),
        "p95": float(np.percentile(times, 95)),
        "p99": float(np.percentile(times, 99)),
        "poll_p95": p95("poll"),
        "save_p95": p95("save"),
        "server_cpu": server_cpu / args.seconds,
        "locust_cpu": locust_cpu / args.seconds,
        "both_busy": sampler.share_per_window(),
        "bursts": {step: after(started) for step, started in bursts.items()},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[100, 150, 200, 250, 300, 400, 500, 1000])
    parser.add_argument("--per-workshop", type=int, default=20)
    parser.add_argument("--workers", type=int, default=9)
    parser.add_argument("--server", choices=SERVERS, default="granian",
                        help="granian, as deployed, or gunicorn's sync workers to compare")
    parser.add_argument("--seconds", type=int, default=40, help="steady state measured per step")
    parser.add_argument("--spawn-rate", type=int, default=50)
    parser.add_argument("--settle", type=int, default=15,
                        help="seconds after the ramp before measuring (logins, first pages)")
    parser.add_argument("--p95", type=float, default=200.0)
    parser.add_argument("--keep-going", action="store_true", help="run every step even after one fails")
    parser.add_argument("--burst", action="store_true",
                        help="reveal every workshop, then start round 2, during each step")
    args = parser.parse_args()

    plan = prepare(max(args.steps), args.per_workshop)
    login_ms = pbkdf2_login_ms()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(plan, handle)
    base = f"http://127.0.0.1:{PORT}"
    workdir = tempfile.mkdtemp(prefix="load-")
    os.chmod(workdir, 0o755)  # nginx's workers, another user, must reach the server's socket
    socket = f"{workdir}/app.sock"
    app_server = subprocess.Popen(
        server_command(args.server, args.workers, f"unix:{socket}"), cwd=ROOT, env=os.environ.copy()
    )
    conf = Path(workdir, "nginx.conf")
    keepalive = {
        "upstream_keepalive": f"keepalive {2 * args.workers};",
        "proxy_keepalive": 'proxy_http_version 1.1; proxy_set_header Connection "";',
    }
    if args.server == "gunicorn":  # a sync worker closes every connection
        keepalive = dict.fromkeys(keepalive, "")
    conf.write_text(NGINX % {"dir": workdir, "socket": socket, "port": PORT, **keepalive})
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"])
    results = []
    try:
        wait_until_up(base)
        server = server_pids(app_server.pid) + server_pids(nginx.pid)
        for users in sorted(args.steps):
            result = run_step(users, args, handle.name, base, server)
            result["passed"] = result["failures"] == 0 and result["p95"] < args.p95
            results.append(result)
            print(json.dumps(result), flush=True)
            if not result["passed"] and not args.keep_going:
                break
    finally:
        for process in (nginx, app_server):
            process.terminate()
            process.wait()
        os.unlink(handle.name)

    engine = "PostgreSQL" if "postgres" in os.environ["DATABASE_URL"] else "SQLite"
    print(f"\n{engine}; nginx in front of {args.server} with {args.workers} workers; "
          f"workshops of {args.per_workshop} analysts on the Central Asia case (126 cells); "
          f"{os.cpu_count()} cores shared with locust; steady state {args.seconds} s per step, measured "
          f"{args.settle} s after a ramp at {args.spawn_rate} users/s.\n")
    print("| analysts | req/s | p50 ms | p95 ms | p99 ms | poll p95 | save p95 | failures "
          "| server CPU (cores) | server CPU ms per analyst-second | locust CPU (cores) "
          "| both cores busy | holds |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        print(f"| {r['users']:,} | {r['rps']:,.0f} | {r['p50']:.0f} | {r['p95']:.0f} | "
              f"{r['p99']:.0f} | {r['poll_p95']:.0f} | {r['save_p95']:.0f} | {r['failures']} | "
              f"{r['server_cpu']:.2f} | {1000 * r['server_cpu'] / r['users']:.2f} | "
              f"{r['locust_cpu']:.2f} | {r['both_busy']:.0%} | "
              f"{'yes' if r['passed'] else 'no'} |")
    if args.burst:
        print("\n| analysts | reveal: p95 ms in the next 5 s | pages reloaded | "
              "new round: p95 ms in the next 5 s | pages reloaded |")
        print("|---:|---:|---:|---:|---:|")
        for r in results:
            b = r["bursts"]
            print(f"| {r['users']:,} | {b['reveal']['p95']:.0f} | {b['reveal']['pages']} | "
                  f"{b['round']['p95']:.0f} | {b['round']['pages']} |")
    held = [r["users"] for r in results if r["passed"]]
    print(f"\nMost analysts held: {max(held) if held else 'none of the steps'}. "
          f"A real (PBKDF2) login costs {login_ms:.0f} ms of CPU, once per session.")


if __name__ == "__main__":
    main()
