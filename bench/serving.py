"""What the benchmark scripts share about the server they start."""
import time
import urllib.request


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
