"""The memo text page (/workshops/<id>/memo/text/): the facilitator writes over the drafted
bottom line, reasoning and discussion and names the recommended option, as a plain form and
with htmx; the preview marks whose words each part is; who may; a locked workshop refuses."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.memo.content import memo_context
from policy.models import HistoryEntry, Membership, MemoText, Workshop
from policy.workshops.actions import set_status
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(options=3, criteria=2), analysts=2)
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    make_user("outsider")
    for analyst in ("ana1", "ana2"):
        for option, c1, c2 in (("O1", 9, 8), ("O2", 6, 6), ("O3", 3, 2)):
            score(ws, analyst, option, "C1", c1, "Why.")
            score(ws, analyst, option, "C2", c2, "Why.")
    ws.bump()
    return ws


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def url(ws, name="workshop_memo_text"):
    return reverse(name, args=[ws.pk])


def form(ws, **changes) -> dict:
    """What the page posts unchanged: each part's drafted text, the comparison's first."""
    data = {"round": "1", "recommended": ""}
    data.update((part, values["drafted"]) for part, values in memo_context(ws)["parts"].items())
    return {**data, **changes}


def test_the_page_offers_each_drafted_part_to_write_over(client, workshop):
    body = login(client, "fac").get(url(workshop)).text
    drafted = memo_context(workshop)["parts"]
    assert "<h1>Memo text, round 1</h1>" in body
    assert body.count("<strong>Drafted:</strong>") == 2
    assert body.count("<strong>Not drafted:</strong>") == 1  # the team agrees: no reasoning
    # The text box starts from the drafted text.
    assert drafted["bottom_line"]["drafted"][:60] in body
    assert '<option value="O3">O3, Option 3</option>' in body
    assert "The comparison’s first option (O1, Option 1)" in body
    detail = client.get(url(workshop, "workshop_detail")).text
    assert f'href="{url(workshop)}"' in detail


def test_a_plain_post_saves_and_returns_to_the_page(client, workshop):
    response = login(client, "fac").post(url(workshop), form(
        workshop, bottom_line="Approve O2.\n\nIt keeps the partners.", recommended="O2"))
    assert response.status_code == 302 and response["Location"] == url(workshop)
    saved = MemoText.objects.get(workshop=workshop, round=1)
    assert saved.bottom_line == "Approve O2.\n\nIt keeps the partners."
    assert (saved.reasoning, saved.discussion, saved.recommended.code) == ("", "", "O2")
    assert saved.updated_by.username == "fac"
    page = client.get(url(workshop)).text
    assert "Memo text saved" in page
    assert "<strong>Written:</strong> your words" in page
    assert ("The memo says so, with the ranking: The weighted comparison ranks O1 first "
            "(85 out of 100) and O2 second (60 out of 100).") in page
    assert HistoryEntry.objects.get(kind=HistoryEntry.Kind.MEMO_TEXT).note == (
        "bottom line written; recommends O2")


def test_htmx_swaps_the_form_and_use_drafted_clears_a_part(client, workshop):
    login(client, "fac")
    response = client.post(url(workshop), form(workshop, discussion="Ours."), **HTMX)
    assert response.text.lstrip().startswith('<form id="memo-text-form"')
    assert "Memo text saved" in response.text
    assert "Use the drafted text for the discussion" in response.text
    assert MemoText.objects.get().discussion == "Ours."
    response = client.post(url(workshop), form(workshop, discussion="Ours.",
                                               use_drafted="discussion"), **HTMX)
    assert MemoText.objects.get().discussion == ""
    assert "Use the drafted text" not in response.text


def test_the_preview_marks_drafted_and_written_parts(client, workshop):
    login(client, "fac").post(url(workshop), form(workshop, bottom_line="In our words."))
    page = client.get(url(workshop, "workshop_memo_preview")).text
    assert ("<strong>Written.</strong> Bottom line: the facilitator’s own words, in place of the "
            "app’s draft.") in page
    assert "<strong>Drafted.</strong> Discussion: drafted by the app from the result." in page
    assert "<strong id=\"bluf-h\">Bottom line.</strong> In our words." in page


def test_hostile_text_is_escaped_on_the_page_and_in_the_preview(client, workshop):
    hostile = '<script>alert("x")</script> & co'
    login(client, "fac").post(url(workshop), form(workshop, reasoning=hostile))
    for page in (client.get(url(workshop)).text,
                 client.get(url(workshop, "workshop_memo_preview")).text):
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page


def test_errors_are_shown_and_nothing_saved(client, workshop):
    response = login(client, "fac").post(url(workshop), form(
        workshop, bottom_line="x" * 1201, discussion="Bad \x1b[31m text", recommended="O9"))
    assert response.status_code == 400
    assert "Ensure this value has at most 1200 characters" in response.text
    assert "Remove the control characters from this text." in response.text
    assert "Select a valid choice." in response.text
    assert not MemoText.objects.exists()


def test_a_locked_workshop_shows_its_words_and_refuses_new_ones(client, workshop):
    login(client, "fac").post(url(workshop), form(workshop, bottom_line="Before the lock."))
    set_status(workshop.pk, Workshop.Status.LOCKED)
    page = client.get(url(workshop)).text
    assert "The workshop is locked: its memo is a record" in page
    assert "Save memo text" not in page and "disabled" in page
    response = client.post(url(workshop), form(workshop, bottom_line="After."))
    assert response.status_code == 400
    assert "The workshop is locked: its memo is a record and cannot change." in response.text
    assert MemoText.objects.get().bottom_line == "Before the lock."


@pytest.mark.parametrize("username, status", [("ana1", 403), ("obs", 403), ("outsider", 404)])
def test_only_the_facilitator_may_write(client, workshop, username, status):
    Workshop.objects.filter(pk=workshop.pk).update(revealed=True)
    login(client, username)
    assert client.get(url(workshop)).status_code == status
    response = client.post(url(workshop), form(workshop, bottom_line="Mine."), **HTMX)
    assert response.status_code == status
    assert not MemoText.objects.exists()
    assert not HistoryEntry.objects.filter(kind=HistoryEntry.Kind.MEMO_TEXT).exists()


def test_logged_out_visitors_are_sent_to_log_in(client, workshop):
    response = client.get(url(workshop))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(url(workshop), {"bottom_line": "x"}).status_code == 302
    assert not MemoText.objects.exists()


def test_a_workshop_without_a_comparison_says_why(client):
    empty = make_workshop(make_case(slug="empty"), analysts=1)
    empty.case.options.all().delete()  # after the workshop began: nothing left to compare
    response = login(client, "fac").get(url(empty))
    assert response.status_code == 409
    assert "There is no memo to write yet:" in response.text
