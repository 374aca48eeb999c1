"""Downloading the memo: who may, the cache (a second download renders nothing), the htmx
prepare step, the time limit, and the `memo` command."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from policy.memo import document
from policy.models import MemoPDF, Membership, Workshop
from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def workshop():
    """Scores hidden until the facilitator reveals (the default)."""
    ws = make_workshop(make_case(), analysts=2)
    Membership.objects.create(workshop=ws, user=make_user("obs"), role=Membership.Role.OBSERVER)
    make_user("outsider")
    score(ws, "ana1", "O1", "C1", 7, "Because.")
    score(ws, "ana2", "O1", "C1", 3, "Not so.")
    return ws


@pytest.fixture
def renders(monkeypatch):
    """Count the renders memo_pdf asks for, still rendering for real."""
    calls = []
    real = document.render_memo

    def counting(workshop):
        calls.append(workshop.pk)
        return real(workshop)

    monkeypatch.setattr(document, "render_memo", counting)
    return calls


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def url(ws, name="workshop_memo"):
    return reverse(name, args=[ws.pk])


def reveal(ws):
    Workshop.objects.filter(pk=ws.pk).update(revealed=True)


# --- who may download ---------------------------------------------------------------------

def test_anonymous_visitor_is_sent_to_login(client, workshop):
    response = client.get(url(workshop))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(url(workshop, "workshop_memo_prepare")).status_code == 302


def test_non_member_gets_404(client, workshop, renders):
    login(client, "outsider")
    assert client.get(url(workshop)).status_code == 404
    assert client.post(url(workshop, "workshop_memo_prepare"), **HTMX).status_code == 404
    assert renders == []


@pytest.mark.parametrize("username", ["ana1", "obs"])
def test_members_get_403_before_the_reveal(client, workshop, renders, username):
    login(client, username)
    assert client.get(url(workshop)).status_code == 403
    assert client.post(url(workshop, "workshop_memo_prepare"), **HTMX).status_code == 403
    assert renders == []


def test_facilitator_downloads_before_the_reveal(client, workshop):
    response = login(client, "fac").get(url(workshop))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="memo-{workshop.pk}-workshop-on-tiny-r{workshop.revision}.pdf"'
    )


@pytest.mark.parametrize("username", ["ana1", "obs"])
def test_members_download_after_the_reveal(client, workshop, username):
    reveal(workshop)
    response = login(client, username).get(url(workshop))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_download_link_shows_only_to_those_who_may_download(client, workshop):
    link, page = "Download memo (PDF)", reverse("workshop_detail", args=[workshop.pk])
    assert link in login(client, "fac").get(page).content.decode()
    assert link not in login(client, "ana1").get(page).content.decode()
    reveal(workshop)
    body = login(client, "ana1").get(page).content.decode()
    assert link in body
    assert 'hx-post="%s"' % url(workshop, "workshop_memo_prepare") in body
    assert 'id="memo-progress"' in body and "<progress" in body


# --- the cache ----------------------------------------------------------------------------

def test_second_download_of_an_unchanged_workshop_renders_nothing(client, workshop, renders):
    login(client, "fac")
    first = client.get(url(workshop))
    second = client.get(url(workshop))
    assert renders == [workshop.pk]
    assert (first["X-Memo-Cache"], second["X-Memo-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert MemoPDF.objects.filter(workshop=workshop).count() == 1


def test_a_change_to_the_workshop_renders_again_and_drops_the_old_memo(client, workshop, renders):
    login(client, "fac")
    client.get(url(workshop))
    score(workshop, "ana1", "O2", "C1", 5, "A new score.")
    workshop.bump()
    response = client.get(url(workshop))
    assert response["X-Memo-Cache"] == "miss"
    assert len(renders) == 2
    revision = Workshop.objects.get(pk=workshop.pk).revision
    assert list(MemoPDF.objects.values_list("revision", flat=True)) == [revision]


def test_a_new_memo_version_renders_again(client, workshop, renders, monkeypatch):
    login(client, "fac")
    client.get(url(workshop))
    monkeypatch.setattr(document, "MEMO_VERSION", "test-next")
    assert client.get(url(workshop))["X-Memo-Cache"] == "miss"
    assert len(renders) == 2


def test_an_edit_to_the_handling_line_renders_again(client, workshop, renders):
    login(client, "fac")
    client.get(url(workshop))
    workshop.refresh_from_db()
    workshop.handling = "SENSITIVE BUT UNCLASSIFIED"
    workshop.save()  # the revision does not move, the workshop's updated_at does
    assert client.get(url(workshop))["X-Memo-Cache"] == "miss"
    assert len(renders) == 2


# --- the htmx prepare step and the time limit -------------------------------------------------

def test_prepare_renders_then_sends_the_browser_to_the_cached_download(client, workshop, renders):
    login(client, "fac")
    response = client.post(url(workshop, "workshop_memo_prepare"), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == url(workshop)
    assert client.get(url(workshop))["X-Memo-Cache"] == "hit"
    assert renders == [workshop.pk]


def test_prepare_without_htmx_redirects(client, workshop):
    response = login(client, "fac").post(url(workshop, "workshop_memo_prepare"))
    assert response.status_code == 303
    assert response["Location"] == url(workshop)


def test_a_render_over_the_time_limit_fails_with_a_clear_message(client, workshop, settings):
    settings.MEMO_RENDER_TIMEOUT = 0.001
    login(client, "fac")
    response = client.get(url(workshop))
    assert response.status_code == 503
    assert "took longer than 0.001 seconds to render and was stopped" in response.content.decode()
    response = client.post(url(workshop, "workshop_memo_prepare"), **HTMX)
    assert response.status_code == 200  # htmx swaps the message in place
    assert 'role="alert"' in response.content.decode()
    assert "took longer than" in response.content.decode()
    assert not MemoPDF.objects.exists()


# --- the command ----------------------------------------------------------------------------

def test_command_writes_the_memo_then_reads_it_from_the_cache(workshop, tmp_path, capsys):
    target = tmp_path / "memo.pdf"
    call_command("memo", str(workshop.pk), "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF-")
    assert "rendered" in capsys.readouterr().out
    call_command("memo", str(workshop.pk), "-o", str(target))
    assert "from the cache" in capsys.readouterr().out


def test_command_refuses_an_unknown_workshop(tmp_path):
    with pytest.raises(CommandError, match="There is no workshop 999"):
        call_command("memo", "999", "-o", str(tmp_path / "memo.pdf"))


# --- the history ----------------------------------------------------------------------------

def test_each_download_is_recorded_in_the_history_with_its_format_and_revision(client, workshop):
    from policy.models import HistoryEntry

    login(client, "fac")
    client.get(url(workshop))
    client.get(url(workshop))  # cached: still a download, still recorded
    client.get(url(workshop, "workshop_memo_docx"))
    workshop.refresh_from_db()
    entries = list(HistoryEntry.objects.filter(workshop=workshop, kind="memo")
                   .order_by("id").values_list("user__username", "round", "note"))
    note = f"revision {workshop.revision}"
    assert entries == [("fac", 1, f"PDF, {note}"), ("fac", 1, f"PDF, {note}"),
                       ("fac", 1, f"Word, {note}")]
    login(client, "ana1")
    assert client.get(url(workshop)).status_code == 403  # refused before the reveal
    assert HistoryEntry.objects.filter(workshop=workshop, kind="memo").count() == 3
    login(client, "fac")
    page = client.get(reverse("workshop_history", args=[workshop.pk])).content.decode()
    assert f"Downloaded the memo: Word, {note}" in page
