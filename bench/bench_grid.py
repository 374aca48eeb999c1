"""Time the workshop page as an analyst gets it: the page every open browser reloads when a
facilitator starts a new round. Run by hand, after `manage.py collectstatic` (the page's static
URLs come from the manifest, as in production):

    python bench/bench_grid.py        # a fresh SQLite file in /tmp

Two grids, 6 options x 10 criteria and 12 x 20, each in two workshops of 3 analysts: one in
round 1 with nothing scored yet, one in round 2 with every analyst's round-1 scores carried
forward with a rationale and round 1's spread beside each cell. The first analyst asks through
Django's test client (middleware, session, permissions, template). Each time is the median CPU
time of REPEATS requests after a warm-up and a garbage collection: the client, Django and
SQLite all run in this process, and CPU time leaves out the neighbours on a shared machine.
Prints a Markdown table for docs/performance.md ("The workshop page after a new round").
"""
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.serving import start_django  # noqa: E402
REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))
WARM_UP = 5
SIZES = [(6, 10), (12, 20)]
ANALYSTS = 3


def median_ms(function, repeats=REPEATS) -> float:
    for _ in range(WARM_UP):
        function()
    gc.collect()  # not the setup's garbage, collected during the first timed requests
    runs = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        runs.append(time.process_time() - start)
    return 1000 * statistics.median(runs)


def workshops(options: int, criteria: int):
    """(analyst, workshop in round 1, workshop in round 2) on a new case. In round 2 every
    cell of round 1 was scored by each analyst, so the analyst's grid is all carried-forward
    values with last round's spread and reasons."""
    from policy.models import Score
    from tests.factories import make_case, make_workshop

    case = make_case(slug=f"bench-{options}x{criteria}", options=options, criteria=criteria)
    first = make_workshop(case, analysts=ANALYSTS)
    workshop = make_workshop(case, analysts=ANALYSTS, round=2)
    analysts = [m.user for m in workshop.memberships.filter(role="analyst")]
    cells = [(o, c) for o in case.options.all() for c in case.criteria.all()]
    for round in (1, 2):
        Score.objects.bulk_create([
            Score(workshop=workshop, round=round, analyst=analyst, option=option,
                  criterion=criterion, value=(i + n) % 11, rationale=f"Reason {i} <&> \"{n}\"",
                  carried_from=1 if round == 2 else None)
            for i, analyst in enumerate(analysts) for n, (option, criterion) in enumerate(cells)
        ])
    return analysts[0], first, workshop


def main() -> None:
    start_django("bench-grid-", SECURE_SSL_REDIRECT="0")
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"{REPEATS} requests each, median CPU time\n")
    print("| grid | round 1, nothing scored | round 2, all carried forward | HTML (round 2) |")
    print("| --- | ---: | ---: | ---: |")
    for options, criteria in SIZES:
        analyst, first, second = workshops(options, criteria)
        client = Client()
        client.force_login(analyst)

        def page(workshop):
            def get():
                response = client.get(f"/workshops/{workshop.pk}/")
                assert response.status_code == 200, response.status_code
                return response
            return get

        size = len(page(second)().content)
        print(f"| {options} options x {criteria} criteria | {median_ms(page(first)):.1f} ms | "
              f"{median_ms(page(second)):.1f} ms | {size / 1024:.0f} KB |")


if __name__ == "__main__":
    main()
