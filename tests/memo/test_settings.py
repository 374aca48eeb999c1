"""The facilitator's memo settings: the sign-off lines parsed with a message per faulty line,
the drafted lines kept where a field is empty, the saved lines in the next memo's HTML, PDF
and Word copy, and a locked workshop's memo left as it was."""
import datetime
import io

import docx
import lxml.html
import pypdf
import pytest
from django.core.exceptions import ValidationError

from policy.memo.content import memo_context
from policy.memo.document import memo_html, memo_pdf
from policy.memo.forms import MemoSettingsForm, parse_signoffs, signoff_lines
from policy.memo.word import memo_docx
from policy.models import HistoryEntry, MemoSettings, Workshop
from policy.models.workshop import DEFAULT_HANDLING
from policy.workshops.actions import ActionRefused, set_memo_settings
from tests.factories import make_case, make_workshop, score

pytestmark = pytest.mark.django_db

SETTINGS = {
    "handling": "SECRET//NOFORN",
    "addressee": "THE SECRETARY",
    "from_line": "S/P – Jane Doe, Director",
    "subject": "Central Asia: which way now",
    "decision_deadline": datetime.date(2026, 12, 15),
    "drafted_by": [{"name": "Jane Doe", "office": "S/P", "date": "2026-11-30"}],
    "cleared_by": [
        {"name": "Pat Jones", "office": "EUR/CARC", "date": "2026-12-01"},
        {"name": "Sam Lee", "office": "L", "date": ""},
    ],
}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(), analysts=2)
    score(ws, "ana1", "O1", "C1", 7, "Because.")
    score(ws, "ana2", "O1", "C1", 5, "Not so sure.")
    score(ws, "ana1", "O2", "C1", 3, "Weak.")
    return ws


# --- the sign-off lines -----------------------------------------------------------------------

def test_signoff_lines_parse_into_rows_in_order():
    text = "Jane Doe; S/P; 2026-11-30\n\n  Pat Jones ; EUR/CARC \nSam Lee; ; 12/01/2026\n"
    assert parse_signoffs(text) == [
        {"name": "Jane Doe", "office": "S/P", "date": "2026-11-30"},
        {"name": "Pat Jones", "office": "EUR/CARC", "date": ""},
        {"name": "Sam Lee", "office": "", "date": "2026-12-01"},
    ]


def test_each_faulty_line_is_named_by_its_number():
    text = "Jane Doe; S/P; 2026-11-30\n; S/P\nPat; L; 2026-13-45\nA; B; C; D"
    with pytest.raises(ValidationError) as error:
        parse_signoffs(text)
    assert error.value.messages == [
        "Line 2: start the line with a name.",
        "Line 3: “2026-13-45” is not a date; write it as 2026-11-30.",
        "Line 4: write at most three parts, name; office; date (this line has 4).",
    ]


def test_signoff_lines_round_trip_through_the_form_text():
    rows = SETTINGS["cleared_by"] + [{"name": "Kim", "office": "", "date": "2026-12-02"}]
    assert signoff_lines(rows) == "Pat Jones; EUR/CARC; 2026-12-01\nSam Lee; L\nKim; ; 2026-12-02"
    assert parse_signoffs(signoff_lines(rows)) == rows


def test_form_refuses_control_characters_and_too_many_lines():
    form = MemoSettingsForm({
        "addressee": "THE \x1b[31mSECRETARY", "drafted_by": "\n".join(["A; B"] * 13),
    })
    assert not form.is_valid()
    assert form.errors["addressee"] == ["Remove the control characters from this text."]
    assert form.errors["drafted_by"] == ["Give at most 12 lines (this has 13)."]


def test_drafted_lines_escape_in_the_help_texts(workshop):
    case = workshop.case
    case.decider = "<b>Boss</b>"
    case.save()
    form = MemoSettingsForm(drafted=memo_context(workshop)["drafted"])
    assert "&lt;b&gt;Boss&lt;/b&gt;" in str(form.fields["addressee"].help_text)
    assert "<b>" not in str(form.fields["addressee"].help_text)


# --- the context ------------------------------------------------------------------------------

def test_empty_settings_keep_the_drafted_lines(workshop):
    context = memo_context(workshop, today=datetime.date(2026, 11, 30))
    assert context["memo_for"] == "the principal (The team)"
    assert context["handling"] == DEFAULT_HANDLING
    assert context["drafted_lines"] == ["fac, November 30, 2026"]
    assert context["cleared_lines"] == []
    assert context["decide_by"] is None
    assert context["drafted"]["memo_for"] == context["memo_for"]


def test_saved_settings_replace_the_drafted_lines(workshop):
    set_memo_settings(workshop.pk, **SETTINGS)
    workshop.refresh_from_db()
    context = memo_context(workshop)
    assert (context["memo_for"], context["from_line"], context["subject"], context["handling"]) == (
        "THE SECRETARY", "S/P – Jane Doe, Director", "Central Asia: which way now",
        "SECRET//NOFORN",
    )
    assert context["drafted_lines"] == ["Jane Doe, S/P, November 30, 2026"]
    assert context["cleared_lines"] == ["Pat Jones, EUR/CARC, December 1, 2026", "Sam Lee, L"]
    assert context["decide_by"] == datetime.date(2026, 12, 15)
    assert context["drafted"]["memo_for"] == "the principal (The team)"


def test_saving_bumps_the_revision_and_an_empty_marking_falls_back(workshop):
    before = Workshop.objects.get(pk=workshop.pk).revision
    set_memo_settings(workshop.pk, **{**SETTINGS, "handling": ""})
    workshop.refresh_from_db()
    assert workshop.revision == before + 1
    assert workshop.handling == DEFAULT_HANDLING
    assert MemoSettings.objects.get(workshop=workshop).addressee == "THE SECRETARY"


def test_saving_is_in_the_history_and_saving_the_same_again_writes_nothing(workshop):
    fac = workshop.memberships.get(role="facilitator").user
    set_memo_settings(workshop.pk, by=fac, **SETTINGS)
    revision = Workshop.objects.get(pk=workshop.pk).revision
    set_memo_settings(workshop.pk, by=fac, **SETTINGS)
    assert Workshop.objects.get(pk=workshop.pk).revision == revision
    [entry] = HistoryEntry.objects.filter(workshop=workshop, kind="memo_lines")
    assert entry.user == fac
    assert entry.note == ("addressee, from line, subject, decision deadline, drafted by, "
                          "cleared by, handling")


def test_a_locked_workshops_memo_settings_cannot_change(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.LOCKED)
    with pytest.raises(ActionRefused, match="locked"):
        set_memo_settings(workshop.pk, **SETTINGS)
    assert not MemoSettings.objects.exists()
    assert Workshop.objects.get(pk=workshop.pk).handling == DEFAULT_HANDLING


# --- the next memo, in each of its forms ------------------------------------------------------

def test_the_next_memo_prints_the_settings_in_html_pdf_and_word(workshop):
    first = memo_pdf(workshop)
    set_memo_settings(workshop.pk, **SETTINGS)
    workshop.refresh_from_db()
    memo = memo_pdf(workshop)
    assert not memo.cached and memo.content != first.content  # the cache knows of the change

    body = lxml.html.document_fromstring(memo_html(workshop)).find("body")
    html = flat(" ".join(body.itertext()))
    pdf = pypdf.PdfReader(io.BytesIO(memo.content))
    pdf_text = flat("\n".join(page.extract_text() for page in pdf.pages))
    _, _, content = memo_docx(workshop)
    document = docx.Document(io.BytesIO(content))
    word_text = flat("\n".join(p.text for p in document.paragraphs))

    assert "Action memo for THE SECRETARY" in html
    assert "ACTION MEMO FOR THE SECRETARY" in pdf_text  # upper-cased by the stylesheet
    assert "Action memo for THE SECRETARY" in word_text
    for text in (html, pdf_text, word_text):
        assert "S/P – Jane Doe, Director" in text
        assert "Central Asia: which way now" in text
        assert "Decision needed by December 15, 2026" in text
        assert "Drafted: Jane Doe, S/P, November 30, 2026" in text
        assert "Cleared: Pat Jones, EUR/CARC, December 1, 2026 Sam Lee, L" in text
    # The marking heads and foots every page of the PDF and every page of the Word copy.
    assert [page.extract_text().count("SECRET//NOFORN") for page in pdf.pages] == [2] * len(
        pdf.pages)
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "SECRET//NOFORN"
    assert section.footer.paragraphs[0].text == "SECRET//NOFORN"
