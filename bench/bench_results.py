"""Time what shows a workshop's comparison: the workshop page (whose live panels are what a
poll renders), the results page, the XLSX export and `results --json`. Run by hand:

    python bench/bench_results.py        # a fresh SQLite file in /tmp

The workshop is the Central Asia case (fixtures/central-asia-2012.json) with 12 synthetic
analysts from demo_workshop (seed 1), revealed; the facilitator asks, through Django's test
client (middleware, session, permissions, template), with the settings' shared cache (the
database table unless CACHE_URL says otherwise). Each time is the median of REPEATS requests of
an unchanged workshop after a warm-up: what a page costs while nobody saves. "after a save"
bumps the revision before each request, so every one is a first look at a new revision.
Times are CPU time of this process, in which the client, Django and SQLite all run: on a
machine shared with other work, wall time measures the neighbours as much as the code.
Prints a Markdown table for docs/performance.md ("Results").
"""
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.serving import start_django  # noqa: E402
REPEATS = int(os.environ.get("BENCH_REPEATS", "15"))


def median_ms(function, repeats=REPEATS, before=None) -> float:
    function()
    runs = []
    for _ in range(repeats):
        if before:
            before()
        start = time.process_time()
        function()
        runs.append(time.process_time() - start)
    return 1000 * statistics.median(runs)


def main() -> None:
    # Static files as they are: not collected here.
    start_django("bench-results-", SECURE_SSL_REDIRECT="0", STATIC_MANIFEST="0")
    import json
    import warnings

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from policy.cases.casefile import import_case
    from policy.models import Workshop

    warnings.filterwarnings("ignore", message="No directory at")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    import_case(json.loads((ROOT / "fixtures" / "central-asia-2012.json").read_text()))
    out = StringIO()
    call_command("demo_workshop", "central-asia-2012", "--analysts", "12", "--seed", "1",
                 stdout=out)
    workshop = Workshop.objects.get(pk=int(out.getvalue()))
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    client = Client()
    client.force_login(workshop.created_by)
    pk = workshop.pk

    def get(url, **headers):
        def request():
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)
        return request

    def bump():
        Workshop.objects.filter(pk=pk).bump()

    def results_command():
        call_command("results", str(pk), "--json", stdout=StringIO())

    rows = [
        ("workshop page", get(f"/workshops/{pk}/")),
        ("results page", get(f"/workshops/{pk}/results/")),
        ("XLSX export", get(f"/workshops/{pk}/export.xlsx")),
        ("results --json (in-process)", results_command),
    ]
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"{REPEATS} requests each, median\n")
    print("| what (CPU ms) | unchanged workshop | after a save |")
    print("| --- | ---: | ---: |")
    for name, function in rows:
        print(f"| {name} | {median_ms(function):.1f} ms | "
              f"{median_ms(function, before=bump):.1f} ms |")


if __name__ == "__main__":
    main()
