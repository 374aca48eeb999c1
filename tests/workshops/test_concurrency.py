"""Many processes saving scores into one workshop at once lose nothing.

Each of 20 processes saves its own cells (and rewrites one shared cell) as fast as it can; on
SQLite the writers queue on the IMMEDIATE lock, on PostgreSQL on the workshop's row lock.
"""
import multiprocessing

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from policy.workshops import actions
from policy.models import Membership, Score, Workshop
from tests.factories import make_case, make_workshop

PROCESSES = 20
SAVES_EACH = 5


def _save_many(workshop_id: int, username: str, queue) -> None:
    connections.close_all()  # a fresh connection in the child, never the parent's
    try:
        workshop = Workshop.objects.get(pk=workshop_id)
        user = get_user_model().objects.get(username=username)
        criteria = list(workshop.case.criteria.all())
        options = list(workshop.case.options.all())
        for i in range(SAVES_EACH):
            actions.save_score(
                workshop_id, user, options[i % len(options)], criteria[0],
                round=1, value=float(i), rationale=f"{username} save {i}",
            )
        queue.put(("ok", username))
    except Exception as error:  # reported to the parent, which fails the test with it
        queue.put(("error", f"{username}: {error!r}"))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_twenty_processes_saving_at_once_lose_no_write():
    workshop = make_workshop(make_case(options=SAVES_EACH, criteria=1), analysts=0)
    User = get_user_model()
    names = [f"writer{i:02d}" for i in range(PROCESSES)]
    for name in names:
        user = User.objects.create(username=name)
        Membership.objects.create(workshop=workshop, user=user, role=Membership.Role.ANALYST)
    connections.close_all()

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_save_many, args=(workshop.pk, n, queue)) for n in names]
    for worker in workers:
        worker.start()
    outcomes = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    errors = [message for status, message in outcomes if status == "error"]
    assert errors == []
    assert Score.objects.filter(workshop=workshop).count() == PROCESSES * SAVES_EACH
    assert Workshop.objects.get(pk=workshop.pk).revision == PROCESSES * SAVES_EACH
    last = Score.objects.get(analyst__username="writer07", option__code=f"O{SAVES_EACH}")
    assert (last.value, last.rationale) == (SAVES_EACH - 1, f"writer07 save {SAVES_EACH - 1}")


# --- the same through HTTP: 20 client processes against the real server -------------------

OWN_CELLS = 4  # each client's own cells: options O1..O4 on C1


def _post_scores(base_url, cookies, plan, barrier, queue) -> None:
    """One client: wait for the others, then POST its saves one after another."""
    from tests.live_server import Client

    outcomes = []
    try:
        barrier.wait(timeout=60)
        for who, path, value, rationale in plan:
            status, body = Client(base_url, cookies[who]).post(
                path, {"value": value, "rationale": rationale, "round": 1}
            )
            outcomes.append((who, path, value, rationale, status, body[:2000]))
        queue.put(("ok", outcomes))
    except Exception as error:  # reported to the parent, which fails the test with it
        queue.put(("error", f"{error!r} after {len(outcomes)} saves"))


@pytest.mark.django_db(transaction=True)
def test_twenty_clients_saving_through_the_server_lose_no_write_and_see_no_error(app_server):
    """Each of 20 client processes saves its own four cells, overwrites one of them, and
    writes one cell that all 20 share (the same analyst's row), through the server's 2 workers."""
    import time

    from tests.live_server import acknowledged, session_cookie

    workshop = make_workshop(make_case(options=OWN_CELLS, criteria=2), analysts=0)
    User = get_user_model()
    names = [f"writer{i:02d}" for i in range(PROCESSES)] + ["shared"]
    users = {}
    for name in names:
        users[name] = User.objects.create(username=name)
        Membership.objects.create(workshop=workshop, user=users[name], role=Membership.Role.ANALYST)
    cookies = {name: session_cookie(user) for name, user in users.items()}
    options = list(workshop.case.options.order_by("position"))
    c1, c2 = workshop.case.criteria.order_by("position")

    def cell(option, criterion):
        return f"/workshops/{workshop.pk}/cells/{option.pk}/{criterion.pk}/"

    plans = []
    for n, name in enumerate(names[:-1]):
        plan = [(name, cell(options[i], c1), float(i), f"{name} own {i}") for i in range(OWN_CELLS)]
        plan.append((name, cell(options[0], c1), 9.0, f"{name} overwrite"))
        plan.append(("shared", cell(options[0], c2), float(n % 11), f"shared by {name}"))
        plans.append(plan)
    revision_before = Workshop.objects.get(pk=workshop.pk).revision

    server = app_server(workers=2)
    connections.close_all()  # nothing of this process's database connection in the children
    context = multiprocessing.get_context("fork")
    queue, barrier = context.Queue(), context.Barrier(PROCESSES)
    clients = [
        context.Process(target=_post_scores, args=(server.url, cookies, plan, barrier, queue))
        for plan in plans
    ]
    started = time.monotonic()
    for client in clients:
        client.start()
    reports = [queue.get(timeout=120) for _ in clients]
    elapsed = time.monotonic() - started
    for client in clients:
        client.join(timeout=30)

    assert [message for status, message in reports if status == "error"] == []
    outcomes = [outcome for _, batch in reports for outcome in batch]
    assert len(outcomes) == PROCESSES * (OWN_CELLS + 2)
    assert [o[4] for o in outcomes if o[4] != 200] == []  # no 5xx, no refusal of any kind
    assert [o for o in outcomes if "database is locked" in o[5].lower()] == []
    assert [o[:4] for o in outcomes if not acknowledged(o[4], o[5])] == []

    # Every acknowledged value is there: own cells as last written, the shared cell as one of
    # the 20 writes to it; each save bumped the revision once, a rewrite as much as a new cell.
    scores = {
        (s.analyst.username, s.option_id, s.criterion_id): (s.value, s.rationale)
        for s in Score.objects.filter(workshop=workshop).select_related("analyst")
    }
    assert len(scores) == PROCESSES * OWN_CELLS + 1
    for name in names[:-1]:
        assert scores[(name, options[0].pk, c1.pk)] == (9.0, f"{name} overwrite")
        for i in range(1, OWN_CELLS):
            assert scores[(name, options[i].pk, c1.pk)] == (float(i), f"{name} own {i}")
    shared_writes = {(o[2], o[3]) for o in outcomes if o[0] == "shared"}
    assert len(shared_writes) == PROCESSES
    assert scores[("shared", options[0].pk, c2.pk)] in shared_writes
    revision = Workshop.objects.get(pk=workshop.pk).revision
    assert revision - revision_before == len(outcomes)
    print(f"\n{len(outcomes)} saves by {PROCESSES} client processes through the server "
          f"({connections['default'].vendor}): {elapsed:.2f} s, "
          f"revision +{revision - revision_before}")
