"""A join link survives log-in and sign-up: the new analyst lands in the workshop."""
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from policy.models import Membership
from policy.workshops import actions
from tests.factories import make_case, make_user, make_workshop

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-long-Passphrase-9"


@pytest.fixture
def join_url():
    workshop = make_workshop(make_case(), analysts=0, title="Central Asia review")
    return reverse("workshop_join", args=[actions.new_join_token(workshop.pk)])


def link(body: str, text: str) -> str:
    [href] = re.findall(rf'<a href="([^"]+)">{text}</a>', body)
    return html.unescape(href)


def test_signing_up_from_a_join_link_makes_a_member_on_the_workshop_page(client, join_url):
    login_url = client.get(join_url)["Location"]
    assert login_url == f"{reverse('login')}?next={join_url}"
    signup_url = link(client.get(login_url).content.decode(), "Sign up")
    form = client.get(signup_url).content.decode()
    assert "you join “Central Asia review” as an analyst" in form
    response = client.post(signup_url, {
        "username": "newanalyst", "password1": PASSWORD, "password2": PASSWORD,
        "next": join_url,
    }, follow=True)
    membership = Membership.objects.get(user__username="newanalyst")
    assert (membership.workshop.title, membership.role) == ("Central Asia review", "analyst")
    workshop_url = reverse("workshop_detail", args=[membership.workshop_id])
    assert response.redirect_chain[-1][0] == workshop_url
    body = response.content.decode()
    assert "<h1>Central Asia review</h1>" in body and "You joined “Central Asia review”." in body
    assert "You are in no workshop yet" not in body


def test_logging_in_from_a_join_link_returns_to_it(client, join_url):
    make_user("ana", PASSWORD)
    login_url = client.get(join_url)["Location"]
    response = client.post(login_url, {"username": "ana", "password": PASSWORD, "next": join_url})
    assert response["Location"] == join_url
    client.post(join_url)
    assert Membership.objects.get(user__username="ana").role == "analyst"


def test_the_sign_up_page_links_back_to_log_in_with_the_join_link(client, join_url):
    body = client.get(reverse("signup"), {"next": join_url}).content.decode()
    assert f'<a href="{reverse("login")}?next={join_url}">Log in</a>' in body


@pytest.mark.parametrize("next_url", ["https://evil.example/join/x/", "//evil.example/"])
def test_an_off_site_next_is_dropped(client, next_url):
    body = client.get(reverse("signup"), {"next": next_url}).content.decode()
    assert "evil.example" not in body
    response = client.post(reverse("signup") + "?next=" + next_url, {
        "username": "newanalyst", "password1": PASSWORD, "password2": PASSWORD, "next": next_url,
    })
    assert response["Location"] == reverse("home")
    assert User.objects.filter(username="newanalyst").exists()


def test_a_revoked_join_link_still_signs_up_without_joining(client, join_url):
    workshop_id = Membership.objects.get(user__username="fac").workshop_id
    actions.revoke_join_token(workshop_id)
    response = client.post(reverse("signup"), {
        "username": "newanalyst", "password1": PASSWORD, "password2": PASSWORD, "next": join_url,
    })
    assert not Membership.objects.filter(user__username="newanalyst").exists()
    assert response["Location"] == join_url  # which now says the link is gone (404)
