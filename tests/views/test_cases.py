"""The case page: the author's link to the editor, from the view's can_edit."""
import pytest
from django.urls import reverse

from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "shown"), [
    ("owner", True), ("editor", True), ("reader", False), ("anonymous", False),
])
def test_case_page_offers_the_editor_only_to_those_who_may_edit(client, role, shown):
    case = make_case("page")
    if role != "anonymous":
        user = make_user(role)
        client.force_login(user)
        if role in ("owner", "editor"):
            getattr(case, f"{role}s").add(user)
    response = client.get(reverse("case_detail", args=[case.slug]))
    edit_link = f'href="{reverse("case_edit", args=[case.slug])}"'
    assert (response.context["can_edit"], edit_link in response.content.decode()) == (
        shown, shown
    )
