"""The memo when analysts weighted the criteria themselves: the method says so, the weights
table gives the range they gave, and the simulations say where their weights came from."""
import pytest
from django.contrib.auth import get_user_model

from policy.memo.document import memo_html
from policy.workshops import actions
from tests.factories import make_case, make_workshop, score

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return " ".join(text.split())


def workshop_with_weights(analysts_weigh: bool):
    workshop = make_workshop(make_case(options=2, criteria=2), analysts=2,
                             analysts_weigh=analysts_weigh)
    users = get_user_model().objects
    for analyst, c1, c2 in (("ana1", 9, 1), ("ana2", 3, 7)):
        score(workshop, analyst, "O1", "C1", 10)
        score(workshop, analyst, "O1", "C2", 0)
        score(workshop, analyst, "O2", "C1", 0)
        score(workshop, analyst, "O2", "C2", 10)
        if analysts_weigh:
            actions.set_own_weights(workshop.pk, users.get(username=analyst), "direct",
                                    {"C1": c1, "C2": c2}, {})
    workshop.refresh_from_db()
    return workshop


def test_the_memo_says_the_analysts_weighted_the_criteria():
    text = flat(memo_html(workshop_with_weights(True)))
    assert ("weighted by direct points that each of two analysts gave (the team’s weights: "
            "the mean of theirs) and combined by weighted sum") in text
    assert "Analysts gave" in text and "30%–90%" in text and "10%–70%" in text
    assert "draw the weights from the analysts’ own" in text


def test_the_memo_is_as_before_when_the_facilitator_weights():
    text = flat(memo_html(workshop_with_weights(False)))
    assert "Analysts gave" not in text and "analysts’ own" not in text
    assert "around the team’s (a Dirichlet distribution)" in text
