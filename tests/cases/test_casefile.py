"""The case file: every shipped fixture imports, export -> import -> export is lossless, and a
malformed file is refused with the exact JSON path of each fault and nothing written."""
import json
from datetime import date, datetime, timedelta, timezone
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from jsonschema import Draft202012Validator

from policy.cases.casefile import CaseFileInvalid, export_case, import_case, load_file, validate
from policy.cases.casefile.validation import schema
from policy.memo.content import memo_context
from policy.models import Case, Membership, MemoSettings, MemoText, Score, Weight, Workshop
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db

# Globbed at collection, so a fixture added later is covered without touching this file.
FIXTURES = sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
TINY = Path(settings.BASE_DIR) / "fixtures" / "tiny-case.json"
CASEFILES = Path(__file__).parent / "casefiles"
PARTS = ("principles", "actors", "events", "risks", "options", "criteria")


def tiny() -> dict:
    return load_file(TINY)


def row_counts() -> dict:
    """Rows in every table, including many-to-many link tables and users."""
    return {m._meta.label: m.objects.count() for m in apps.get_models(include_auto_created=True)}


def refused_paths(document, replace=False) -> list[str]:
    """Import the document, expect refusal, and return the paths of its errors."""
    with pytest.raises(CaseFileInvalid) as refusal:
        import_case(document, replace=replace)
    return [error.path for error in refusal.value.errors]


def reimport(exported: dict) -> dict:
    """Delete the case (and its workshops), import the export, export again."""
    case = Case.objects.get(slug=exported["slug"])
    case.workshops.all().delete()
    case.delete()
    with_workshops = "workshops" in exported
    return export_case(import_case(exported), with_workshops=with_workshops)


# -- Every fixture ------------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_is_valid_and_imports_whole(path):
    document = load_file(path)
    assert validate(document) == []
    case = import_case(document)
    assert case.sources.count() == len(document.get("sources", []))
    for key in PARTS:
        assert getattr(case, key).count() == len(document[key]), key
    assert_export_keeps(document, export_case(case))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_export_import_export_is_equal(path):
    exported = export_case(import_case(load_file(path)))
    assert reimport(exported) == exported


def assert_export_keeps(document: dict, exported: dict) -> None:
    """Every value the file gives comes back in the export, in the file's order."""
    for key, value in document.items():
        if key not in PARTS + ("sources",):
            assert key == "workshops" or exported[key] == value, key
            continue
        got = {item["code"]: item for item in exported[key]}
        codes = [item["code"] for item in value]
        assert list(got) == codes  # every list keeps the file's order

        for item in value:
            for field, expected in item.items():
                actual = got[item["code"]][field]
                if key == "risks" and field in ("actors", "events"):
                    actual, expected = sorted(actual), sorted(expected)
                if field == "scale":
                    expected = {"anchors": {}, **expected}
                assert actual == expected, (key, item["code"], field)


def test_export_is_the_full_form_with_ints_and_floats_kept():
    exported = export_case(import_case(tiny()))
    option = exported["options"][1]  # the file gives it no quote and no source
    assert option["quote"] == "" and option["source"] is None
    cost = exported["criteria"][2]
    assert cost["scale"] == {"min": 1, "max": 5,
                             "anchors": {"1": "Negligible", "3": "Moderate", "5": "Severe"}}
    assert type(cost["scale"]["min"]) is int and type(cost["default_weight"]) is float
    assert type(exported["criteria"][0]["red_line_threshold"]) is float
    assert exported["criteria"][1]["scale"] == {"min": 0, "max": 10, "anchors": {}}
    assert exported["criteria"][3]["derived_from"] == {"actor": "A1"}
    assert type(exported["actors"][0]["influence"]) is int
    assert "workshops" not in exported


# -- Workshops in a backup ------------------------------------------------------------------


def workshop_with_everything() -> Workshop:
    """A workshop in round 2 with a facilitator, analysts, an observer, weights and scores."""
    case = make_case(slug="backup")
    workshop = make_workshop(
        case, analysts=2, title="Staff meeting", round=2, revision=7, hide_scores=False,
        revealed=True, anonymous=True, aggregation="mean", method="topsis", weighting="ahp",
        ahp_judgements={"C1|C2": 3}, handling="SECRET//TEST",
    )
    Membership.objects.create(workshop=workshop, user=make_user("obs"), role="observer")
    Weight.objects.create(workshop=workshop, criterion=case.criteria.get(code="C1"), value=3)
    Weight.objects.create(workshop=workshop, criterion=case.criteria.get(code="C2"), value=1.5)
    score(workshop, "ana1", "O1", "C1", 7, "Holds the line.")
    score(workshop, "ana1", "O2", "C2", 2.5, "Costly, “as ever”.")
    score(workshop, "ana2", "O1", "C1", 4)
    score(workshop, "ana2", "O1", "C1", 6, "Changed my mind.", round=2)
    Score.objects.create(  # ana1's round-1 score, carried forward and not saved since
        workshop=workshop, round=2, analyst=get_user_model().objects.get(username="ana1"),
        option=case.options.get(code="O1"), criterion=case.criteria.get(code="C1"),
        value=7, rationale="Holds the line.", carried_from=1,
    )
    score(workshop, "fac", "O3", "C2", 10)
    MemoSettings.objects.create(
        workshop=workshop, addressee="THE SECRETARY", from_line="S/P", subject="Which way",
        decision_deadline=date(2012, 3, 15),
        drafted_by=[{"name": "Jane Doe", "office": "S/P", "date": "2012-03-01"}],
        cleared_by=[{"name": "Pat Jones", "office": "", "date": ""}],
    )
    MemoText.objects.create(workshop=workshop, round=1, bottom_line="Round one: O1.",
                            drafted={"bottom_line": "The team recommends O1."})
    MemoText.objects.create(workshop=workshop, round=2, discussion="We met.\n\nWe agree.",
                            recommended=case.options.get(code="O2"),
                            drafted={"discussion": "O1 leads."})
    start = datetime(2012, 3, 1, 10, 0, tzinfo=timezone.utc)
    for i, pk in enumerate(workshop.scores.order_by("pk").values_list("pk", flat=True)):
        Score.objects.filter(pk=pk).update(
            created_at=start + timedelta(minutes=i),
            updated_at=start + timedelta(minutes=i, seconds=30, microseconds=1234),
        )
    return workshop


def test_backup_with_workshops_round_trips():
    case = workshop_with_everything().case
    exported = export_case(case, with_workshops=True)
    # An account missing on the target is created, with no usable password.
    get_user_model().objects.filter(username="ana2").delete()
    assert reimport(exported) == exported
    assert not get_user_model().objects.get(username="ana2").has_usable_password()
    assert get_user_model().objects.get(username="ana1").check_password("pass-word-123")


def test_backup_holds_what_the_workshop_holds():
    exported = export_case(workshop_with_everything().case, with_workshops=True)
    (workshop,) = exported["workshops"]
    assert workshop["members"] == [
        {"username": "fac", "role": "facilitator"}, {"username": "ana1", "role": "analyst"},
        {"username": "ana2", "role": "analyst"}, {"username": "obs", "role": "observer"},
    ]
    assert workshop["weights"] == {"C1": 3.0, "C2": 1.5}
    assert (workshop["round"], workshop["revision"], workshop["handling"]) == (2, 7, "SECRET//TEST")
    first = workshop["scores"][0]
    assert first == {
        "round": 1, "analyst": "ana1", "option": "O1", "criterion": "C1", "value": 7.0,
        "rationale": "Holds the line.", "created_at": "2012-03-01T10:00:00+00:00",
        "updated_at": "2012-03-01T10:00:30.001234+00:00",
    }
    assert [s["round"] for s in workshop["scores"]] == [1, 1, 1, 1, 2, 2]
    assert workshop["memo_settings"] == {
        "addressee": "THE SECRETARY", "from_line": "S/P", "subject": "Which way",
        "decision_deadline": "2012-03-15",
        "drafted_by": [{"name": "Jane Doe", "office": "S/P", "date": "2012-03-01"}],
        "cleared_by": [{"name": "Pat Jones", "office": "", "date": ""}],
    }
    assert workshop["memo_texts"] == [
        {"round": 1, "bottom_line": "Round one: O1.", "reasoning": "", "discussion": "",
         "recommended": None, "drafted": {"bottom_line": "The team recommends O1."}},
        {"round": 2, "bottom_line": "", "reasoning": "", "discussion": "We met.\n\nWe agree.",
         "recommended": "O2", "drafted": {"discussion": "O1 leads."}},
    ]


def test_a_restored_workshop_prints_its_memo_words_and_settings():
    exported = export_case(workshop_with_everything().case, with_workshops=True)
    reimport(exported)
    workshop = Workshop.objects.get(case__slug="backup")
    texts = memo_context(workshop)
    assert texts["memo_for"] == "THE SECRETARY" and texts["cleared_lines"] == ["Pat Jones"]
    assert texts["recommendations"][0]["option"] == "O2"
    assert texts["parts"]["discussion"]["paragraphs"] == ["We met.", "We agree."]
    assert texts["parts"]["discussion"]["stale"]  # written against "O1 leads."
    assert not texts["parts"]["bottom_line"]["written"]  # round 1's words stay in round 1


def test_a_backup_without_memo_keys_imports_with_drafted_memos():
    document = tiny()
    document["workshops"] = [workshop_section()]
    case = import_case(document)
    assert not MemoSettings.objects.filter(workshop__case=case).exists()
    assert not MemoText.objects.filter(workshop__case=case).exists()
    assert export_case(case, with_workshops=True)["workshops"][0]["memo_settings"] is None


def test_import_writes_a_bounded_number_of_queries(django_assert_max_num_queries):
    document = export_case(workshop_with_everything().case, with_workshops=True)
    document["slug"] = "copy"
    # One insert per table, not per row: the count does not grow with the case.
    with django_assert_max_num_queries(20):
        import_case(document)


# -- Replacing a case -------------------------------------------------------------------------


def test_replace_overwrites_the_case_and_keeps_its_owners():
    owner = make_user("owner")
    import_case(tiny()).owners.add(owner)
    changed = tiny()
    changed["title"] = "Tiny case, revised"
    del changed["options"][2]
    case = import_case(changed, replace=True)
    assert Case.objects.get(slug="tiny-case").title == "Tiny case, revised"
    assert list(case.options.values_list("code", flat=True)) == ["O1", "O2"]
    assert list(case.owners.all()) == [owner]  # not in the file, so carried over


def test_replace_refuses_to_drop_workshops_the_file_does_not_carry():
    case = workshop_with_everything().case
    plain = export_case(case)
    before = row_counts()
    assert refused_paths(plain, replace=True) == ["$.slug"]
    assert row_counts() == before
    backup = export_case(case, with_workshops=True)
    import_case(backup, replace=True)
    assert Workshop.objects.filter(case__slug="backup").count() == 1


# -- Malformed files: each refused at its exact path, nothing written --------------------------


DELETE = object()


def setter(path: str, value=DELETE):
    """A change to a document: set (or delete) the value at a dotted path like 'criteria.2.min'."""
    *parents, last = path.split(".")

    def mutate(document):
        target = document
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        key = int(last) if isinstance(target, list) else last
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return mutate


MALFORMED = {
    "wrong type": (setter("actors.0.influence", "high"), "$.actors[0].influence"),
    "wrong type of list": (setter("options", {"O1": "Sign"}), "$.options"),
    "unknown actor in a risk": (setter("risks.0.actors", ["A1", "A9"]), "$.risks[0].actors[1]"),
    "unknown event in a risk": (setter("risks.1.events", ["E7"]), "$.risks[1].events[0]"),
    "unknown source": (setter("options.2.source", "S9"), "$.options[2].source"),
    "unknown origin": (setter("criteria.1.derived_from", {"risk": "R9"}),
                       "$.criteria[1].derived_from.risk"),
    "likelihood out of range": (setter("risks.1.likelihood", 6), "$.risks[1].likelihood"),
    "stance out of range": (setter("actors.2.stance", -3), "$.actors[2].stance"),
    "negative default weight": (setter("criteria.0.default_weight", -1),
                                "$.criteria[0].default_weight"),
    "duplicate code": (setter("options.1.code", "O1"), "$.options[1].code"),
    "missing field": (setter("principles.0.statement"), "$.principles[0].statement"),
    "missing top-level field": (setter("decider"), "$.decider"),
    "no options": (setter("options", []), "$.options"),
    "impossible date": (setter("events.1.date", "2020-02-30"), "$.events[1].date"),
    "date in words": (setter("events.0.date", "1 July 2019"), "$.events[0].date"),
    "anchor off the scale": (setter("criteria.2.scale.anchors.6", "Ruinous"),
                             '$.criteria[2].scale.anchors["6"]'),
    "anchor not a level": (setter("criteria.2.scale.anchors.high", "Ruinous"),
                           "$.criteria[2].scale.anchors.high"),
    "scale min not below max": (setter("criteria.2.scale.min", 5), "$.criteria[2].scale.max"),
    "threshold off the scale": (setter("criteria.0.red_line_threshold", 11),
                                "$.criteria[0].red_line_threshold"),
    "two keys in derived_from": (
        setter("criteria.0.derived_from", {"principle": "P1", "actor": "A1"}),
        "$.criteria[0].derived_from",
    ),
    "unknown top-level key": (setter("workshop", []), "$.workshop"),
    "unknown key in a part": (setter("options.0.titel", "Sign"), "$.options[0].titel"),
    "bad slug": (setter("slug", "Tiny Case"), "$.slug"),
    "other format version": (setter("version", 2), "$.version"),
    "bad web address": (setter("sources.0.url", "not a url"), "$.sources[0].url"),
}


@pytest.mark.parametrize("mutate, path", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_case_is_refused_at_its_path(mutate, path):
    document = tiny()
    mutate(document)
    before = row_counts()
    assert path in refused_paths(document)
    assert row_counts() == before


def workshop_section(**score_fields) -> dict:
    """A one-workshop section for the tiny case with one score (fields overridable)."""
    return {
        "title": "Rehearsal", "round": 1,
        "members": [
            {"username": "ana", "role": "analyst"}, {"username": "obs", "role": "observer"},
        ],
        "weights": {"C1": 2},
        "scores": [{"analyst": "ana", "option": "O1", "criterion": "C3", "value": 4,
                    **score_fields}],
    }


WORKSHOP_MALFORMED = {
    "analyst not a member": ({"analyst": "zoe"}, "$.workshops[0].scores[0].analyst"),
    "observer scoring": ({"analyst": "obs"}, "$.workshops[0].scores[0].analyst"),
    "value off the scale": ({"value": 6}, "$.workshops[0].scores[0].value"),
    "value not finite": ({"value": float("nan")}, "$.workshops[0].scores[0].value"),
    "unknown option": ({"option": "O4"}, "$.workshops[0].scores[0].option"),
    "round after the workshop's": ({"round": 2}, "$.workshops[0].scores[0].round"),
    "bad timestamp": ({"created_at": "2012-13-01T10:00:00+00:00"},
                      "$.workshops[0].scores[0].created_at"),
    "timestamp without offset": ({"updated_at": "2012-03-01T10:00:00"},
                                 "$.workshops[0].scores[0].updated_at"),
}
MEMO_MALFORMED = {
    "unknown option": ({"memo_texts": [{"round": 1, "recommended": "O9"}]},
                       ["$.workshops[0].memo_texts[0].recommended"]),
    "round after the workshop's": ({"memo_texts": [{"round": 3}]},
                                   ["$.workshops[0].memo_texts[0].round"]),
    "a round twice": ({"memo_texts": [{"round": 1}, {"round": 1, "bottom_line": "Again."}]},
                      ["$.workshops[0].memo_texts[1].round"]),
    "markup is text, but a long bottom line is not": (
        {"memo_texts": [{"round": 1, "bottom_line": "<b>x</b>" * 200}]},
        ["$.workshops[0].memo_texts[0].bottom_line"]),
    "a deadline that is no date": ({"memo_settings": {"decision_deadline": "2012-02-30"}},
                                   ["$.workshops[0].memo_settings.decision_deadline"]),
    "a sign-off without a name": ({"memo_settings": {"cleared_by": [{"office": "L"}]}},
                                  ["$.workshops[0].memo_settings.cleared_by[0].name"]),
}


@pytest.mark.parametrize("fields, paths", MEMO_MALFORMED.values(), ids=MEMO_MALFORMED.keys())
def test_malformed_memo_is_refused_at_its_path(fields, paths):
    document = tiny()
    document["workshops"] = [{**workshop_section(), **fields}]
    before = row_counts()
    assert refused_paths(document) == paths
    assert row_counts() == before


@pytest.mark.parametrize("fields, path", WORKSHOP_MALFORMED.values(), ids=WORKSHOP_MALFORMED.keys())
def test_malformed_workshop_is_refused_at_its_path(fields, path):
    document = tiny()
    document["workshops"] = [workshop_section(**fields)]
    before = row_counts()
    assert path in refused_paths(document)
    assert row_counts() == before


def test_workshop_section_faults_outside_scores():
    document = tiny()
    section = workshop_section()
    section["weights"]["C9"] = 1
    section["members"].append({"username": "ana", "role": "facilitator"})
    section["scores"].append(dict(section["scores"][0]))
    section["ahp_judgements"] = {"C1|C1": 2, "C1|C9": 20}
    document["workshops"] = [section]
    assert refused_paths(document) == [
        "$.workshops[0].members[2].username",
        "$.workshops[0].weights.C9",
        "$.workshops[0].scores[1]",
        '$.workshops[0].ahp_judgements["C1|C1"]',
        '$.workshops[0].ahp_judgements["C1|C9"]',  # no criterion C9
        '$.workshops[0].ahp_judgements["C1|C9"]',  # 20 is off Saaty's scale
    ]


def test_ahp_judgements_that_do_not_link_every_criterion_are_refused():
    document = tiny()
    section = workshop_section()
    section["weighting"] = "ahp"
    section["ahp_judgements"] = {"C1|C2": 3, "C3|C4": 1 / 5}
    section["members"][0]["ahp_judgements"] = {"C1|C2": 3, "C1|C3": 1, "C1|C4": 2}  # linked
    section["members"][1]["ahp_judgements"] = {"C1|C2": 3, "C1|C3": 1}
    document["workshops"] = [section]
    with pytest.raises(CaseFileInvalid) as refusal:
        import_case(document)
    assert sorted((e.path, e.message) for e in refusal.value.errors) == [(
        "$.workshops[0].ahp_judgements",
        "do not link every criterion: C3, C4 not compared with C1, directly or through other "
        "criteria",
    ), (
        "$.workshops[0].members[1].ahp_judgements",
        "do not link every criterion: C4 not compared with C1, directly or through other "
        "criteria",
    )]
    del section["members"][1]["ahp_judgements"]
    section["weighting"] = "direct"  # judgements the workshop does not use
    assert import_case(document).workshops.get().ahp_judgements == section["ahp_judgements"]


def test_a_valid_workshop_section_imports_and_creates_its_accounts():
    document = tiny()
    document["workshops"] = [workshop_section()]
    case = import_case(document)
    (score_row,) = Score.objects.filter(workshop__case=case)
    assert (score_row.analyst.username, score_row.value) == ("ana", 4.0)
    assert not score_row.analyst.has_usable_password()


def test_slug_taken_is_refused():
    import_case(tiny())
    before = row_counts()
    assert refused_paths(tiny()) == ["$.slug"]
    assert row_counts() == before


def test_every_error_is_reported_not_just_the_first():
    document = tiny()
    for mutate, _ in (MALFORMED["wrong type"], MALFORMED["duplicate code"],
                      MALFORMED["threshold off the scale"], MALFORMED["unknown top-level key"]):
        mutate(document)
    assert sorted(refused_paths(document)) == sorted([
        "$.actors[0].influence", "$.options[1].code", "$.criteria[0].red_line_threshold",
        "$.workshop",
    ])


def test_errors_read_plainly():
    document = tiny()
    MALFORMED["anchor off the scale"][0](document)
    MALFORMED["unknown top-level key"][0](document)
    MALFORMED["missing field"][0](document)
    assert sorted(map(str, validate(document))) == [
        '$.criteria[2].scale.anchors["6"]: level 6 is not on the scale 1 to 5',
        "$.principles[0].statement: is required",
        "$.workshop: unknown key (did you mean 'workshops'?)",
    ]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(schema())


def test_a_document_that_is_not_an_object():
    assert [str(e) for e in validate([])] == ["$: must be an object, not a list"]


@pytest.mark.parametrize("name, message", [
    ("invalid-json.json", "$: not valid JSON: Expecting ',' delimiter at line 5, column 3"),
    ("nan.json", "$: not valid JSON: NaN is not a number JSON allows"),
    ("no-such-file.json", "$: cannot read"),
])
def test_load_file_says_what_is_wrong(name, message):
    with pytest.raises(CaseFileInvalid) as refusal:
        load_file(CASEFILES / name)
    assert str(refusal.value).startswith(message)


# -- The commands -------------------------------------------------------------------------------


def run(*args):
    """call_command with captured output: (stdout, stderr, error or None)."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_import_command_reports_what_it_imported():
    out, err, error = run("import_case", str(TINY))
    assert error is None and err == ""
    assert "2 sources, 2 principles, 3 actors, 2 events, 2 risks, 3 options, 4 criteria" in out


def test_import_command_prints_each_error_and_writes_nothing():
    before = row_counts()
    out, err, error = run("import_case", str(CASEFILES / "three-errors.json"))
    assert err.splitlines() == [
        "$.risks[0].actors[1]: no actor has the code 'A2'",
        "$.options[1].code: duplicate code 'O1' (also options[0])",
        "$.criteria[0].red_line_threshold: must be on the scale 0 to 10, not 12",
    ]
    assert error.returncode == 1 and "3 errors; nothing was imported" in str(error)
    assert row_counts() == before


def test_import_command_exits_1_on_invalid_json():
    before = row_counts()
    out, err, error = run("import_case", str(CASEFILES / "invalid-json.json"))
    # A CommandError is what makes manage.py exit with its returncode.
    assert error is not None and error.returncode == 1
    assert err == "$: not valid JSON: Expecting ',' delimiter at line 5, column 3\n"
    assert row_counts() == before


def test_import_command_replace():
    run("import_case", str(TINY))
    assert run("import_case", str(TINY))[2] is not None  # taken
    out, err, error = run("import_case", str(TINY), "--replace")
    assert error is None and Case.objects.filter(slug="tiny-case").count() == 1


def test_export_command_unknown_slug():
    out, err, error = run("export_case", "no-such-case")
    assert error is not None and "no-such-case" in str(error)


def test_export_command_to_a_file_round_trips(tmp_path):
    case = workshop_with_everything().case
    target = tmp_path / "backup.json"
    out, err, error = run("export_case", "backup", "-o", str(target), "--with-workshops")
    assert error is None
    text = target.read_text(encoding="utf-8")
    assert text.endswith("}\n") and "“as ever”" in text  # UTF-8 as written, not \u escapes
    exported = json.loads(text)
    assert exported == export_case(case, with_workshops=True)
    assert run("export_case", "backup", "--with-workshops")[0] == text  # stdout: the same text
    case.workshops.all().delete()
    case.delete()
    assert run("import_case", str(target))[2] is None
    assert export_case(Case.objects.get(slug="backup"), with_workshops=True) == exported


def test_export_command_keys_in_a_stable_order():
    import_case(tiny())
    text = run("export_case", "tiny-case")[0]
    exported = json.loads(text)
    assert list(exported) == [
        "format", "version", "slug", "title", "question", "context", "decider", "sources",
        "principles", "actors", "events", "risks", "options", "criteria",
    ]
    assert list(exported["criteria"][0]) == [
        "code", "title", "description", "kind", "direction", "scale", "default_weight",
        "red_line_threshold", "derived_from", "quote", "source",
    ]
    assert text.startswith('{\n  "format": "options-room-case",\n')  # indent 2
    assert run("export_case", "tiny-case")[0] == text


# -- Limits: how many parts, how long a text, how deep, which characters (issue 12) ------------

LIMITED = {  # list -> (setting, default)
    "sources": ("CASE_MAX_SOURCES", 200), "principles": ("CASE_MAX_PRINCIPLES", 100),
    "actors": ("CASE_MAX_ACTORS", 200), "events": ("CASE_MAX_EVENTS", 200),
    "risks": ("CASE_MAX_RISKS", 200), "options": ("CASE_MAX_OPTIONS", 20),
    "criteria": ("CASE_MAX_CRITERIA", 40),
}


def with_parts(kind: str, count: int) -> dict:
    """The tiny case with `count` parts of the kind, copies of its first one recoded."""
    document = tiny()
    model = document[kind][0]
    document[kind] = [{**model, "code": f"X{i}"} for i in range(count)]
    return document


def refusal(document) -> list[str]:
    with pytest.raises(CaseFileInvalid) as refused:
        import_case(document)
    return [str(error) for error in refused.value.errors]


@pytest.mark.parametrize("kind", LIMITED)
def test_a_case_may_have_its_limit_of_each_part_and_not_one_more(kind):
    setting, limit = LIMITED[kind]
    assert getattr(settings, setting) == limit
    before = row_counts()
    assert refusal(with_parts(kind, limit + 1)) == [
        f"$.{kind}: {limit + 1} {kind}; a case may have at most {limit} ({setting})"
    ]
    assert row_counts() == before
    # At the limit, only the copies' references to recoded parts are at fault.
    assert f"$.{kind}" not in [error.path for error in validate(with_parts(kind, limit))]


def test_the_limits_are_settings(settings):
    settings.CASE_MAX_OPTIONS = 2
    assert refusal(tiny()) == ["$.options: 3 options; a case may have at most 2 (CASE_MAX_OPTIONS)"]
    settings.CASE_MAX_OPTIONS = 3
    assert import_case(tiny()).options.count() == 3


def test_too_many_parts_are_the_only_errors_reported():
    # Checking and listing thousands of parts' faults would cost more than the refusal.
    document = with_parts("options", 60_000)
    document["title"] = ""
    assert refusal(document) == [
        "$.options: 60,000 options; a case may have at most 20 (CASE_MAX_OPTIONS)"
    ]


def test_every_text_is_bounded(settings):
    document = tiny()
    document["context"] = "x" * 20_000
    document["options"][1]["summary"] = "x" * 20_001
    document["criteria"][0]["scale"]["anchors"]["0"] = "y" * 20_001
    assert refusal(document) == [
        "$.options[1].summary: 20,001 characters; a text may have at most 20,000 (CASE_MAX_TEXT)",
        '$.criteria[0].scale.anchors["0"]: 20,001 characters; a text may have at most 20,000 '
        "(CASE_MAX_TEXT)",
    ]
    document["title"] = "t" * 20_001  # the schema bounds a title: one error, the schema's
    assert refusal(document)[0:2] == [
        "$.title: must be at most 200 characters (it has 20001)",
        "$.options[1].summary: 20,001 characters; a text may have at most 20,000 (CASE_MAX_TEXT)",
    ]
    settings.CASE_MAX_TEXT = 30_000
    document["title"] = "Long texts"
    assert import_case(document).options.get(code="O2").summary == "x" * 20_001


@pytest.mark.parametrize("character", ["\x00", "\u202e", "\x1b", "\x85", "\u2066"],
                         ids=["nul", "rtl-override", "esc", "next-line", "isolate"])
def test_control_characters_are_refused_at_their_path(character):
    document = tiny()
    document["title"] = f"Tiny{character}case"
    document["options"][2]["title"] = f"{character}Option"
    document["actors"][0]["interests"] = "Tabs\tand\nnew lines are text."
    before = row_counts()
    code = f"U+{ord(character):04X}"
    assert refusal(document) == [
        f"$.title: holds the control character {code}. Remove the control characters from "
        "this text.",
        f"$.options[2].title: holds the control character {code}. Remove the control "
        "characters from this text.",
    ]
    assert row_counts() == before


def test_a_control_character_in_a_key_is_refused_at_the_key():
    document = tiny()
    document["workshops"] = [workshop_section()]
    document["workshops"][0]["weights"] = {"C1\x1b": 1}
    assert refusal(document) == [
        '$.workshops[0].weights["C1\\u001b"]: (a key) holds the control character U+001B. '
        "Remove the control characters from this text.",
        '$.workshops[0].weights["C1\\u001b"]: no criterion has the code \'C1\\x1b\'',
    ]


def nested(depth: int):
    document = []
    for _ in range(depth - 1):
        document = [document]
    return document


@pytest.mark.parametrize("depth", [13, 900, 5_000])
def test_a_document_nested_too_deep_is_refused_without_recursing(depth):
    document = tiny()
    document["context"] = nested(depth)
    assert [str(e) for e in validate(document)] == [
        "$.context" + "[0]" * 11 + ": nested more than 12 levels deep: this is not a case file"
    ]
    assert [str(e) for e in validate(nested(depth))] == [
        "$" + "[0]" * 12 + ": nested more than 12 levels deep: this is not a case file"
    ]
    # The deepest a case file goes ($.workshops[0].scores[0].value) is well inside.
    document["context"] = ""
    document["workshops"] = [workshop_section(value=4)]
    assert validate(document) == []


@pytest.mark.parametrize("text", [
    "[" * 100_000,
    '{"format": "options-room-case", "context": ' + "[" * 5_000 + "]" * 5_000 + "}",
], ids=["brackets", "under-a-key"])
def test_a_file_nested_past_the_parser_is_refused_by_the_command(tmp_path, text):
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    before = row_counts()
    out, err, error = run("import_case", str(path))
    assert error is not None and error.returncode == 1
    assert err == "$: nested more than 12 levels deep: this is not a case file\n"
    assert row_counts() == before


def test_the_command_refuses_past_the_limits_like_the_upload(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(with_parts("options", 21)), encoding="utf-8")
    out, err, error = run("import_case", str(path))
    assert error.returncode == 1
    assert err == "$.options: 21 options; a case may have at most 20 (CASE_MAX_OPTIONS)\n"
    assert not Case.objects.filter(slug="tiny-case").exists()


def test_backup_keeps_which_scores_were_carried_forward():
    exported = export_case(workshop_with_everything().case, with_workshops=True)
    carried = [s for s in exported["workshops"][0]["scores"] if "carried_from" in s]
    assert [(s["round"], s["analyst"], s["option"], s["criterion"], s["carried_from"])
            for s in carried] == [(2, "ana1", "O1", "C1", 1)]
    reimport(exported)
    assert Score.objects.get(round=2, analyst__username="ana1").carried_from == 1
    assert Score.objects.get(round=2, analyst__username="ana2").carried_from is None
