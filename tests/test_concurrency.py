"""Many processes saving scores into one workshop at once lose nothing.

Each of 20 processes saves its own cells (and rewrites one shared cell) as fast as it can; on
SQLite the writers queue on the IMMEDIATE lock, on PostgreSQL on the workshop's row lock.
"""
import multiprocessing

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from policy import actions
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
