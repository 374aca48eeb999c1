"""policy/cases.py without the views: proposals, consequences of deletes, moves, rights;
and the views that generate criteria and upload and download case files."""
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from policy import cases
from policy.cases.casefile import export_case, import_case, load_file
from policy.models import Actor, Case, Criterion, Principle, Risk, Workshop
from policy.permissions import can_edit_case, is_case_owner
from tests.factories import make_case, make_user, make_workshop

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case():
    """P1 (red line) and P2; actors of influence 5, 4 and 2; risks of severity 20, 12 and 4.
    C1 already derives from P1 (made by the factory)."""
    case = make_case(options=2, criteria=1)
    Principle.objects.filter(case=case, code="P1").update(red_line=True)
    Principle.objects.create(case=case, code="P2", title="No troops", statement="None.", position=1)
    for code, name, influence in (("A1", "Russia", 5), ("A2", "China", 4), ("A3", "OSCE", 2)):
        Actor.objects.create(case=case, code=code, name=name, kind="state",
                             influence=influence, stance=0)
    for code, likelihood, impact in (("R1", 4, 5), ("R2", 3, 4), ("R3", 2, 2)):
        Risk.objects.create(case=case, code=code, title=f"Risk {code}", likelihood=likelihood,
                            impact=impact)
    case.owners.add(make_user("owner"))
    make_user("outsider")
    return case


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


# --- proposals ------------------------------------------------------------------------------

def test_proposals_follow_the_thresholds_and_skip_existing_origins(case):
    proposals = cases.propose_criteria(case, min_severity=12, min_influence=4,
                                           red_line_threshold=3)
    assert [p.key for p in proposals] == [
        "principle:P2", "risk:R1", "risk:R2", "actor:A1", "actor:A2",
    ]  # P1 has C1 already; R3 (4) and A3 (2) fall below the thresholds
    by_key = {p.key: p for p in proposals}
    assert by_key["principle:P2"].kind == Criterion.Kind.ALIGNMENT
    assert by_key["principle:P2"].red_line_threshold is None
    assert by_key["risk:R1"].kind == Criterion.Kind.MITIGATION
    assert by_key["actor:A1"].title == "Acceptable to Russia"
    assert cases.propose_criteria(case, min_severity=25, min_influence=5,
                                      red_line_threshold=3)[-1].key == "actor:A1"


def test_a_red_line_principle_proposes_a_red_line_criterion(case):
    Criterion.objects.filter(case=case).delete()
    proposal = cases.propose_criteria(case, min_severity=25, min_influence=5,
                                          red_line_threshold=4)[0]
    assert proposal.key == "principle:P1"
    assert proposal.red_line_threshold == 4
    created = cases.add_proposed(case, [proposal])[0]
    assert created.principle.code == "P1" and created.red_line_threshold == 4
    # Once made, it is not proposed again.
    keys = [p.key for p in cases.propose_criteria(case, min_severity=25, min_influence=5)]
    assert "principle:P1" not in keys


def test_new_codes_step_over_codes_in_use(case):
    Criterion.objects.create(case=case, code="C3", title="x", kind="other")
    Criterion.objects.create(case=case, code="C5x", title="y", kind="other")
    proposals = cases.propose_criteria(case, min_severity=1, min_influence=1)
    codes = [c.code for c in cases.add_proposed(case, proposals)]
    assert codes == [f"C{n}" for n in range(4, 4 + len(proposals))]


def test_generate_page_lists_proposals_and_keeps_only_ticked_ones(client, case):
    login(client, "owner")
    url = reverse("criteria_generate", args=[case.slug])
    body = client.get(url, {"min_severity": "12", "min_influence": "4",
                            "red_line_threshold": "3"}).content.decode()
    assert "5 proposed criteria" in body
    assert 'value="risk:R1" checked' in body
    partial = client.get(url, {"min_severity": "20", "min_influence": "5",
                               "red_line_threshold": "3"}, **HTMX).content.decode()
    assert partial.lstrip().startswith('<section id="proposals"')
    assert "3 proposed criteria" in partial  # P2, R1, A1
    response = client.post(url, {
        "min_severity": "12", "min_influence": "4", "red_line_threshold": "3",
        "keep": ["principle:P2", "actor:A2"],
    })
    assert response.status_code == 302
    assert response["Location"].endswith("#criteria-h")
    made = list(case.criteria.order_by("position").values_list("code", "kind", "principle__code",
                                                               "actor__code"))
    assert made == [("C1", "alignment", "P1", None), ("C2", "alignment", "P2", None),
                    ("C3", "acceptability", None, "A2")]
    # Keys a crafted request invents create nothing.
    client.post(url, {"min_severity": "12", "min_influence": "4", "red_line_threshold": "3",
                      "keep": ["risk:R99", "principle:P1"]})
    assert case.criteria.count() == 3


def test_generate_with_a_workshop_in_play_warns_and_needs_confirmation(client, case):
    make_workshop(case, analysts=1, title="Planning staff")
    login(client, "owner")
    url = reverse("criteria_generate", args=[case.slug])
    body = client.get(url).content.decode()
    # The owner is no member of it: told of it, not its name (issue 12 item 9).
    assert "1 workshop uses this case." in body and "Planning staff" not in body
    data = {"min_severity": "12", "min_influence": "4", "red_line_threshold": "3",
            "keep": ["principle:P2"]}
    client.post(url, data)
    assert case.criteria.count() == 1
    client.post(url, {**data, "confirmed": "1"})
    assert case.criteria.count() == 2


def test_generate_thresholds_are_checked(client, case):
    login(client, "owner")
    body = client.get(reverse("criteria_generate", args=[case.slug]),
                      {"min_severity": "30", "min_influence": "0",
                       "red_line_threshold": "3"}).content.decode()
    assert "Ensure this value is less than or equal to 25." in body
    assert "Correct the thresholds above" in body


# --- consequences, moves, rights ---------------------------------------------------------------

def test_consequences_of_deleting_an_actor_name_risks_and_criteria(case):
    a1 = case.actors.get(code="A1")
    case.risks.get(code="R1").actors.add(a1)
    case.risks.get(code="R2").actors.add(a1)
    Criterion.objects.create(case=case, code="C2", title="x", kind="acceptability", actor=a1)
    consequences = cases.delete_consequences(a1, cases.PART_KINDS["actors"], None)
    assert consequences.lines == [
        "Criterion C2 will no longer derive from it (they and their scores stay).",
        "Risks R1 and R2 will no longer name this actor.",
    ]
    assert not consequences.blocked


def test_nothing_depends_says_so(case):
    a3 = case.actors.get(code="A3")
    lines = cases.delete_consequences(a3, cases.PART_KINDS["actors"], None).lines
    assert lines == ["Nothing else in the case depends on actor A3."]


def test_move_renumbers_equal_positions(case):
    kind = cases.PART_KINDS["actors"]
    assert list(case.actors.values_list("position", flat=True)) == [0, 0, 0]
    assert cases.move_part(case.actors.get(code="A3"), "up")
    assert list(case.actors.values_list("code", "position")) == [
        ("A1", 0), ("A3", 1), ("A2", 2)]
    assert not cases.move_part(case.actors.get(code="A1"), "up")
    assert not cases.move_part(case.actors.get(code="A1"), "sideways")
    assert cases.next_position(case, kind) == 3


def test_rights(case):
    owner, outsider = User.objects.get(username="owner"), User.objects.get(username="outsider")
    editor = make_user("editor")
    case.editors.add(editor)
    assert can_edit_case(owner, case) and can_edit_case(editor, case)
    assert not can_edit_case(outsider, case)
    assert is_case_owner(owner, case) and not is_case_owner(editor, case)
    assert cases.remove_person(case, owner) == (
        "A case needs at least one owner: add another owner first.")
    assert cases.remove_person(case, editor) is None
    assert not case.editors.exists()


def test_active_workshops_leave_out_locked_ones(case):
    make_workshop(case, analysts=0, title="B open")
    make_workshop(case, analysts=0, facilitator="f2", title="A draft", status="draft")
    make_workshop(case, analysts=0, facilitator="f3", title="C locked", status="locked")
    members = User.objects.get(username="fac")  # of “B open” only
    assert cases.criteria_warning(case, None) == (
        "2 workshops use this case. Changing its criteria changes what their analysts score "
        "and how the results are weighted. 1 locked workshop keeps the result it was locked with."
    )
    assert cases.criteria_warning(case, members).startswith(
        "2 workshops use this case, among them “B open” (scoring open). Changing"
    )
    assert cases.active_workshops(case) == list(case.workshops.exclude(title="C locked")
                                                .order_by("title"))


def test_next_code(case):
    assert cases.next_code(case, cases.PART_KINDS["risks"]) == "R4"
    assert cases.next_code(case, cases.PART_KINDS["sources"]) == "S1"


def test_created_case_slug_made_from_the_title(client, case):
    login(client, "outsider")
    client.post(reverse("case_create"), {"title": "Case tiny!", "slug": "", "question": "Q",
                                         "decider": "D"})
    client.post(reverse("case_create"), {"title": "Case tiny!", "slug": "", "question": "Q",
                                         "decider": "D"})
    assert set(Case.objects.values_list("slug", flat=True)) == {"tiny", "case-tiny",
                                                                 "case-tiny-2"}


# --- upload and download ---------------------------------------------------------------------

def upload(client, content: bytes, name="case.json", **extra):
    return client.post(reverse("case_upload"), {
        "file": SimpleUploadedFile(name, content, content_type="application/json"), **extra,
    })


def test_anonymous_cannot_upload(client):
    response = upload(client, b"{}")
    assert response.status_code == 302 and Case.objects.count() == 0


def test_upload_imports_and_makes_the_uploader_owner(client):
    make_user("someone")
    login(client, "someone")
    with open("fixtures/tiny-case.json", "rb") as f:
        response = upload(client, f.read())
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=["tiny-case"])
    imported = Case.objects.get(slug="tiny-case")
    assert list(imported.owners.values_list("username", flat=True)) == ["someone"]
    assert (imported.options.count(), imported.criteria.count()) == (3, 4)


def test_upload_errors_are_import_cases_errors_with_paths_and_nothing_is_written(client):
    make_user("someone")
    login(client, "someone")
    with open("tests/cases/casefiles/three-errors.json", "rb") as f:
        content = f.read()
    response = upload(client, content)
    body = response.content.decode()
    assert response.status_code == 400
    try:
        import_case(json.loads(content))
    except Exception as invalid:  # the same errors, in the same order, as the command gives
        expected = invalid.errors
    assert len(expected) == 3
    for error in expected:
        assert f"<code>{error.path}</code>: {error.message}".replace("'", "&#x27;") in body
    assert "3 errors: nothing was imported" in body
    assert Case.objects.count() == 0


def test_upload_of_not_json_names_the_file_not_a_temporary_path(client):
    make_user("someone")
    login(client, "someone")
    body = upload(client, b"{not json", name="mine.json").content.decode()
    assert "<code>$</code>: not valid JSON: Expecting property name" in body
    body = upload(client, b"\xff\xfe bad", name="mine.json").content.decode()
    assert "mine.json is not UTF-8 text" in body
    assert "/tmp" not in body
    assert Case.objects.count() == 0


def test_upload_refuses_backups_with_workshops(client):
    make_user("someone")
    login(client, "someone")
    document = load_file("fixtures/tiny-case.json")
    document["workshops"] = [{"title": "W", "members": [{"username": "victim",
                                                         "role": "facilitator"}]}]
    body = upload(client, json.dumps(document).encode()).content.decode()
    assert "<code>$.workshops</code>: a file with workshops is a backup" in body
    assert Case.objects.count() == 0 and not User.objects.filter(username="victim").exists()


def test_replace_only_a_case_you_own(client, case):
    document = export_case(case)
    document["title"] = "Replaced"
    content = json.dumps(document).encode()
    login(client, "outsider")
    body = upload(client, content, replace="on").content.decode()
    assert "you do not own it" in body
    body = upload(client, content).content.decode()
    assert "$.slug" in body  # taken, as import_case says
    assert Case.objects.get(slug="tiny").title == "Case tiny"
    login(client, "owner")
    response = upload(client, content, replace="on")
    assert response.status_code == 302
    replaced = Case.objects.get(slug="tiny")
    assert replaced.title == "Replaced"
    assert list(replaced.owners.values_list("username", flat=True)) == ["owner"]


def test_download_is_the_exported_case_file(client, case):
    response = client.get(reverse("case_download", args=[case.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tiny.json"'
    assert json.loads(response.content) == export_case(case)
    assert client.get(reverse("case_download", args=["nope"])).status_code == 404


def test_download_then_upload_gives_the_same_case(client, case):
    content = client.get(reverse("case_download", args=[case.slug])).content
    Workshop.objects.all().delete()
    before = export_case(case)
    case.delete()
    login(client, "outsider")
    assert upload(client, content).status_code == 302
    assert export_case(Case.objects.get(slug="tiny")) == before
