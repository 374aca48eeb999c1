"""Copying a case: the shipped case (no owner) becomes a case the user owns and edits."""
import pytest
from django.urls import reverse

from policy.permissions import can_edit_case as can_edit
from policy.cases.casefile import export_case, import_case, load_file
from policy.cases.copying import copy_case
from policy.models import Case
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    return import_case(load_file("fixtures/central-asia-2012.json"))


def test_copy_has_every_part_and_its_copier_as_only_owner(shipped):
    user = make_user("writer")
    copy = copy_case(user, shipped)
    assert copy.slug == "central-asia-2012-copy"
    assert copy.title == f"{shipped.title} (copy)"
    original, copied = export_case(shipped), export_case(copy)
    for document in (original, copied):
        document.pop("slug"), document.pop("title")
    assert copied == original
    assert list(copy.owners.all()) == [user] and not copy.editors.exists()
    assert can_edit(user, copy) and not can_edit(user, shipped)
    assert not shipped.owners.exists()  # the original is untouched


def test_second_copy_gets_a_free_slug(shipped):
    user = make_user("writer")
    assert [copy_case(user, shipped).slug for _ in range(3)] == [
        "central-asia-2012-copy", "central-asia-2012-copy-2", "central-asia-2012-copy-3"]


def test_copy_button_makes_the_copy_and_opens_its_editor(client, shipped):
    user = make_user("writer")
    client.force_login(user)
    page = client.get(reverse("case_detail", args=[shipped.slug])).content.decode()
    assert "Copy into a new case of mine" in page
    response = client.post(reverse("case_copy", args=[shipped.slug]), follow=True)
    copy = Case.objects.get(slug="central-asia-2012-copy")
    assert response.redirect_chain[-1][0] == reverse("case_edit", args=[copy.slug])
    assert "you own it and may edit it" in response.content.decode()
    assert copy.owners.get() == user


def test_copy_needs_a_signed_in_user_and_a_post(client, shipped):
    response = client.post(reverse("case_copy", args=[shipped.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user("writer"))
    assert client.get(reverse("case_copy", args=[shipped.slug])).status_code == 405
    assert client.post(reverse("case_copy", args=["no-such-case"])).status_code == 404
    assert Case.objects.count() == 1
