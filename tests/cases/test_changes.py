"""Every way a case's part can change reaches policy/cases/changes.py: the case's stamp moves
(so the memo is rendered again with the new words), and a scored part (an option, a
criterion) bumps its workshops' revision. Each path: the browser editor, the admin, a case
file imported over the case, and the ORM (save, delete, a risk's links)."""
import io
import re
from datetime import date

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policy.cases.casefile import export_case, import_case
from policy.memo.document import memo_pdf
from policy.models import Actor, Case, Criterion, Event, Option, Principle, Risk, Source, Workshop
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def workshop():
    case = make_case()
    case.owners.add(make_user("owner"))
    Source.objects.create(case=case, code="S1", citation="Old citation of the source")
    Actor.objects.create(case=case, code="A1", name="Old actor name", kind="state",
                         influence=3, stance=0)
    Risk.objects.create(case=case, code="R1", title="Old risk title", likelihood=3, impact=4)
    Event.objects.create(case=case, code="E1", date=date(2012, 1, 1), title="Old event")
    ws = make_workshop(case, analysts=2, revealed=True, hide_scores=False)
    score(ws, "ana1", "O1", "C1", 7, "Because.")
    score(ws, "ana2", "O1", "C1", 3, "Not so.")
    return ws


def text(pdf: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def first_memo(workshop) -> str:
    memo = memo_pdf(workshop)
    assert not memo.cached
    assert memo_pdf(workshop).cached  # nothing changed yet: the second is the cache's
    return text(memo.content)


def next_memo(workshop):
    """The memo a download gets now, and its text."""
    memo = memo_pdf(workshop)
    return memo, text(memo.content)


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


# -- The browser editor ----------------------------------------------------------------------

def test_editor_edit_renders_the_memo_again_with_the_new_words(client, workshop):
    before = first_memo(workshop)
    assert "Hold to this." in before
    case, principle = workshop.case, workshop.case.principles.get(code="P1")
    client.force_login(User.objects.get(username="owner"))
    prefix = f"principles-{principle.pk}"
    response = client.post(reverse("part_edit", args=[case.slug, "principles", principle.pk]), {
        f"{prefix}-code": "P1", f"{prefix}-title": "Principle one",
        f"{prefix}-statement": "Keep every promise made in Almaty.",
    })
    assert response.status_code == 302
    memo, after = next_memo(workshop)
    assert not memo.cached
    assert "Keep every promise made in Almaty." in after and "Hold to this." not in after
    assert revision(workshop) == 0  # a principle is not scored


def test_editor_option_edit_bumps_the_revision_once(client, workshop):
    first_memo(workshop)
    case, option = workshop.case, workshop.case.options.get(code="O1")
    client.force_login(User.objects.get(username="owner"))
    prefix = f"options-{option.pk}"
    client.post(reverse("part_edit", args=[case.slug, "options", option.pk]), {
        f"{prefix}-code": "O1", f"{prefix}-title": "Open a consulate in Astana",
    })
    assert revision(workshop) == 1
    memo, after = next_memo(workshop)
    assert not memo.cached and "Open a consulate in Astana" in after


def test_editor_delete_and_move_reach_the_workshops(client, workshop):
    case = workshop.case
    client.force_login(User.objects.get(username="owner"))
    o3 = case.options.get(code="O3")
    client.post(reverse("part_move", args=[case.slug, "options", o3.pk]), {"direction": "up"})
    assert revision(workshop) == 1
    client.post(reverse("part_delete", args=[case.slug, "options", o3.pk]))
    assert not case.options.filter(code="O3").exists()
    assert revision(workshop) == 2


def test_editor_proposed_criteria_reach_the_workshops(client, workshop):
    case = workshop.case
    case.criteria.filter(code="C1").update(principle=None)  # P1 may propose its criterion
    stamp = Case.objects.get(pk=case.pk).updated_at
    client.force_login(User.objects.get(username="owner"))
    client.post(reverse("criteria_generate", args=[case.slug]), {
        "min_severity": "1", "min_influence": "1", "red_line_threshold": "3",
        "keep": ["principle:P1"], "confirmed": "1",
    })
    assert case.criteria.count() == 3
    assert revision(workshop) == 1
    assert Case.objects.get(pk=case.pk).updated_at > stamp


# -- The admin -------------------------------------------------------------------------------

def test_admin_change_renders_the_memo_again_with_the_new_words(admin_client, workshop):
    first_memo(workshop)
    actor = workshop.case.actors.get(code="A1")
    response = admin_client.post(reverse("admin:policy_actor_change", args=[actor.pk]), {
        "case": workshop.case.pk, "code": "A1", "position": 0, "quote": "", "source": "",
        "name": "Shanghai Cooperation Organisation", "kind": "regional_org", "influence": 4,
        "stance": 1, "interests": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    memo, after = next_memo(workshop)
    assert not memo.cached
    assert "Shanghai Cooperation Organisation" in after and "Old actor name" not in after


def test_admin_risk_links_render_the_memo_again(admin_client, workshop):
    first_memo(workshop)
    risk, actor = workshop.case.risks.get(code="R1"), workshop.case.actors.get(code="A1")
    response = admin_client.post(reverse("admin:policy_risk_change", args=[risk.pk]), {
        "case": workshop.case.pk, "code": "R1", "position": 0, "quote": "", "source": "",
        "title": "Old risk title", "description": "", "likelihood": 3, "impact": 4,
        "actors": [actor.pk], "events": [], "evidence": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    memo, after = next_memo(workshop)
    assert not memo.cached
    assert "R1 Old risk title 3 4 12 A1" in after


# -- A case file imported over the case ------------------------------------------------------

def test_import_replace_renders_the_memo_again_with_the_new_words(workshop):
    first_memo(workshop)
    document = export_case(workshop.case, with_workshops=True)
    document["principles"][0]["statement"] = "Speak out when elections are not fair."
    import_case(document, replace=True)
    replaced = Workshop.objects.get(case__slug=workshop.case.slug)
    memo, after = next_memo(replaced)
    assert not memo.cached
    assert "Speak out when elections are not fair." in after and "Hold to this." not in after


# -- Plain ORM -------------------------------------------------------------------------------

@pytest.mark.parametrize("model, code, field, old, new, scored", [
    (Principle, "P1", "statement", "Hold to this.", "No U.S. force in Central Asia.", False),
    (Actor, "A1", "name", "Old actor name", "Collective Security Treaty Org", False),
    (Risk, "R1", "title", "Old risk title", "Unrest after the succession", False),
    (Source, "S1", "citation", "Old citation of the source", "The Diplomat, 2012", False),
    (Option, "O2", "title", "Option 2", "Withdraw the advisers", True),
    (Criterion, "C2", "title", "Criterion 2", "Cost to the Treasury", True),
])
def test_orm_save_renders_the_memo_again_with_the_new_words(
    workshop, model, code, field, old, new, scored
):
    assert old in first_memo(workshop)
    part = model.objects.get(case=workshop.case, code=code)
    setattr(part, field, new)
    part.save()
    assert revision(workshop) == (1 if scored else 0)
    memo, after = next_memo(workshop)
    assert not memo.cached
    assert new in after and old not in after


def test_orm_delete_renders_the_memo_again_without_the_part(workshop):
    assert "Old citation of the source" in first_memo(workshop)
    Source.objects.get(case=workshop.case, code="S1").delete()
    memo, after = next_memo(workshop)
    assert not memo.cached and "Old citation of the source" not in after
    workshop.case.options.get(code="O3").delete()
    assert revision(workshop) == 1


def test_orm_link_from_either_side_stamps_the_case(workshop):
    case = workshop.case
    risk, event = case.risks.get(code="R1"), case.events.get(code="E1")
    stamps = [Case.objects.get(pk=case.pk).updated_at]
    risk.events.add(event)
    stamps.append(Case.objects.get(pk=case.pk).updated_at)
    event.risks.clear()
    stamps.append(Case.objects.get(pk=case.pk).updated_at)
    assert stamps == sorted(set(stamps))  # three different times, each later
    assert revision(workshop) == 0


def test_deleting_a_case_takes_its_parts_without_stamping_it():
    case = make_case(slug="gone", options=2, criteria=2)
    with CaptureQueriesContext(connection) as queries:
        case.delete()
    assert not Option.objects.filter(case_id=case.pk).exists()
    # (A workshop paced on one of the criteria would lose it: that UPDATE sets no stamp.)
    stamps = [q["sql"] for q in queries
              if re.match(r'UPDATE "policy_(case|workshop)" SET .*"(updated_at|revision)"', q["sql"])]
    assert stamps == []
