"""Make a fresh install usable at once: the shipped case and a demo facilitator account.

Run by `make run`; safe to run again (it creates only what is missing).
"""
from io import StringIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from policy.cases.casefile import import_case, load_file
from policy.models import Case, Workshop

DEMO_CASE = settings.BASE_DIR / "fixtures" / "central-asia-2012.json"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-facilitator"


class Command(BaseCommand):
    help = "Import the Central Asia case and create the demo facilitator account if missing."

    def handle(self, *args, **options):
        document = load_file(DEMO_CASE)
        if not Case.objects.filter(slug=document["slug"]).exists():
            case = import_case(document)
            self.stdout.write(f"Imported the case “{case.title}”.")
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USERNAME)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not user.memberships.exists():
            # Something to look at straight away: six synthetic analysts' scores, revealed.
            # demo_workshop prints the new workshop's id for scripts; nobody here needs it.
            call_command("demo_workshop", document["slug"], analysts=6, seed=1, stdout=StringIO())
            Workshop.objects.filter(memberships__user=user).update(revealed=True)
        self.stdout.write(
            self.style.SUCCESS(
                "\nThe demo is ready: serve it (`make run` does) and open http://127.0.0.1:8000/\n"
                f"Log in as “{DEMO_USERNAME}” with the password “{DEMO_PASSWORD}”"
                + (" (created now)." if created else " (it already existed; its password is unchanged).")
            )
        )
