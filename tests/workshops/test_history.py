"""The workshop's history: every step and score change, written by the actions in their own
transaction, shown to the facilitator, and kept by case-file backups."""
import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policy.cases.casefile import export_case, import_case
from policy.models import Case, HistoryEntry, Membership, Workshop
from policy.workshops import actions
from policy.workshops.frames import analyst_labels
from tests.factories import make_case, make_user, make_workshop, score

User = get_user_model()


@pytest.fixture
def workshop(db):
    return make_workshop(make_case(), analysts=2)


def cell(ws):
    return ws.case.options.get(code="O1"), ws.case.criteria.get(code="C1")


def save(ws, analyst, value, rationale="why"):
    option, criterion = cell(ws)
    return actions.save_score(ws.pk, User.objects.get(username=analyst), option, criterion,
                              round=1, value=value, rationale=rationale)


def rows(ws, **filters):
    return list(HistoryEntry.objects.filter(workshop=ws, **filters).order_by("id").values_list(
        "user__username", "kind", "round", "option__code", "criterion__code",
        "old_value", "new_value",
    ))


def test_each_score_change_is_recorded_with_old_and_new_value(workshop):
    save(workshop, "ana1", 4)
    save(workshop, "ana1", 7)
    save(workshop, "ana1", 7)  # the same value and reason again: nothing changed
    save(workshop, "ana1", 7, "a better reason")
    save(workshop, "ana1", None)
    save(workshop, "ana1", None)  # an empty cell cleared: nothing changed
    assert rows(workshop) == [
        ("ana1", "score", 1, "O1", "C1", None, 4.0),
        ("ana1", "score", 1, "O1", "C1", 4.0, 7.0),
        ("ana1", "score", 1, "O1", "C1", 7.0, 7.0),
        ("ana1", "score", 1, "O1", "C1", 7.0, None),
    ]


def test_a_refused_save_records_nothing(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status="closed")
    with pytest.raises(actions.ActionRefused):
        save(workshop, "ana1", 4)
    assert rows(workshop) == []


def test_a_save_returns_the_analysts_count_of_scored_cells(workshop):
    # What the save's reply shows: counted under the lock before the write, then moved by
    # what the history line says the save did.
    assert save(workshop, "ana1", 4) == 1  # a new cell
    assert save(workshop, "ana1", 5) == 1  # changed
    assert save(workshop, "ana1", 5) == 1  # unchanged: no history line
    score(workshop, "ana1", "O2", "C1", 2)
    assert save(workshop, "ana1", None) == 1  # cleared
    assert save(workshop, "ana1", None) == 1  # an empty cell cleared: nothing changed


@pytest.mark.django_db(transaction=True)
def test_a_save_is_three_statements_in_one_transaction():
    """The revision bump (which checks that the round is open, and on PostgreSQL takes the
    workshop's row lock), the history line that reads the old value, the upsert: between BEGIN
    and COMMIT, no SELECT and no savepoint. (Before the history: BEGIN, SELECT ... FOR UPDATE,
    the upsert, the bump, COMMIT; with it, 6 statements until the save was made cheaper.)"""
    ws = make_workshop(make_case(), analysts=1)
    analyst, (option, criterion) = User.objects.get(username="ana1"), cell(ws)
    save(ws, "ana1", 3)
    with CaptureQueriesContext(connection) as queries:
        actions.save_score(ws.pk, analyst, option, criterion, round=1, value=4, rationale="")
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements == ["BEGIN", "UPDATE", "INSERT", "INSERT", "COMMIT"]
    assert rows(ws)[-1] == ("ana1", "score", 1, "O1", "C1", 3.0, 4.0)
    assert Workshop.objects.get(pk=ws.pk).revision == 2


def test_each_facilitator_step_is_recorded_with_who(client, workshop):
    score(workshop, "ana1", "O1", "C1", 5)
    fac = User.objects.get(username="fac")
    client.force_login(fac)
    pk = workshop.pk
    for url_name, data in [
        ("workshop_status", {"status": "closed"}), ("workshop_status", {"status": "open"}),
        ("workshop_reveal", {"revealed": "1"}), ("workshop_reveal", {"revealed": "0"}),
        ("workshop_invite", {"action": "new"}), ("workshop_invite", {"action": "revoke"}),
        ("workshop_weights", {"weighting": "direct", "shown": "direct", "w_C1": "3", "w_C2": "1"}),
        ("workshop_status", {"status": "locked"}), ("workshop_status", {"status": "closed"}),
    ]:
        client.post(reverse(url_name, args=[pk]), data)
    client.post(reverse("workshop_round", args=[pk]))
    assert [(user, kind, rnd) for user, kind, rnd, *_ in rows(workshop)] == [
        ("fac", "close", 1), ("fac", "open", 1), ("fac", "reveal", 1), ("fac", "hide", 1),
        ("fac", "link_made", 1), ("fac", "link_revoked", 1), ("fac", "weights", 1),
        ("fac", "lock", 1), ("fac", "unlock", 1), ("fac", "round", 2),
    ]
    weights = HistoryEntry.objects.get(workshop=workshop, kind="weights")
    assert weights.note == "Direct points: C1 3, C2 1"


def test_a_refused_step_records_nothing(workshop):
    with pytest.raises(actions.ActionRefused):
        actions.set_status(workshop.pk, "locked")  # no scores yet
    assert rows(workshop) == []


def test_joining_is_recorded(workshop):
    actions.join(workshop, make_user("newcomer"))
    actions.join(workshop, User.objects.get(username="newcomer"))  # already a member
    assert rows(workshop) == [("newcomer", "join", 1, None, None, None, None)]


def test_the_timeline_page_is_the_facilitators(client, workshop):
    Membership.objects.create(workshop=workshop, user=make_user("obs"), role="observer")
    make_user("stranger")
    save(workshop, "ana1", 4)
    save(workshop, "ana1", 6)
    actions.set_revealed(workshop.pk, True, by=User.objects.get(username="fac"))
    url = reverse("workshop_history", args=[workshop.pk])
    for username, status in [("ana1", 403), ("obs", 403), ("stranger", 404)]:
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        shown = "Changed O1 × C1" in response.content.decode()
        assert (response.status_code, shown) == (status, False)
    client.force_login(User.objects.get(username="fac"))
    body = client.get(url).content.decode()
    assert body.index("Revealed the scores") < body.index("Changed O1 × C1: 4 → 6") < body.index(
        "Scored O1 × C1: 4")
    assert "<td>ana1</td>" in body
    steps_only = client.get(url, {"show": "steps"}).content.decode()
    assert "Revealed the scores" in steps_only and "O1 × C1" not in steps_only


def test_the_timeline_of_an_anonymous_workshop_labels_analysts(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(anonymous=True)
    save(workshop, "ana2", 4)
    client.force_login(User.objects.get(username="fac"))
    body = client.get(reverse("workshop_history", args=[workshop.pk])).content.decode()
    ana2 = User.objects.get(username="ana2").pk
    label = analyst_labels(Workshop.objects.get(pk=workshop.pk), np.array([ana2]))[ana2]
    assert f"<td>{label}</td>" in body and "<td>ana2</td>" not in body


def test_backups_keep_the_history(workshop):
    save(workshop, "ana1", 4)
    save(workshop, "ana1", 6)
    actions.set_revealed(workshop.pk, True, by=User.objects.get(username="fac"))
    before = export_case(workshop.case, with_workshops=True)
    [exported] = before["workshops"]
    said = [(e["user"], e["kind"], e["old_value"], e["new_value"]) for e in exported["history"]]
    assert said == [
        ("ana1", "score", None, 4.0), ("ana1", "score", 4.0, 6.0), ("fac", "reveal", None, None),
    ]
    import_case(before, replace=True)
    after = export_case(Case.objects.get(slug=workshop.case.slug), with_workshops=True)
    assert after["workshops"][0]["history"] == exported["history"]


def test_a_backups_history_must_name_real_cells(workshop):
    from policy.cases.casefile import CaseFileInvalid

    document = export_case(workshop.case, with_workshops=True)
    document["workshops"][0]["history"] = [
        {"at": "2026-01-01T10:00:00+00:00", "user": "ana1", "kind": "score", "round": 1,
         "option": "O9", "criterion": None, "old_value": None, "new_value": 3},
    ]
    with pytest.raises(CaseFileInvalid) as refused:
        import_case(document, replace=True)
    messages = [str(e) for e in refused.value.errors]
    assert messages == [
        "$.workshops[0].history[0].option: no option has the code 'O9'",
        "$.workshops[0].history[0].criterion: a score change names its cell: give its code",
    ]
