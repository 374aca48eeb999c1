"""A workshop on an unfinished case (issue 11, item 6): creating it or opening its scoring says
what is missing, and the memo download shows the engine's reason instead of a 500."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.models import Case, Criterion, Weight, Workshop
from policy.workshops import actions
from policy.workshops.readiness import case_gaps, scoring_gaps
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}
FORM = {"title": "Round table", "hide_scores": "on", "aggregation": "median",
        "method": "weighted_sum", "handling": "UNCLASSIFIED"}


def question_only() -> Case:
    return Case.objects.create(slug="bare", title="A question only", question="What now?",
                               decider="The team")


def test_gaps_name_each_missing_part():
    assert case_gaps(question_only()) == [
        "The case has 0 options: a comparison needs at least 2. Add options to the case.",
        "The case has no criteria to score the options on. Add a criterion.",
    ]
    assert case_gaps(make_case("one", options=1)) == [
        "The case has 1 option: a comparison needs at least 2. Add options to the case."
    ]
    assert case_gaps(make_case("ready")) == []


def test_create_page_explains_and_creates_nothing(client):
    case = question_only()
    client.force_login(make_user("fac"))
    url = reverse("workshop_create", args=[case.slug])
    page = client.get(url).content.decode()
    assert "This case is not ready for a workshop:" in page
    assert "The case has 0 options: a comparison needs at least 2." in page
    response = client.post(url, FORM)
    body = response.content.decode()
    assert response.status_code == 200 and not Workshop.objects.exists()
    assert ('<ul class="errorlist" role="alert"><li>This case is not ready for a workshop. '
            "The case has 0 options") in body


def test_scoring_does_not_open_with_zero_weights():
    case = make_case()
    Criterion.objects.filter(case=case).update(default_weight=0)
    workshop = actions.create_workshop(case, make_user("fac"), title="T")
    assert scoring_gaps(workshop) == [
        "Every criterion weighs zero, so no option could score. Set the workshop's weights "
        "(or the case's default weights) above zero."
    ]
    with pytest.raises(actions.ActionRefused, match="Scoring cannot open yet. Every criterion "
                                                    "weighs zero"):
        actions.set_status(workshop.pk, Workshop.Status.OPEN)
    assert Workshop.objects.get(pk=workshop.pk).status == "draft"
    Weight.objects.create(workshop=workshop, criterion=case.criteria.get(code="C1"), value=2)
    assert actions.set_status(workshop.pk, Workshop.Status.OPEN).status == "open"


def test_opening_a_workshop_whose_case_lost_its_options_says_why(client):
    workshop = make_workshop(make_case(), analysts=1, status=Workshop.Status.CLOSED)
    workshop.case.options.exclude(code="O1").delete()
    client.force_login(User.objects.get(username="fac"))
    client.post(reverse("workshop_status", args=[workshop.pk]), {"status": "open"})
    page = client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    assert "Scoring cannot open yet. The case has 1 option: a comparison needs at least 2." in page
    assert Workshop.objects.get(pk=workshop.pk).status == "closed"


@pytest.fixture
def unweighted():
    """A revealed workshop with scores whose weights are all zero: no comparison is possible."""
    workshop = make_workshop(make_case(), analysts=1, revealed=True)
    score(workshop, "ana1", "O1", "C1", 7)
    for criterion in workshop.case.criteria.all():
        Weight.objects.create(workshop=workshop, criterion=criterion, value=0)
    return workshop


def test_memo_download_shows_the_reason_not_a_500(client, unweighted):
    client.force_login(User.objects.get(username="ana1"))
    response = client.get(reverse("workshop_memo", args=[unweighted.pk]))
    body = response.content.decode()
    assert response.status_code == 409
    assert "The memo could not be prepared" in body
    assert "Every criterion has zero weight, so no option can score." in body
    prepared = client.post(reverse("workshop_memo_prepare", args=[unweighted.pk]), **HTMX)
    assert "The memo could not be prepared. Every criterion has zero weight" in (
        prepared.content.decode())


def test_ahp_judgements_that_do_not_link_every_criterion_are_a_gap():
    # A criterion added after the judgements were made is compared with nothing.
    workshop = make_workshop(make_case(criteria=3), weighting="ahp",
                             ahp_judgements={"C1|C2": 3})
    assert scoring_gaps(workshop) == [
        "The AHP comparisons do not link every criterion: C3 is not compared with C1, directly "
        "or through other criteria, so no weights follow. Compare each with a criterion that is "
        "linked (the weights page offers those pairs first)."
    ]
    Workshop.objects.filter(pk=workshop.pk).update(ahp_judgements={"C1|C2": 3, "C2|C3": 1})
    workshop.refresh_from_db()
    assert scoring_gaps(workshop) == []
