"""Case files carry who weights the criteria and the analysts' own weights (a backup)."""
import pytest
from django.contrib.auth import get_user_model

from policy.cases.casefile import CaseFileInvalid, export_case, import_case
from policy.models import AnalystWeight, Case, Membership, Workshop
from policy.workshops import actions
from tests.factories import make_case, make_workshop

pytestmark = pytest.mark.django_db


def backup() -> dict:
    workshop = make_workshop(make_case(options=2, criteria=2), analysts=2, analysts_weigh=True)
    users = get_user_model().objects
    actions.set_own_weights(workshop.pk, users.get(username="ana1"), "direct",
                            {"C1": 3, "C2": 1}, {})
    Membership.objects.filter(user__username="ana2").update(ahp_judgements={"C1|C2": 0.5})
    return export_case(workshop.case, with_workshops=True)


def reimport(document: dict) -> Workshop:
    case = Case.objects.get(slug=document["slug"])
    case.workshops.all().delete()
    case.delete()
    return import_case(document).workshops.get()


def test_own_weights_round_trip():
    exported = backup()
    (workshop,) = exported["workshops"]
    assert workshop["analysts_weigh"] is True
    assert workshop["analyst_weights"] == [
        {"analyst": "ana1", "weighting": "direct", "criterion": "C1", "value": 3.0},
        {"analyst": "ana1", "weighting": "direct", "criterion": "C2", "value": 1.0},
    ]
    assert {"username": "ana2", "role": "analyst", "ahp_judgements": {"C1|C2": 0.5}} in workshop[
        "members"]
    restored = reimport(exported)
    assert restored.analysts_weigh
    rows = AnalystWeight.objects.filter(workshop=restored).values_list(
        "analyst__username", "criterion__code", "value")
    assert sorted(rows) == [("ana1", "C1", 3.0), ("ana1", "C2", 1.0)]
    assert export_case(restored.case, with_workshops=True) == exported


def refused_paths(document: dict) -> list[str]:
    document = {**document, "slug": "copy"}
    with pytest.raises(CaseFileInvalid) as refusal:
        import_case(document)
    return [error.path for error in refusal.value.errors]


@pytest.mark.parametrize("change, path", [
    (lambda w: w["analyst_weights"].append(
        {"analyst": "nobody", "weighting": "direct", "criterion": "C1", "value": 1}),
     "$.workshops[0].analyst_weights[2].analyst"),
    (lambda w: w["analyst_weights"].append(
        {"analyst": "ana1", "weighting": "direct", "criterion": "C9", "value": 1}),
     "$.workshops[0].analyst_weights[2].criterion"),
    (lambda w: w["analyst_weights"].append(dict(w["analyst_weights"][0])),
     "$.workshops[0].analyst_weights[2]"),
    (lambda w: w["analyst_weights"][0].update(value=-1), "$.workshops[0].analyst_weights[0].value"),
    (lambda w: w["members"][2].update(ahp_judgements={"C1|C2": 12}),
     '$.workshops[0].members[2].ahp_judgements["C1|C2"]'),
])
def test_faulty_own_weights_are_refused_with_their_path(change, path):
    document = backup()
    change(document["workshops"][0])
    paths = refused_paths(document)
    assert paths == [path]
    assert not Case.objects.filter(slug="copy").exists()
