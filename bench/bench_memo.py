"""Time the memo: the app's render beside WeasyPrint rendering the same saved HTML alone, in the
same run, and the cached second download. Run by hand:

    python bench/bench_memo.py        # a fresh SQLite file in /tmp

The workshop is the Central Asia case (fixtures/central-asia-2012.json) with 6 synthetic
analysts from demo_workshop (seed 1). Times, as the median of REPEATS runs after a warm-up:
  app       policy.memo.document.render_memo(): the result (frames, compare with 2,000 draws),
            the memo's context and HTML, and the PDF rendered in the time-limited child process
  bare      WeasyPrint alone on the HTML the app produced, saved to a file:
            HTML(filename).write_pdf(pdf_variant="pdf/ua-1"), the stylesheet and fonts read
            from static/ by WeasyPrint's own fetcher; timed twice: in this process (which holds
            Django, pandas and the test data: a big heap for the garbage collector to walk) in
            turn with the app's runs, and in a fresh process that loads only WeasyPrint (the
            app's render child is forked from such a process). The ratio's target is checked
            against the faster of the two.
  cached    a second download of the unchanged workshop: the memo view through Django's test
            client (middleware, session, permissions, the cache query, the 200 KB response),
            and memo_pdf() alone
  docx      policy.memo.word.memo_docx(): the result, the memo's HTML, and the Word copy built
            from it, in this process (no cache: every download builds it); timed with the
            charts drawn each time (cairosvg) and with them taken from the per-process cache
            of drawn charts (the case's actor and risk maps change only with the case)
Prints Markdown tables for docs/performance.md ("Memo"), and the Word copy's time beside the
PDF's. Runs with the production settings (DEBUG off): the cache table is made, and the client
asks over https, as the SSL redirect requires.
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
REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))
CACHED_REPEATS = 50
TARGETS = {"ratio": 1.15, "cached_view": 0.030, "docx": 0.5}


def timed(function, repeats=REPEATS) -> tuple[float, list[float]]:
    """Median wall time of `repeats` calls after one warm-up call, and all the times."""
    return interleaved([function], repeats)[0]


def interleaved(functions, repeats=REPEATS) -> list[tuple[float, list[float]]]:
    """Like timed() for several functions, run in turn (a, b, a, b...), so that a change in
    the machine's load falls on each alike."""
    for function in functions:
        function()
    times = [[] for _ in functions]
    for _ in range(repeats):
        for function, runs in zip(functions, times):
            start = time.perf_counter()
            function()
            runs.append(time.perf_counter() - start)
    return [(statistics.median(runs), runs) for runs in times]


FRESH_BARE = """
import json, logging, statistics, sys, time
for name in ("weasyprint.progress", "fontTools"):
    logging.getLogger(name).setLevel(logging.WARNING)
import weasyprint
html, base, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
def bare():
    return weasyprint.HTML(filename=html, base_url=base).write_pdf(pdf_variant="pdf/ua-1")
bare()
runs = []
for _ in range(repeats):
    start = time.perf_counter()
    bare()
    runs.append(time.perf_counter() - start)
print(json.dumps(runs))
"""


def fresh_bare(html_file: Path, base: str) -> tuple[float, list[float]]:
    import json
    import subprocess

    out = subprocess.run([sys.executable, "-c", FRESH_BARE, str(html_file), base, str(REPEATS)],
                         check=True, capture_output=True, text=True).stdout
    runs = json.loads(out)
    return statistics.median(runs), runs


def machine() -> str:
    import django
    import weasyprint

    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
            f"WeasyPrint {weasyprint.__version__}, Django {django.__version__}, "
            f"load average {os.getloadavg()[0]:.1f} at the start")


def main() -> None:
    workdir = start_django("bench-memo-")
    import json
    import warnings

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from policy.cases.casefile import import_case
    from policy.memo import document
    from policy.models import Workshop

    import weasyprint  # after policy.memo, which quiets its progress log

    warnings.filterwarnings("ignore", message="No directory at")  # STATIC_ROOT, not collected
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # production settings cache in the database
    import_case(json.loads((ROOT / "fixtures" / "central-asia-2012.json").read_text()))
    out = StringIO()
    call_command("demo_workshop", "central-asia-2012", "--analysts", "6", "--seed", "1", stdout=out)
    workshop = Workshop.objects.get(pk=int(out.getvalue()))

    # The app (everything a first download does but the cache), and bare WeasyPrint on the
    # same HTML, saved, its own fetcher reading static/ from disk; run in turn.
    rendered = document.render_memo(workshop)
    html_file = workdir / "memo.html"
    html_file.write_text(document.memo_html(workshop), encoding="utf-8")
    static_dir = Path(settings.STATICFILES_DIRS[0])

    def bare():
        return weasyprint.HTML(filename=str(html_file), base_url=f"{static_dir}/").write_pdf(
            pdf_variant="pdf/ua-1")

    (app, app_runs), (bare_here, bare_runs) = interleaved(
        [lambda: document.render_memo(workshop), bare])
    bare_pdf = bare()
    bare_fresh, fresh_runs = fresh_bare(html_file, f"{static_dir}/")
    bare_time = min(bare_here, bare_fresh)

    # Parts of the app's time, to say where the rest goes.
    context_time, _ = timed(lambda: document.memo_context(workshop))
    context = document.memo_context(workshop)
    html_time, _ = timed(lambda: document.memo_html(workshop, context))

    # The cached second download.
    document.memo_pdf(workshop)  # the first download renders and stores
    client = Client()
    client.force_login(workshop.created_by)
    url = f"/workshops/{workshop.pk}/memo.pdf"
    response = client.get(url, secure=True)  # production settings redirect plain http
    assert response.status_code == 200 and response["X-Memo-Cache"] == "hit", response
    cached_view, _ = timed(lambda: client.get(url, secure=True), CACHED_REPEATS)
    cached_call, _ = timed(lambda: document.memo_pdf(workshop), CACHED_REPEATS)

    # The Word copy, built afresh (charts drawn) and with the charts already drawn.
    from policy.memo import word

    def docx_fresh():
        word._png.cache_clear()
        return word.memo_docx(workshop)

    docx_size = len(docx_fresh()[2])
    (docx_time, docx_runs), (docx_warm, _) = interleaved(
        [docx_fresh, lambda: word.memo_docx(workshop)])
    docx_cpu_start = time.process_time()
    for _ in range(REPEATS):
        docx_fresh()
    docx_cpu = (time.process_time() - docx_cpu_start) / REPEATS

    ratio = app / bare_time
    print(f"Machine: {machine()}.")
    print(f"Memo: {rendered.pages} pages, {len(rendered.pdf) / 1024:.0f} KB (bare: "
          f"{len(bare_pdf) / 1024:.0f} KB); median of {REPEATS} runs, cached of {CACHED_REPEATS}.")
    print()
    print("| app render | bare WeasyPrint, this process | bare, fresh process | app / bare | "
          "of which: result and context | HTML template | cached download (view) | "
          "cached memo_pdf() |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {app * 1000:.0f} ms | {bare_here * 1000:.0f} ms | {bare_fresh * 1000:.0f} ms | "
          f"{ratio:.2f} | {context_time * 1000:.0f} ms | {html_time * 1000:.0f} ms | "
          f"{cached_view * 1000:.1f} ms | {cached_call * 1000:.1f} ms |")
    print()
    print(f"- app / bare {ratio:.2f}: {'meets' if ratio <= TARGETS['ratio'] else 'MISSES'} "
          f"<= {TARGETS['ratio']}")
    print(f"- cached download {cached_view * 1000:.1f} ms: "
          f"{'meets' if cached_view < TARGETS['cached_view'] else 'MISSES'} < 30 ms")
    print()
    print("| DOCX, charts drawn | DOCX, charts cached | DOCX, CPU time (charts drawn) | "
          "DOCX size |")
    print("| --- | --- | --- | --- |")
    print(f"| {docx_time * 1000:.0f} ms | {docx_warm * 1000:.0f} ms | {docx_cpu * 1000:.0f} ms | "
          f"{docx_size / 1024:.0f} KB |")
    print()
    print(f"- DOCX {docx_time:.2f} s: {'meets' if docx_time < TARGETS['docx'] else 'MISSES'} "
          f"< {TARGETS['docx']} s (CPU time {docx_cpu:.2f} s: on a busy machine the wall time "
          "counts the waits for a core)")
    print(f"- beside the PDF: the Word copy {docx_time:.2f} s (charts drawn) or {docx_warm:.2f} s "
          f"(charts cached), the PDF {app:.2f} s rendered or {cached_view * 1000:.0f} ms cached")
    print(f"- runs, DOCX: {', '.join(f'{t:.2f}' for t in docx_runs)} s")
    print(f"- runs, app: {', '.join(f'{t:.2f}' for t in app_runs)} s; "
          f"bare here: {', '.join(f'{t:.2f}' for t in bare_runs)} s; "
          f"bare fresh: {', '.join(f'{t:.2f}' for t in fresh_runs)} s")


if __name__ == "__main__":
    main()
