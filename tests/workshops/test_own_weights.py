"""Analysts' own weights in the database: the actions that save them (with history and a new
revision), and the frames that hand them to the engine only when the setting is on."""
import pytest
from django.contrib.auth import get_user_model

from policy.models import AnalystWeight, HistoryEntry, Membership, Workshop
from policy.scoring import compare
from policy.workshops import actions
from policy.workshops.frames import workshop_frames
from policy.workshops.results import workshop_result
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=2, criteria=2), analysts=3)
    for analyst in ("ana1", "ana2", "ana3"):
        for option, c1, c2 in (("O1", 10, 0), ("O2", 0, 10)):
            score(ws, analyst, option, "C1", c1)
            score(ws, analyst, option, "C2", c2)
    return ws


def user(name):
    return User.objects.get(username=name)


def weigh(workshop, name, c1, c2, weighting="direct"):
    actions.set_own_weights(workshop.pk, user(name), weighting, {"C1": c1, "C2": c2}, {})


def test_the_switch_is_recorded_and_bumps_the_revision(workshop):
    before = workshop.revision
    actions.set_analysts_weigh(workshop.pk, True, by=user("fac"))
    workshop.refresh_from_db()
    assert workshop.analysts_weigh and workshop.revision == before + 1
    entry = HistoryEntry.objects.get(workshop=workshop, kind=HistoryEntry.Kind.WEIGHERS)
    assert (entry.user.username, entry.note) == ("fac", "analysts")
    actions.set_analysts_weigh(workshop.pk, True, by=user("fac"))  # no change, no entry
    assert HistoryEntry.objects.filter(kind=HistoryEntry.Kind.WEIGHERS).count() == 1


def test_an_analysts_weights_are_saved_in_the_workshops_method(workshop):
    actions.set_analysts_weigh(workshop.pk, True)
    revision = Workshop.objects.get(pk=workshop.pk).revision
    weigh(workshop, "ana1", 3, 1)
    weigh(workshop, "ana1", 4, 1)  # replaces, not adds
    rows = AnalystWeight.objects.filter(analyst=user("ana1")).values_list(
        "criterion__code", "weighting", "value")
    assert sorted(rows) == [("C1", "direct", 4.0), ("C2", "direct", 1.0)]
    assert Workshop.objects.get(pk=workshop.pk).revision == revision + 2
    # The history says that they gave weights, never which (hidden like scores).
    entry = HistoryEntry.objects.filter(kind=HistoryEntry.Kind.OWN_WEIGHTS).last()
    assert (entry.user.username, entry.note) == ("ana1", "Direct points")


@pytest.mark.parametrize("change, message", [
    ({"analysts_weigh": False}, "The facilitator weights the criteria"),
    ({"analysts_weigh": True, "status": Workshop.Status.LOCKED}, "locked"),
    ({"analysts_weigh": True, "weighting": Workshop.Weighting.SWING}, "changed the method"),
])
def test_saving_own_weights_is_refused(workshop, change, message):
    Workshop.objects.filter(pk=workshop.pk).update(**change)
    with pytest.raises(actions.ActionRefused, match=message):
        weigh(workshop, "ana1", 3, 1)
    assert not AnalystWeight.objects.exists()


def test_only_analysts_save_own_weights(workshop):
    actions.set_analysts_weigh(workshop.pk, True)
    with pytest.raises(actions.ActionRefused, match="Only analysts"):
        weigh(workshop, "fac", 3, 1)


def test_frames_carry_analysts_weights_only_when_the_setting_is_on(workshop):
    actions.set_analysts_weigh(workshop.pk, True)
    weigh(workshop, "ana1", 9, 1)
    weigh(workshop, "ana2", 3, 7)
    Workshop.objects.filter(pk=workshop.pk).update(analysts_weigh=False)
    workshop.refresh_from_db()
    off = workshop_frames(workshop)
    assert not off.analysts_weigh and off.analyst_weights.empty
    Workshop.objects.filter(pk=workshop.pk).update(analysts_weigh=True)
    workshop.refresh_from_db()
    on = workshop_frames(workshop)
    assert sorted(map(tuple, on.analyst_weights.to_numpy().tolist())) == [
        ("ana1", "C1", 9.0), ("ana1", "C2", 1.0), ("ana2", "C1", 3.0), ("ana2", "C2", 7.0)]
    result = compare(on, draws=0).to_dict()
    assert result["weights"]["values"] == {"C1": 0.6, "C2": 0.4}
    assert result["weights"]["analysts"]["left_out"] == 1  # ana3


def test_another_methods_rows_are_kept_and_not_read(workshop):
    actions.set_analysts_weigh(workshop.pk, True)
    weigh(workshop, "ana1", 9, 1)
    actions.set_weights(workshop.pk, Workshop.Weighting.SWING, {"C1": 100, "C2": 50}, {})
    workshop.refresh_from_db()
    result = compare(workshop_frames(workshop), draws=0).to_dict()
    assert result["weights"]["analysts"]["fallback"]
    assert result["weights"]["values"] == pytest.approx({"C1": 2 / 3, "C2": 1 / 3})
    assert AnalystWeight.objects.filter(weighting="direct").count() == 2


def test_ahp_judgements_are_each_analysts_own(workshop):
    actions.set_analysts_weigh(workshop.pk, True)
    actions.set_weights(workshop.pk, Workshop.Weighting.AHP, {}, {"C1|C2": 1})
    actions.set_own_weights(workshop.pk, user("ana1"), "ahp", {}, {"C1|C2": 4})
    actions.set_own_weights(workshop.pk, user("ana2"), "ahp", {}, {"C1|C2": 1})
    assert Membership.objects.get(user__username="ana1").ahp_judgements == {"C1|C2": 4}
    workshop.refresh_from_db()
    result = workshop_result(workshop, draws=0)
    # The geometric mean of 4 and 1 is 2: weights 2/3 and 1/3.
    assert result["weights"]["values"] == pytest.approx({"C1": 2 / 3, "C2": 1 / 3})
    assert result["weights"]["analysts"]["aggregation"] == "geometric_mean"


def test_anonymous_workshops_label_weights_as_they_label_scores(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(anonymous=True, analysts_weigh=True)
    weigh(workshop, "ana2", 1, 3)
    workshop.refresh_from_db()
    result = compare(workshop_frames(workshop), draws=0).to_dict()
    [label] = result["weights"]["analysts"]["values"]
    assert label in result["analysts"] and label.startswith("A")
    assert "ana2" not in str(result)


def test_a_member_made_observer_before_scoring_weighs_nothing(workshop):
    actions.set_analysts_weigh(workshop.pk, True)
    newcomer = make_user("late")
    Membership.objects.create(workshop=workshop, user=newcomer, role=Membership.Role.ANALYST)
    actions.set_own_weights(workshop.pk, newcomer, "direct", {"C1": 1, "C2": 9}, {})
    actions.set_role(workshop.pk, newcomer.pk, Membership.Role.OBSERVER)
    workshop.refresh_from_db()
    assert compare(workshop_frames(workshop), draws=0).to_dict()["weights"]["analysts"][
        "fallback"]
