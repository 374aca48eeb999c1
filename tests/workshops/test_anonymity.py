"""Anonymous means anonymous: in an anonymous workshop no analyst or observer reads another
member's name anywhere, labels A1, A2... follow an order of their own (not the joining
order) that every reader of the workshop shares, and the facilitator still sees who is who."""
import io
import zipfile

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from policy.memo.document import memo_html
from policy.models import Membership, Workshop
from policy.workshops import actions, exports
from policy.workshops.frames import analyst_labels, label_key
from policy.workshops.history import described, timeline
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}
# Names that occur nowhere else on a page, so finding one is finding the name.
ANALYSTS = ["zoe_quill", "yuri_marsh", "xena_brook"]


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=2, criteria=2), analysts=0, anonymous=True,
                       hide_scores=True)
    for name in ANALYSTS:
        Membership.objects.create(workshop=ws, user=make_user(name), role=Membership.Role.ANALYST)
    Membership.objects.create(workshop=ws, user=make_user("olga_watch"),
                              role=Membership.Role.OBSERVER)
    for name, values in zip(ANALYSTS, [(1, 9), (5, 5), (9, 1)]):
        score(ws, name, "O1", "C1", values[0], f"because {values[0]} on O1")
        score(ws, name, "O2", "C1", values[1], f"because {values[1]} on O2")
    return ws


def reveal(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)


def as_member(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def others(username: str) -> list[str]:
    return [name for name in ANALYSTS + ["olga_watch"] if name != username]


def xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return " ".join(book.read(name).decode() for name in book.namelist())


def test_a_workshop_page_and_its_poll_name_no_one_to_an_analyst_or_observer(workshop):
    # The facilitator's panels (with names) are rendered first, into the shared cache.
    as_member("fac").get(reverse("workshop_poll", args=[workshop.pk]),
                         {"revision": "-1", "state": "open-1"}, **HTMX)
    for member in ("zoe_quill", "olga_watch"):
        client = as_member(member)
        page = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
        poll = client.get(reverse("workshop_poll", args=[workshop.pk]),
                          {"revision": "-1", "state": "open-1"}, **HTMX).content.decode()
        for body in (page, poll):
            assert not [name for name in others(member) if name in body], member
            # Totals only: no row per analyst that would move as one of them types.
            assert "0 of 3 analysts have finished; 50% of cells scored." in body
            assert 'class="progress-table"' not in body


def test_the_facilitator_still_sees_names_and_progress(workshop):
    client = as_member("fac")
    page = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    poll = client.get(reverse("workshop_poll", args=[workshop.pk]),
                      {"revision": "-1", "state": "open-1"}, **HTMX).content.decode()
    for body in (page, poll):
        assert all(f"<td>{name}</td>" in body for name in ANALYSTS)
    assert "<td>olga_watch</td><td>Observer</td>" in page  # the members table


def test_results_exports_and_memo_name_no_analyst(workshop):
    reveal(workshop)
    client = as_member("zoe_quill")
    bodies = {
        "results": client.get(reverse("workshop_results", args=[workshop.pk])).content.decode(),
        "csv": client.get(reverse("workshop_export", args=[workshop.pk, "csv"])).content.decode(
            "utf-8-sig"),
        "xlsx": xlsx_text(
            client.get(reverse("workshop_export", args=[workshop.pk, "xlsx"])).content),
        "memo": memo_html(Workshop.objects.get(pk=workshop.pk)),
    }
    for what, body in bodies.items():
        assert "because 9 on O1" in body, what  # the content is there...
        assert not [name for name in others("zoe_quill") if name in body], what  # ...not the names
    assert "Analyst A1" in bodies["memo"]


def test_history_and_presenter_are_the_facilitators_and_name_no_analyst_beside_a_score(workshop):
    analyst = as_member("zoe_quill")
    for name in ("workshop_history", "workshop_present", "workshop_present_live"):
        response = analyst.get(reverse(name, args=[workshop.pk]))
        assert response.status_code == 403
        assert not [n for n in others("zoe_quill") if n in response.content.decode()]
    fac = as_member("fac")
    screen = fac.get(reverse("workshop_present", args=[workshop.pk])).content.decode()
    assert not [name for name in ANALYSTS if name in screen]  # on a wall for everyone
    option, criterion = workshop.case.options.get(code="O1"), workshop.case.criteria.get(code="C2")
    for name in ANALYSTS:
        actions.save_score(workshop.pk, User.objects.get(username=name), option, criterion,
                           round=1, value=4, rationale="")
    rows = described(workshop, timeline(workshop))
    assert sorted(row["who"] for row in rows) == ["A1", "A2", "A3"]


def first_joiners_labels(count: int) -> list[str]:
    labels = []
    for i in range(count):
        ws = make_workshop(make_case(slug=f"c{i}", options=1, criteria=1), analysts=3,
                           anonymous=True)
        first = User.objects.get(username="ana1").pk
        labels.append(analyst_labels(ws, np.array([], dtype=int))[first])
    return labels


def test_labels_are_not_in_joining_order(settings):
    settings.SECRET_KEY = "a fixed key for this test"
    labels = first_joiners_labels(8)
    # The first to join is A1 in every workshop by joining order; here in a few at most.
    assert labels.count("A1") < len(labels)
    assert set(labels) > {"A1"}
    # Fixed for each workshop: asked again, the same.
    assert first_joiners_labels_again(labels) == labels


def first_joiners_labels_again(labels) -> list[str]:
    first = User.objects.get(username="ana1").pk
    return [analyst_labels(ws, np.array([], dtype=int))[first]
            for ws in Workshop.objects.order_by("created_at", "id")][-len(labels):]


def test_the_order_depends_on_the_secret_key_not_on_anything_a_member_knows():
    # The HMAC of (workshop id, user id) under the key: another key, another order.
    assert label_key(7, 1) != label_key(8, 1)
    order = sorted(range(1, 7), key=lambda user: label_key(7, user))
    assert order != list(range(1, 7))


def test_every_reader_uses_the_same_label_for_an_analyst(workshop):
    reveal(workshop)
    zoe = User.objects.get(username="zoe_quill")
    label = analyst_labels(workshop, np.array([zoe.pk]))[zoe.pk]
    csv_rows = [row for row in exports.score_rows(workshop) if row.rationale == "because 1 on O1"]
    assert [row.analyst for row in csv_rows] == [label]
    body = as_member("fac").get(reverse("workshop_results", args=[workshop.pk])).content.decode()
    assert f'<span class="muted">{label}</span>: because 1 on O1' in body
    memo = memo_html(Workshop.objects.get(pk=workshop.pk))
    assert f"Analyst {label}" in memo


def test_the_create_form_says_who_sees_names(workshop):
    page = as_member("fac").get(reverse("workshop_create", args=[workshop.case.slug]))
    assert ("Analysts and observers see no names: results, exports and the memo label analysts "
            "A1, A2... in a random order. You, the facilitator, still see who has joined and how "
            "far each has got.") in page.content.decode()
