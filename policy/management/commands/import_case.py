"""`import_case FILE [--replace]`: import a case file atomically, or list every error and change
nothing (exit 1)."""
from django.core.management.base import BaseCommand, CommandError

from policy.cases.casefile import CaseFileInvalid, import_case, load_file
from policy.models import Membership, Score, Weight
from policy.scoring.names import word_for

PARTS = ("sources", "principles", "actors", "events", "risks", "options", "criteria")


class Command(BaseCommand):
    help = "Import a case file (JSON). On any error, print each with its JSON path; write nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the case file, e.g. fixtures/central-asia-2012.json")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the case with the same slug (its workshops too, if the file has them)",
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            case = import_case(load_file(path), replace=options["replace"])
        except CaseFileInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            count = len(invalid.errors)
            raise CommandError(
                f"{path}: {count} {word_for(count, 'error')}; nothing was imported."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported “{case.title}” ({case.slug}): {summary(case)}.")
        )


def summary(case) -> str:
    """What the database now holds for the case, e.g. '3 options, 4 criteria, ...'."""
    counts = [(getattr(case, part).count(), part) for part in PARTS]
    workshops = case.workshops.count()
    if workshops:
        counts.append((workshops, "workshops"))
        for model in (Membership, Weight, Score):
            rows = model.objects.filter(workshop__case=case).count()
            counts.append((rows, model._meta.verbose_name_plural))
    return ", ".join(f"{n} {name}" for n, name in counts)
