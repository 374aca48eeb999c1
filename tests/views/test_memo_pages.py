"""The memo's pages beside the PDF: the facilitator's settings page (a plain form, and htmx),
the preview in the site, the Word download, and the `memo` command's .docx output; who may
see each; hostile text shown as text in the preview, the PDF and the Word copy."""
import io
import re
from html import unescape

import docx
import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from policy.models import MemoSettings, Membership, Workshop
from policy.models.workshop import DEFAULT_HANDLING
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HOSTILE = '<script>alert("x")</script>'
FORM = {
    "addressee": "THE SECRETARY", "from_line": "S/P – Jane Doe", "subject": "Which way now",
    "handling": "CONFIDENTIAL//REL TO USA", "decision_deadline": "2026-12-15",
    "drafted_by": "Jane Doe; S/P; 2026-11-30",
    "cleared_by": "Pat Jones; EUR/CARC; 2026-12-01\nSam Lee; L",
}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def workshop():
    """Scores hidden until the facilitator reveals (the default)."""
    ws = make_workshop(make_case(), analysts=2)
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    make_user("outsider")
    score(ws, "ana1", "O1", "C1", 7, "Because.")
    score(ws, "ana2", "O1", "C1", 3, "Not so.")
    return ws


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def url(ws, name):
    return reverse(name, args=[ws.pk])


def reveal(ws):
    Workshop.objects.filter(pk=ws.pk).update(revealed=True)


def pdf_text(content: bytes) -> str:
    return flat("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages))


def docx_text(content: bytes) -> str:
    return flat("\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs))


# --- who may ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["workshop_memo_settings", "workshop_memo_preview",
                                  "workshop_memo_docx"])
def test_outsiders_get_404_and_anonymous_visitors_the_login(client, workshop, name):
    response = client.get(url(workshop, name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert login(client, "outsider").get(url(workshop, name)).status_code == 404
    assert client.post(url(workshop, "workshop_memo_settings"), FORM).status_code == 404
    assert not MemoSettings.objects.exists()


@pytest.mark.parametrize("username", ["ana1", "obs"])
def test_only_the_facilitator_has_the_settings_page(client, workshop, username):
    reveal(workshop)
    login(client, username)
    assert client.get(url(workshop, "workshop_memo_settings")).status_code == 403
    assert client.post(url(workshop, "workshop_memo_settings"), FORM, **HTMX).status_code == 403
    assert not MemoSettings.objects.exists()
    assert Workshop.objects.get(pk=workshop.pk).handling == DEFAULT_HANDLING


@pytest.mark.parametrize("username", ["ana1", "obs"])
def test_preview_and_word_copy_follow_the_reveal_like_the_pdf(client, workshop, username):
    login(client, username)
    assert client.get(url(workshop, "workshop_memo_preview")).status_code == 403
    assert client.get(url(workshop, "workshop_memo_docx")).status_code == 403
    reveal(workshop)
    preview = client.get(url(workshop, "workshop_memo_preview"))
    assert preview.status_code == 200 and "Action memo for the principal" in preview.text
    word = client.get(url(workshop, "workshop_memo_docx"))
    assert word["Content-Type"] == DOCX
    assert "Action memo for the principal (The team)" in docx_text(word.content)


def test_the_links_show_to_those_who_may_follow_them(client, workshop):
    page = url(workshop, "workshop_detail")
    body = login(client, "fac").get(page).text
    for name in ("workshop_memo_preview", "workshop_memo_docx", "workshop_memo_settings"):
        assert f'href="{url(workshop, name)}"' in body
    reveal(workshop)
    body = login(client, "ana1").get(page).text
    assert f'href="{url(workshop, "workshop_memo_docx")}"' in body
    assert f'href="{url(workshop, "workshop_memo_preview")}"' in body
    assert url(workshop, "workshop_memo_settings") not in body


# --- the settings page ----------------------------------------------------------------------

def test_settings_page_shows_the_drafted_lines_an_empty_field_keeps(client, workshop):
    body = login(client, "fac").get(url(workshop, "workshop_memo_settings")).text
    assert "Empty prints the drafted line: “the principal (The team)”." in body
    assert f'value="{DEFAULT_HANDLING}"' in body
    assert 'hx-post="%s"' % url(workshop, "workshop_memo_settings") in body


def test_saving_without_htmx_stores_and_redirects(client, workshop):
    login(client, "fac")
    response = client.post(url(workshop, "workshop_memo_settings"), FORM)
    assert response.status_code == 302
    assert response["Location"] == url(workshop, "workshop_memo_settings")
    saved = MemoSettings.objects.get(workshop=workshop)
    assert (saved.addressee, saved.from_line, saved.subject, str(saved.decision_deadline)) == (
        "THE SECRETARY", "S/P – Jane Doe", "Which way now", "2026-12-15")
    assert saved.cleared_by == [{"name": "Pat Jones", "office": "EUR/CARC", "date": "2026-12-01"},
                                {"name": "Sam Lee", "office": "L", "date": ""}]
    assert Workshop.objects.get(pk=workshop.pk).handling == "CONFIDENTIAL//REL TO USA"
    page = client.get(response["Location"]).text
    assert "Memo settings saved" in page
    assert "Pat Jones; EUR/CARC; 2026-12-01\nSam Lee; L</textarea>" in page


def test_saving_with_htmx_swaps_the_form_with_its_saved_state(client, workshop):
    response = login(client, "fac").post(url(workshop, "workshop_memo_settings"), FORM, **HTMX)
    assert response.status_code == 200
    body = response.text
    assert body.lstrip().startswith('<form id="memo-settings-form"')
    assert "Memo settings saved" in body and 'value="THE SECRETARY"' in body
    assert "<html" not in body
    assert MemoSettings.objects.get(workshop=workshop).addressee == "THE SECRETARY"


def test_faulty_lines_are_named_and_nothing_is_saved(client, workshop):
    login(client, "fac")
    bad = {**FORM, "cleared_by": "Pat Jones; EUR; 2026-12-01\n; L\nSam; L; someday",
           "from_line": "A\x00B"}
    response = client.post(url(workshop, "workshop_memo_settings"), bad)
    assert response.status_code == 400
    body = unescape(response.text)
    assert "Line 2: start the line with a name." in body
    assert "Line 3: “someday” is not a date; write it as 2026-11-30." in body
    assert "Remove the control characters from this text." in body
    assert not MemoSettings.objects.exists()
    htmx = client.post(url(workshop, "workshop_memo_settings"), bad, **HTMX)
    assert htmx.status_code == 200  # htmx swaps only 2xx: the errors show in place
    assert "Line 2: start the line with a name." in htmx.text
    assert not MemoSettings.objects.exists()


def test_a_locked_workshops_settings_are_shown_but_not_saved(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.LOCKED)
    login(client, "fac")
    page = client.get(url(workshop, "workshop_memo_settings")).text
    assert "its settings cannot change" in page and "Save memo settings" not in page
    response = client.post(url(workshop, "workshop_memo_settings"), FORM)
    assert "The workshop is locked: its memo is a record and cannot change." in response.text
    assert not MemoSettings.objects.exists()


# --- the preview, the PDF and the Word copy say the same ---------------------------------------

def bluf(page: str) -> str:
    match = re.search(r'<section class="bluf"[^>]*>\s*<p>(.*?)</p>', page, re.S)
    return flat(unescape(re.sub(r"<[^>]+>", "", match.group(1))))


def test_the_preview_shows_the_pdfs_bottom_line_and_settings(client, workshop):
    login(client, "fac").post(url(workshop, "workshop_memo_settings"), FORM)
    page = client.get(url(workshop, "workshop_memo_preview")).text
    pdf = pdf_text(client.get(url(workshop, "workshop_memo")).content)
    line = bluf(page)
    assert line.startswith("Bottom line. ") and len(line) > 40
    assert line in pdf
    for text in ("THE SECRETARY", "Decision needed by December 15, 2026",
                 "Cleared: Pat Jones, EUR/CARC, December 1, 2026"):
        assert text in flat(unescape(re.sub(r"<[^>]+>", "", page)))
    # The marking heads and foots the preview as it does each page; the site's own page and
    # stylesheet stay, the memo's print stylesheet and @page rule do not come in.
    assert page.count("CONFIDENTIAL//REL TO USA") == 2
    assert 'class="memo-preview"' in page and "css/memo-preview.css" in page
    assert "memo.css" not in page.replace("memo-preview.css", "") and "@page" not in page
    assert "<style" not in page and " style=" not in page


def test_markup_in_the_addressee_is_text_in_preview_pdf_and_word(client, workshop):
    login(client, "fac").post(url(workshop, "workshop_memo_settings"),
                              {**FORM, "addressee": HOSTILE})
    page = client.get(url(workshop, "workshop_memo_preview")).text
    assert HOSTILE not in page
    assert "Action memo for &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'ACTION MEMO FOR <SCRIPT>ALERT("X")</SCRIPT>' in pdf_text(
        client.get(url(workshop, "workshop_memo")).content)
    word = client.get(url(workshop, "workshop_memo_docx"))
    assert f"Action memo for {HOSTILE}" in docx_text(word.content)


def test_the_word_download_is_an_attachment_named_for_the_revision(client, workshop):
    response = login(client, "fac").get(url(workshop, "workshop_memo_docx"))
    revision = Workshop.objects.get(pk=workshop.pk).revision
    assert response["Content-Disposition"] == (
        f'attachment; filename="memo-{workshop.pk}-workshop-on-tiny-r{revision}.docx"')
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"PK")  # a zip, as every .docx is


# --- the command --------------------------------------------------------------------------------

def test_command_writes_the_word_copy_by_its_suffix(workshop, tmp_path, capsys):
    target = tmp_path / "memo.docx"
    call_command("memo", str(workshop.pk), "-o", str(target))
    assert "Word document" in capsys.readouterr().out
    assert "Action memo for the principal (The team)" in docx_text(target.read_bytes())
    with pytest.raises(CommandError, match="Name the output FILE.pdf or FILE.docx"):
        call_command("memo", str(workshop.pk), "-o", str(tmp_path / "memo.txt"))
