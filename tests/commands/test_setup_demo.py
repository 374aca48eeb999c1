import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from policy.models import Case, Membership, Score


@pytest.mark.django_db
def test_setup_demo_makes_case_account_and_workshop_once():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    call_command("setup_demo", stdout=io.StringIO())  # a second run adds nothing
    assert list(Case.objects.values_list("slug", flat=True)) == ["central-asia-2012"]
    assert authenticate(username="demo", password="demo-facilitator") is not None
    membership = Membership.objects.get(user__username="demo")
    assert membership.role == "facilitator" and membership.workshop.revealed
    assert Score.objects.filter(workshop=membership.workshop).values("analyst").distinct().count() == 6
    assert "Log in as “demo” with the password “demo-facilitator”" in out.getvalue()


@pytest.mark.django_db
def test_setup_demo_prints_only_sentences_and_starts_nothing():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    # The workshop id demo_workshop prints for scripts is no sentence for a person.
    assert not any(line.strip().isdigit() for line in lines)
    assert "is starting" not in out.getvalue()
    assert "The demo is ready" in out.getvalue()
