"""Faults, through the app's real server (tests/live_server.py) on the test database.

- kill -9 of the server (main process and workers at once) while clients save: every save a client
  saw acknowledged is in the database afterwards, nothing is half written, the database is
  sound, and a restarted server serves and saves again;
- a worker killed: another is started in its place, and the server serves and saves on;
- a memo render over its time limit: the user gets the clear message, and the same worker goes
  on serving, with no render process left behind.
"""
import http.client
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from policy.models import Score, Workshop
from tests.factories import make_case, make_workshop, score
from tests.live_server import (
    Client,
    acknowledged,
    descendants,
    process_group,
    session_cookie,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 4
ACKS_BEFORE_KILL = 60  # the kill comes once this many saves have been acknowledged


class Saver(threading.Thread):
    """Saves one new cell after another, as fast as the server answers, until a request fails
    (the server is gone) or its cells run out. Records what it sent and what was acknowledged."""

    def __init__(self, base_url, cookie, analyst, cells, acks, lock):
        super().__init__(daemon=True)
        self.client = Client(base_url, cookie)
        self.analyst, self.cells, self.acks, self.lock = analyst, cells, acks, lock
        self.sent: list[tuple] = []
        self.failure: str | None = None
        self.refused: list[tuple] = []

    def run(self):
        for n, (workshop_id, option_id, criterion_id) in enumerate(self.cells):
            value = float(n % 11)
            rationale = f"{self.analyst} save {n} of value {value:g}"
            key = (self.analyst, option_id, criterion_id, value, rationale)
            self.sent.append(key)
            try:
                status, body = self.client.save_score(
                    workshop_id, option_id, criterion_id, value, rationale, timeout=20
                )
            except (OSError, http.client.HTTPException) as error:  # reset, refused: killed
                self.failure = repr(error)
                return
            if not acknowledged(status, body):
                self.refused.append((key, status, body[:300]))
                return
            with self.lock:
                self.acks.append(key)


def test_saves_acknowledged_before_a_kill_9_are_all_there_after_it(app_server):
    case = make_case(slug="kill", options=10, criteria=10)
    workshop = make_workshop(case, analysts=CLIENTS)
    analysts = [m.user for m in workshop.memberships.filter(role="analyst").order_by("user__username")]
    cells = [
        (workshop.pk, option, criterion)
        for option in case.options.values_list("pk", flat=True)
        for criterion in case.criteria.values_list("pk", flat=True)
    ]
    revision_before = Workshop.objects.get(pk=workshop.pk).revision

    server = app_server(workers=2)
    acks, lock = [], threading.Lock()
    savers = [
        Saver(server.url, session_cookie(user), user.username, cells, acks, lock)
        for user in analysts
    ]
    for saver in savers:
        saver.start()
    wait_for(lambda: len(acks) >= ACKS_BEFORE_KILL or not any(s.is_alive() for s in savers),
             20, "the clients did not get their saves acknowledged")
    server.kill()  # SIGKILL to the whole process group, mid-stream
    for saver in savers:
        saver.join(30)

    assert [s.refused for s in savers if s.refused] == []  # no refusal, no 5xx before the kill
    assert all(s.failure for s in savers), "every client should have been cut off by the kill"
    assert len(acks) >= ACKS_BEFORE_KILL
    assert len(acks) < len(cells) * CLIENTS  # the kill came mid-stream, with saves left to do

    # A fresh connection, as after a restart.
    connections.close_all()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchall() == [("ok",)]
    rows = {
        (s.analyst.username, s.option_id, s.criterion_id, s.value, s.rationale)
        for s in Score.objects.filter(workshop=workshop).select_related("analyst")
    }
    # Every acknowledged save is there, with its rationale.
    assert set(acks) - rows == set()
    # Nothing else but what was sent (a save in flight at the kill may or may not be there,
    # but whole: its value with its own rationale).
    sent = {key for saver in savers for key in saver.sent}
    assert rows - sent == set()
    in_flight_committed = len(rows) - len(acks)
    assert 0 <= in_flight_committed <= CLIENTS
    # Each committed save made one new row and one revision bump, in one transaction.
    revision = Workshop.objects.get(pk=workshop.pk).revision
    assert revision - revision_before == len(rows) >= len(acks)

    # A restarted server serves, and saves.
    restarted = app_server(workers=2)
    client = Client(restarted.url, session_cookie(analysts[0]))
    assert client.get("/health/") == (200, "ok")
    status, body = client.save_score(*cells[-1], 10.0, "after the restart")
    assert acknowledged(status, body)
    saved = Score.objects.get(
        workshop=workshop, analyst=analysts[0], option_id=cells[-1][1], criterion_id=cells[-1][2]
    )
    assert (saved.value, saved.rationale) == (10.0, "after the restart")
    assert Workshop.objects.get(pk=workshop.pk).revision == revision + 1
    print(f"\nkill -9 ({connection.vendor}): {len(acks)} saves acknowledged before the kill, "
          f"all {len(acks)} found; {in_flight_committed} in-flight saves committed; "
          f"{sum(1 for s in savers if s.failure)} clients cut off")


# --- a worker killed -----------------------------------------------------------------------

def test_a_killed_worker_is_replaced_and_the_server_serves_on(app_server):
    """One worker dies (kill -9: out of memory, an operator): the server starts another in its
    place (granian's --respawn-failed-workers, as deployed) and goes on serving and saving."""
    workshop = make_workshop(make_case(), analysts=1)
    analyst = workshop.memberships.get(user__username="ana1").user
    server = app_server(workers=2)
    before = server.worker_pids()
    assert len(before) == 2
    killed = min(before)
    os.kill(killed, signal.SIGKILL)

    def replaced():
        pids = server.worker_pids()
        return pids if len(pids) == 2 and killed not in pids and len(pids - before) == 1 else None

    after = wait_for(replaced, 15, "no worker was started in place of the killed one")
    client = Client(server.url, session_cookie(analyst))
    for _ in range(4):  # both workers answer (the requests spread over them)
        assert client.get("/health/") == (200, "ok")
    status, body = client.save_score(
        workshop.pk, workshop.case.options.get(code="O1").pk,
        workshop.case.criteria.get(code="C1").pk, 6.0, "After a worker died.",
    )
    assert acknowledged(status, body)
    assert Score.objects.get(workshop=workshop, analyst=analyst).rationale == "After a worker died."
    assert server.worker_pids() == after  # and nothing else died meanwhile


# --- the memo's time limit ------------------------------------------------------------------

def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _helpers_only(worker: int) -> list[dict[int, str]] | None:
    """The worker's descendants, if they are only multiprocessing's long-lived helpers (the
    fork server and its resource tracker, both kept for the next render) and none a zombie;
    None while anything else (a render child) is there. In a list, to be truthy when empty."""
    found = descendants(worker)
    for pid, state in found.items():
        if state == "Z":
            return None
        line = _cmdline(pid)
        if "multiprocessing.forkserver" not in line and "multiprocessing.resource_tracker" not in line:
            return None
        if "multiprocessing.forkserver" in line and descendants(pid):
            return None
    return [found]


def test_a_memo_over_its_time_limit_gets_a_clear_error_and_the_worker_serves_on(app_server):
    workshop = make_workshop(make_case(), analysts=2)
    score(workshop, "ana1", "O1", "C1", 7, "Because.")
    score(workshop, "ana2", "O1", "C1", 3, "Not so.")
    fac = workshop.memberships.get(user__username="fac").user
    ana1 = workshop.memberships.get(user__username="ana1").user

    server = app_server(workers=1, env={"MEMO_RENDER_TIMEOUT": "0.05"})
    (worker,) = workers_before = server.worker_pids()
    facilitator = Client(server.url, session_cookie(fac))
    memo = f"/workshops/{workshop.pk}/memo.pdf"

    timings = []
    for _ in range(2):  # the first also starts the fork server; the second reuses it
        started = time.monotonic()
        status, body = facilitator.get(memo)
        timings.append(time.monotonic() - started)
        assert status == 503
        assert "The memo could not be prepared" in body
        assert "The memo took longer than 0.05 seconds to render and was stopped." in body
        assert "MEMO_RENDER_TIMEOUT" in body
    status, body = facilitator.post(f"/workshops/{workshop.pk}/memo/prepare/", {})
    assert status == 200  # htmx swaps the message in place
    assert 'role="alert"' in body and "took longer than 0.05 seconds" in body

    # The same worker goes on serving: health, a poll, a save.
    for _ in range(5):
        assert facilitator.get("/health/") == (200, "ok")
    revision = Workshop.objects.get(pk=workshop.pk).revision
    status, _ = facilitator.get(f"/workshops/{workshop.pk}/poll/?revision={revision}")
    assert status == 204
    status, body = Client(server.url, session_cookie(ana1)).save_score(
        workshop.pk, workshop.case.options.get(code="O2").pk,
        workshop.case.criteria.get(code="C1").pk, 4.0, "After the memo failed.",
    )
    assert acknowledged(status, body)
    assert Score.objects.get(workshop=workshop, analyst=ana1, option__code="O2").rationale == (
        "After the memo failed."
    )
    assert server.worker_pids() == workers_before  # no worker died or was replaced
    # No render child is left: below the worker only the fork server and its resource
    # tracker, no zombie.
    (helpers,) = wait_for(
        lambda: _helpers_only(worker), 5, "a memo render process was left behind"
    )
    assert server.worker_pids() == workers_before
    # Nor anywhere else in the server's process group (an orphan would have left the tree).
    assert set(process_group(server.pid)) == {server.pid, worker} | set(helpers)
    print(f"\nmemo timeout ({connection.vendor}): 503 in {timings[0]:.2f} s (fork server start), "
          f"then {timings[1]:.2f} s; worker {worker} kept; helpers below it: "
          f"{len(helpers)} (fork server, resource tracker)")
