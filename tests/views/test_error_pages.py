"""Error pages in the site's layout, with the reason and a way back."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import make_case, make_user, make_workshop, score

pytestmark = pytest.mark.django_db
User = get_user_model()
LAYOUT = '<a class="brand" href="/">Options Room</a>'


@pytest.fixture
def workshop():
    ws = make_workshop(make_case(), analysts=1)
    score(ws, "ana1", "O1", "C1", 5)
    return ws


def test_a_403_says_why_and_leads_back_to_the_workshop(client, workshop):
    client.force_login(User.objects.get(username="ana1"))
    response = client.get(reverse("workshop_results", args=[workshop.pk]))
    body = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in body
    assert "The facilitator has not revealed the group&#x27;s scores yet." in body
    assert f'<a class="button" href="/workshops/{workshop.pk}/">Back to the workshop</a>' in body


def test_a_404_is_in_the_layout_and_leads_home(client, workshop):
    client.force_login(make_user("stranger"))
    response = client.get(reverse("workshop_detail", args=[workshop.pk]))
    body = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in body and "<h1>Page not found</h1>" in body
    assert 'href="/">Go to the home page</a>' in body
    assert "Back to the workshop" not in body  # an outsider has no workshop to go back to


def test_a_400_is_in_the_layout(client):
    response = client.get("/", HTTP_HOST="not-this-site.example")
    assert response.status_code == 400
    assert LAYOUT in response.content.decode()
    assert "This request could not be understood" in response.content.decode()


@pytest.mark.urls("tests.views.error_urls")
def test_a_500_is_in_the_layout(workshop):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="ana1"))
    response = client.get("/fail/")
    body = response.content.decode()
    assert response.status_code == 500
    assert LAYOUT in body and "Something went wrong on our side" in body
    assert "a bug" not in body  # the error itself is for the log, not the page


def test_an_expired_form_says_so(workshop):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="fac"))
    response = client.post(reverse("workshop_status", args=[workshop.pk]), {"status": "closed"})
    assert response.status_code == 403
    body = response.content.decode()
    assert LAYOUT in body and "This form has expired" in body


def test_members_reach_the_results_from_the_workshop_page_once_revealed(client, workshop):
    client.force_login(User.objects.get(username="ana1"))
    link = f'href="{reverse("workshop_results", args=[workshop.pk])}"'
    assert link not in client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
    workshop.revealed = True
    workshop.save()
    assert link in client.get(reverse("workshop_detail", args=[workshop.pk])).content.decode()
