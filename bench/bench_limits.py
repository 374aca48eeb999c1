"""Time and weigh the pages a case at its limits makes. Run by hand:

    python bench/bench_limits.py        # a fresh SQLite file in /tmp

The case has as many parts as the settings allow (CASE_MAX_*: 20 options, 40 criteria, 100
principles, 200 actors, 200 events, 200 risks, 200 sources by default), with texts of a
length a real case has (titles of 60 characters, descriptions and summaries of 400), and an
open workshop with 6 synthetic analysts who have scored every cell (demo_workshop, seed 1).
Each page is fetched through Django's test client (middleware, session, permissions, the
templates, without the test environment's template instrumentation; no network) as the
person who would open it; the time is the median of REPEATS fetches after a warm-up, the
size the response's bytes.

Prints a Markdown table for docs/performance.md ("A case at its limits"), and exits 1 if a
page misses the target (TARGET_SECONDS, TARGET_BYTES).
"""
import os
import platform
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.serving import start_django  # noqa: E402
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
ANALYSTS = 6
TARGET_SECONDS = 1.0
TARGET_BYTES = 2 * 1024 * 1024


def text(label: str, length: int) -> str:
    """Words up to `length` characters, so the page wraps and escapes as real text does."""
    words = f"{label} " + "the option weighs the neighbour's interests against the treaty's "
    return (words * (length // len(words) + 1))[:length].strip()


def case_at_limits(settings) -> dict:
    """A case file with every list at its limit; risks cite actors and events, criteria
    derive from principles, every part cites a source."""
    n = {kind: getattr(settings, f"CASE_MAX_{kind.upper()}") for kind in (
        "sources", "principles", "actors", "events", "risks", "options", "criteria")}

    def cited(i: int) -> dict:
        return {"quote": text("Quote", 120), "source": f"S{i % n['sources'] + 1}"}

    return {
        "format": "options-room-case", "version": 1, "slug": "at-the-limits",
        "title": "A case at its limits", "question": text("Question", 200),
        "context": text("Context", 2000), "decider": "The principal",
        "sources": [{"code": f"S{i}", "citation": text(f"Source {i}", 150),
                     "url": f"https://example.org/source/{i}"}
                    for i in range(1, n["sources"] + 1)],
        "principles": [{"code": f"P{i}", "title": text(f"Principle {i}", 60),
                        "statement": text("Statement", 400), "red_line": i <= 2, **cited(i)}
                       for i in range(1, n["principles"] + 1)],
        "actors": [{"code": f"A{i}", "name": text(f"Actor {i}", 60), "kind": "state",
                    "influence": i % 5 + 1, "stance": i % 5 - 2,
                    "interests": text("Interests", 400), **cited(i)}
                   for i in range(1, n["actors"] + 1)],
        "events": [{"code": f"E{i}", "date": f"20{10 + i % 15}-{i % 12 + 1:02d}-01",
                    "title": text(f"Event {i}", 60), "description": text("Description", 400),
                    **cited(i)}
                   for i in range(1, n["events"] + 1)],
        "risks": [{"code": f"R{i}", "title": text(f"Risk {i}", 60),
                   "description": text("Description", 400), "likelihood": i % 5 + 1,
                   "impact": (i * 3) % 5 + 1, "actors": [f"A{i % n['actors'] + 1}"],
                   "events": [f"E{i % n['events'] + 1}"], "evidence": text("Evidence", 200),
                   **cited(i)}
                  for i in range(1, n["risks"] + 1)],
        "options": [{"code": f"O{i}", "title": text(f"Option {i}", 60),
                     "summary": text("Summary", 400), **cited(i)}
                    for i in range(1, n["options"] + 1)],
        "criteria": [{"code": f"C{i}", "title": text(f"Criterion {i}", 60),
                      "description": text("Description", 400), "kind": "alignment",
                      "scale": {"min": 0, "max": 10, "anchors": {
                          "0": "Not at all", "5": "In part", "10": "Fully"}},
                      "derived_from": {"principle": f"P{i % n['principles'] + 1}"}, **cited(i)}
                     for i in range(1, n["criteria"] + 1)],
    }


def machine() -> str:
    import django

    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
            f"Django {django.__version__}, load average {os.getloadavg()[0]:.1f} at the start")


def main() -> int:
    # Plain http to the test client; static files as they are, not collected.
    start_django("bench-limits-", SECURE_SSL_REDIRECT="0", STATIC_MANIFEST="0")
    import warnings

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from policy.cases.casefile import import_case
    from policy.models import Workshop

    print(machine(), file=sys.stderr)
    warnings.filterwarnings("ignore", message="No directory at")  # STATIC_ROOT, not collected
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    case = import_case(case_at_limits(settings))
    out = StringIO()
    call_command("demo_workshop", case.slug, "--analysts", str(ANALYSTS), "--seed", "1",
                 stdout=out)
    workshop = Workshop.objects.get(pk=int(out.getvalue()))
    workshop.status = Workshop.Status.OPEN  # the grid as analysts see it while scoring
    workshop.save()
    users = {m.role: m.user for m in workshop.memberships.select_related("user")}
    owner = get_user_model().objects.create(username="owner")
    case.owners.add(owner)

    pages = [
        ("grid (analyst's workshop page)", users["analyst"], reverse("workshop_detail",
                                                                     args=[workshop.pk])),
        ("workshop page (facilitator)", users["facilitator"], reverse("workshop_detail",
                                                                      args=[workshop.pk])),
        ("results", users["facilitator"], reverse("workshop_results", args=[workshop.pk])),
        ("case page (public)", None, reverse("case_detail", args=[case.slug])),
        ("case edit page (owner)", owner, reverse("case_edit", args=[case.slug])),
    ]
    kinds = ("options", "criteria", "principles", "actors", "events", "risks", "sources")
    parts = ", ".join(f"{getattr(case, kind).count()} {kind}" for kind in kinds)
    print(f"Case: {parts}; {workshop.scores.count():,} scores by {ANALYSTS} analysts.\n",
          file=sys.stderr)
    print("| page | median s | min s | bytes | target met |")
    print("| --- | ---: | ---: | ---: | --- |")
    missed = 0
    for name, user, url in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)  # warm-up, and the size
        assert response.status_code == 200, (name, response.status_code)
        size = len(response.content)
        runs = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            client.get(url)
            runs.append(time.perf_counter() - start)
        median = statistics.median(runs)
        met = median < TARGET_SECONDS and size < TARGET_BYTES
        missed += not met
        print(f"| {name} | {median:.3f} | {min(runs):.3f} | {size:,} | {'yes' if met else 'NO'} |")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
