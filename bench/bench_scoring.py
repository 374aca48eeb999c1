"""Time the scoring engine on a large workshop, beside a bare pandas baseline. Run by hand:

    python bench/bench_scoring.py                     # a fresh SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/optionsroom python bench/bench_scoring.py
                                                      # SQLite, then a fresh PostgreSQL database
                                                      # (<name>_bench_scoring) on that server

50 analysts x 40 options x 50 criteria = 100,000 scores, made by demo_workshop. Times, as the
median of REPEATS runs each:
  frames    policy.workshops.frames.workshop_frames(): the five queries into DataFrames
  compare   scoring.compare() with 2,000 Monte Carlo draws, on frames already built
  command   `manage.py results ID --json` in-process (call_command): frames, compare, JSON
  baseline  bare pandas on the same frames: groupby median per cell, scale, weighted sum
Each database is timed twice: with OpenBLAS's threads as installed, and pinned to one
(OPENBLAS_NUM_THREADS=1). Prints a Markdown table for docs/performance.md ("Scoring engine").
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ANALYSTS, OPTIONS, CRITERIA = 50, 40, 50
REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))
TARGETS = {"compare": 0.150, "command": 1.0}


def timed(function, repeats=REPEATS) -> float:
    """Median wall time of `repeats` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_bench_case():
    from policy.models import Case, Criterion, Option

    case = Case.objects.create(
        slug="bench-40x50", title="Benchmark case", question="Which?", decider="Bench"
    )
    Option.objects.bulk_create(
        [
            Option(case=case, code=f"O{i}", title=f"Option {i}", position=i)
            for i in range(1, OPTIONS + 1)
        ]
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                case=case,
                code=f"C{i}",
                title=f"Criterion {i}",
                kind="other",
                position=i,
                direction="cost" if i % 10 == 0 else "benefit",
                default_weight=1 + i % 3,
                red_line_threshold=2 if i == 1 else None,
            )
            for i in range(1, CRITERIA + 1)
        ]
    )
    return case


def bare_baseline(frames):
    """What a hand-rolled script would do: median per cell, scale to 0-1, weighted sum."""
    criteria = frames.criteria.set_index("code")
    weights = criteria["default_weight"] / criteria["default_weight"].sum()
    medians = frames.scores.groupby(["option", "criterion"])["value"].median().unstack()
    share = (medians - criteria["scale_min"]) / (criteria["scale_max"] - criteria["scale_min"])
    return (share * weights).sum(axis=1).sort_values(ascending=False)


def database_name(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


def run_one(database_url: str) -> dict:
    """Set Django up on `database_url` (already fresh), build the workshop, time it."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "policy.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from policy.workshops.frames import workshop_frames
    from policy.management.commands.demo_workshop import make_demo_workshop
    from policy.scoring import compare

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    workshop = make_demo_workshop(make_bench_case(), ANALYSTS, seed=1)
    setup = time.perf_counter() - start
    frames = workshop_frames(workshop)
    assert len(frames.scores) == ANALYSTS * OPTIONS * CRITERIA

    def command():
        call_command("results", str(workshop.pk), "--json", stdout=StringIO())

    results = {
        "database": database_name(connection),
        "setup": setup,
        "frames": timed(lambda: workshop_frames(workshop)),
        "compare": timed(lambda: compare(frames)),
        "command": timed(command),
        "baseline": timed(lambda: bare_baseline(frames)),
        "json_bytes": len(json.dumps(compare(frames).to_dict())),
    }
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "results", str(workshop.pk), "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    results["process"] = time.perf_counter() - start
    return results


def fresh_sqlite() -> str:
    return f"sqlite:///{tempfile.mkdtemp(prefix='bench-scoring-')}/bench.sqlite3"


def fresh_postgres(url: str) -> str:
    """A new empty database beside the one `url` names, dropped first if it exists."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.strip("/") + "_bench_scoring"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def machine() -> str:
    import django
    import numpy
    import pandas

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"pandas {pandas.__version__}, numpy {numpy.__version__}, Django {django.__version__}"
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(rows: list[dict]) -> str:
    lines = [
        f"Machine: {machine()}. {ANALYSTS} analysts x {OPTIONS} options x {CRITERIA} criteria "
        f"= {ANALYSTS * OPTIONS * CRITERIA:,} scores; median of {REPEATS} runs.",
        "",
        "| database | BLAS threads | frames | compare (2,000 draws) | "
        "results --json (in-process) | bare pandas | compare / bare | command / bare | "
        "results --json (new process) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['database']} | {row['blas_threads']} | {ms(row['frames'])} | "
            f"{ms(row['compare'])} | "
            f"{ms(row['command'])} | {ms(row['baseline'])} | "
            f"{row['compare'] / row['baseline']:.0f}x | {row['command'] / row['baseline']:.0f}x | "
            f"{ms(row['process'])} |"
        )
    lines.append("")
    for row in rows:
        verdicts = ", ".join(
            f"{name} {'meets' if row[name] < limit else 'MISSES'} < {ms(limit)}"
            for name, limit in TARGETS.items()
        )
        lines.append(
            f"- {row['database']}, BLAS threads {row['blas_threads']}: {verdicts}; "
            f"JSON {row['json_bytes'] / 1e6:.1f} MB; "
            f"making the workshop took {row['setup']:.1f} s."
        )
    return "\n".join(lines)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(run_one(sys.argv[2])))
        return
    given = os.environ.get("DATABASE_URL", "")
    databases = [fresh_sqlite]
    if given.startswith(("postgres://", "postgresql://")):
        databases.append(lambda: fresh_postgres(given))
    rows = []
    for fresh in databases:
        # OpenBLAS threads once as installed, once pinned to one: the engine's matrix products
        # are small, and under load (other processes on the 2 cores) threads wait on each other.
        for threads in (None, "1"):
            env = dict(os.environ)
            if threads:
                env["OPENBLAS_NUM_THREADS"] = threads
            # A process each: Django binds one database per process, and each run starts empty.
            out = subprocess.run(
                [sys.executable, __file__, "--one", fresh()],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout
            rows.append(
                {**json.loads(out.strip().splitlines()[-1]), "blas_threads": threads or "default"}
            )
    print(report(rows))


if __name__ == "__main__":
    main()
