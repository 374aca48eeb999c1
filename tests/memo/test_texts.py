"""The facilitator's words over the drafted ones (policy/memo/texts.py, actions.set_memo_text):
written parts in the memo's HTML, PDF and Word copy, as plain text; the option the team names
over the ranking said beside the ranking; stale marks once the result changes; kept per round;
refused once the workshop is locked; history and revision."""
import io

import docx
import pypdf
import pytest

from policy.memo.content import memo_context
from policy.memo.document import memo_html, memo_pdf
from policy.memo.forms import MemoTextForm
from policy.memo.texts import earlier_texts, paragraphs, same_text
from policy.memo.word import memo_docx
from policy.models import HistoryEntry, MemoText, Option, Score, Workshop
from policy.workshops.actions import ActionRefused, set_memo_text, set_status, start_next_round
from tests.factories import make_case, make_workshop, score

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    return flat("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages))


def docx_paragraphs(workshop) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(memo_docx(workshop)[2])).paragraphs]


@pytest.fixture
def workshop():
    """O1 first (85 out of 100 on equal weights), O2 second, O3 third."""
    ws = make_workshop(make_case(options=3, criteria=2), analysts=2)
    for analyst in ("ana1", "ana2"):
        for option, c1, c2 in (("O1", 9, 8), ("O2", 6, 6), ("O3", 3, 2)):
            score(ws, analyst, option, "C1", c1, "Why.")
            score(ws, analyst, option, "C2", c2, "Why.")
    ws.bump()
    return ws


def drafted(workshop) -> dict:
    return {part: values["drafted"] for part, values in memo_context(workshop)["parts"].items()}


def write(workshop, recommended=None, by=None, **texts):
    workshop.refresh_from_db()
    written = {"bottom_line": "", "reasoning": "", "discussion": "", **texts}
    return set_memo_text(workshop.pk, workshop.round, texts=written, drafted=drafted(workshop),
                         recommended=recommended, by=by)


def option(workshop, code) -> Option:
    return workshop.case.options.get(code=code)


# --- plain text -------------------------------------------------------------------------------

def test_paragraphs_split_on_blank_lines_and_join_their_lines():
    text = "First line\nsame paragraph.\r\n\r\n  \nSecond   one.\n\n\n"
    assert paragraphs(text) == ["First line same paragraph.", "Second one."]
    assert same_text("First line same paragraph.\n\nSecond one.", text)
    assert not same_text("First line.", text)


# --- drafted and written ----------------------------------------------------------------------

def test_every_part_is_drafted_until_the_facilitator_writes_it(workshop):
    parts = memo_context(workshop)["parts"]
    assert parts["bottom_line"]["drafted"].startswith(
        "The team recommends O1, Option 1, which scores 85")
    assert parts["reasoning"]["drafted"] == ""  # the team agrees: nothing to say who holds it
    assert "O1 leads; O3 comes last" in parts["discussion"]["drafted"]
    assert not any(part["written"] or part["stale"] for part in parts.values())
    html = memo_html(workshop)
    assert html.count("<strong>Drafted.</strong>") == 2  # no empty reasoning is marked
    assert "<strong>Written." not in html


def test_written_parts_replace_the_drafted_ones_in_html_pdf_and_word(workshop):
    write(workshop, bottom_line="Approve O1 now.\n\nIt is the cheapest path.",
          reasoning="O1 keeps our partners on side.", discussion="We met twice.\n\nWe agree.")
    workshop.refresh_from_db()
    html = memo_html(workshop)
    assert '<p><strong id="bluf-h">Bottom line.</strong> Approve O1 now.</p><p>It is the ' \
           'cheapest path.</p>' in html
    assert '<p class="who">O1 keeps our partners on side.</p>' in html
    assert "<p>We met twice.</p><p>We agree.</p>" in html
    assert html.count("<strong>Written.</strong>") == 3
    assert "O1 leads; O3 comes last" not in html
    assert "Weighted totals out of 100" in html  # the ranking stays whatever is written
    pdf = pdf_text(memo_pdf(workshop).content)
    assert "Bottom line. Approve O1 now. It is the cheapest path." in pdf
    assert "O1 keeps our partners on side." in pdf and "We met twice. We agree." in pdf
    assert "Written." not in pdf and "Drafted." not in pdf  # the marks are the preview's
    word = docx_paragraphs(workshop)
    assert "Bottom line. Approve O1 now." in word and "It is the cheapest path." in word
    assert "We met twice." in word and not any("Written." in p for p in word)


def test_hostile_text_is_text_in_html_and_word(workshop):
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    write(workshop, bottom_line=hostile, discussion=hostile)
    workshop.refresh_from_db()
    html = memo_html(workshop)
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    word = docx_paragraphs(workshop)
    assert f"Bottom line. {hostile}" in word and hostile in word


def test_the_drafted_text_sent_back_unchanged_stays_drafted(workshop):
    parts = drafted(workshop)
    data = {"round": 1, "recommended": "", "reasoning": "Ours.",
            # Reflowed by the browser's text box: the same paragraphs all the same.
            "bottom_line": parts["bottom_line"].replace(". ", ".\n"),
            "discussion": parts["discussion"]}
    form = MemoTextForm(data, workshop=workshop, drafted=parts, winner=None)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["bottom_line"] == form.cleaned_data["discussion"] == ""
    assert form.cleaned_data["reasoning"] == "Ours."
    form = MemoTextForm({**data, "use_drafted": "reasoning"}, workshop=workshop, drafted=parts,
                        winner=None)
    assert form.is_valid() and form.cleaned_data["reasoning"] == ""
    saved = write(workshop, **{part: form.cleaned_data[part] for part in parts})
    assert saved.pk is None  # nothing changed, nothing written
    assert not MemoText.objects.exists() and not HistoryEntry.objects.filter(
        kind=HistoryEntry.Kind.MEMO_TEXT).exists()


def test_saving_writes_history_and_bumps_the_revision_once(workshop, django_user_model):
    fac = django_user_model.objects.get(username="fac")
    before = Workshop.objects.get(pk=workshop.pk).revision
    write(workshop, by=fac, bottom_line="Ours.", recommended=option(workshop, "O2"))
    entry = HistoryEntry.objects.get(kind=HistoryEntry.Kind.MEMO_TEXT)
    assert (entry.user, entry.round, entry.note) == (fac, 1, "bottom line written; recommends O2")
    assert Workshop.objects.get(pk=workshop.pk).revision == before + 1
    write(workshop, by=fac, bottom_line="Ours.", recommended=option(workshop, "O2"))  # the same
    assert HistoryEntry.objects.filter(kind=HistoryEntry.Kind.MEMO_TEXT).count() == 1
    assert Workshop.objects.get(pk=workshop.pk).revision == before + 1
    write(workshop, by=fac)
    assert HistoryEntry.objects.filter(kind=HistoryEntry.Kind.MEMO_TEXT).last().note == (
        "bottom line drafted again; recommends the first-ranked option")
    assert MemoText.objects.get().drafted == {}


# --- another option than the ranking's first -------------------------------------------------

def test_a_recommendation_other_than_the_first_says_so_with_the_ranking(workshop):
    write(workshop, recommended=option(workshop, "O3"))
    workshop.refresh_from_db()
    context = memo_context(workshop)
    said = ("The weighted comparison ranks O1 first (85 out of 100) and O3 third "
            "(25 out of 100).")
    assert context["recommendations"][0]["option"] == "O3"
    assert context["recommendations"][0]["differs"] == said
    assert context["bluf"].startswith(
        f"The team recommends O3, Option 3. {said} No single criterion")
    assert context["parts"]["reasoning"]["drafted"] == ""  # the team's to write
    assert context["recommendations"][0]["who"] == ""
    pdf = pdf_text(memo_pdf(workshop).content)
    assert "That you approve O3, Option 3." in pdf
    assert pdf.count(said) == 1  # in the drafted bottom line, just above the recommendation
    assert "Recommendations: the team is split" not in pdf


def test_the_ranking_is_said_even_when_the_bottom_line_is_written(workshop):
    write(workshop, recommended=option(workshop, "O2"), bottom_line="Approve O2.")
    workshop.refresh_from_db()
    html = memo_html(workshop)
    assert ('<p class="who differs">The weighted comparison ranks O1 first (85 out of 100) and '
            "O2 second (60 out of 100).</p>") in html


def test_naming_the_first_option_changes_nothing(workshop):
    before = memo_context(workshop)
    write(workshop, recommended=option(workshop, "O1"))
    workshop.refresh_from_db()
    after = memo_context(workshop)
    assert after["bluf"] == before["bluf"]
    assert after["recommendations"] == before["recommendations"]


# --- stale ------------------------------------------------------------------------------------

def test_written_text_is_marked_stale_once_the_result_changes(workshop):
    write(workshop, bottom_line="O1 by a mile.", reasoning="")
    workshop.refresh_from_db()
    assert not memo_context(workshop)["parts"]["bottom_line"]["stale"]
    before = memo_context(workshop)["parts"]["bottom_line"]["drafted"]
    Score.objects.filter(workshop=workshop, option__code="O2").update(value=10)
    workshop.bump()
    workshop.refresh_from_db()
    part = memo_context(workshop)["parts"]["bottom_line"]
    assert part["stale"] and part["against"] == before and part["drafted"] != before
    html = memo_html(workshop)
    assert "<strong>Written, stale.</strong> Bottom line: written by the facilitator when the " \
           "result said “The team recommends O1" in html
    assert "the result has changed since" in html
    assert "<p><strong id=\"bluf-h\">Bottom line.</strong> O1 by a mile.</p>" in html
    # Writing the part again dates it against today's result.
    write(workshop, bottom_line="O2 after all.")
    workshop.refresh_from_db()
    assert not memo_context(workshop)["parts"]["bottom_line"]["stale"]


# --- per round and locked ---------------------------------------------------------------------

def test_words_are_kept_per_round(workshop):
    write(workshop, bottom_line="Round one's words.", recommended=option(workshop, "O2"))
    set_status(workshop.pk, Workshop.Status.CLOSED)
    start_next_round(workshop.pk)
    workshop.refresh_from_db()
    context = memo_context(workshop)
    assert not context["parts"]["bottom_line"]["written"]
    assert context["recommendations"][0]["option"] == "O1"
    assert "Round one's words." not in memo_html(workshop)
    assert earlier_texts(workshop, 2).bottom_line == "Round one's words."
    write(workshop, bottom_line="Round two's words.")
    assert list(MemoText.objects.order_by("round").values_list("round", "bottom_line")) == [
        (1, "Round one's words."), (2, "Round two's words.")]


def test_a_stale_round_is_refused(workshop):
    parts = drafted(workshop)
    start_next_round(workshop.pk)
    with pytest.raises(ActionRefused, match="Round 2 has started"):
        set_memo_text(workshop.pk, 1, texts={"bottom_line": "Late."}, drafted=parts,
                      recommended=None)
    assert not MemoText.objects.exists()


def test_a_locked_workshop_refuses_new_words(workshop):
    write(workshop, bottom_line="Before the lock.")
    set_status(workshop.pk, Workshop.Status.LOCKED)
    with pytest.raises(ActionRefused, match="locked"):
        write(workshop, bottom_line="After the lock.")
    assert MemoText.objects.get().bottom_line == "Before the lock."
    workshop.refresh_from_db()
    assert "Before the lock." in memo_html(workshop)
