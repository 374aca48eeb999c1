import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_signup_creates_account_and_logs_in(client):
    response = client.post(reverse("signup"), {
        "username": "newanalyst", "password1": "a-long-Passphrase-9", "password2": "a-long-Passphrase-9",
    })
    assert response.status_code == 302
    assert User.objects.filter(username="newanalyst").exists()
    assert "Signed in as <strong>newanalyst</strong>" in client.get(reverse("home")).content.decode()


def test_signup_with_mismatched_passwords_shows_error_and_creates_nothing(client):
    response = client.post(reverse("signup"), {
        "username": "x", "password1": "a-long-Passphrase-9", "password2": "different-Passphrase-9",
    })
    assert "The two password fields didn" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_password_change_requires_login_and_changes_password(client):
    assert client.get(reverse("password_change")).status_code == 302
    user = User.objects.create_user("ana", password="old-Passphrase-1")
    client.force_login(user)
    client.post(reverse("password_change"), {
        "old_password": "old-Passphrase-1",
        "new_password1": "new-Passphrase-22", "new_password2": "new-Passphrase-22",
    })
    user.refresh_from_db()
    assert user.check_password("new-Passphrase-22")


def test_login_page_renders_form_and_logs_in(client):
    User.objects.create_user("ana", password="old-Passphrase-1")
    assert 'name="username"' in client.get(reverse("login")).content.decode()
    response = client.post(reverse("login"), {"username": "ana", "password": "old-Passphrase-1"})
    assert response["Location"] == reverse("home")


def test_signup_stores_the_username_as_the_log_in_form_reads_it(client):
    # The same normalisation as log-in and the log-in limit (policy/accounts/ratelimit.py):
    # stripped and NFKC-normalised, so the name signed up is the name that logs in.
    client.post(reverse("signup"), {
        "username": " ｎｅｗ_analyst\t", "password1": "a-long-Passphrase-9",
        "password2": "a-long-Passphrase-9",
    })
    assert list(User.objects.values_list("username", flat=True)) == ["new_analyst"]
    client.logout()
    response = client.post(reverse("login"), {"username": "ｎｅｗ_analyst ",
                                              "password": "a-long-Passphrase-9"})
    assert response["Location"] == reverse("home")

