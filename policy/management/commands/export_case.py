"""`export_case SLUG [-o FILE] [--with-workshops]`: write a case file (JSON) to stdout or FILE."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from policy.cases.casefile import dumps, export_case
from policy.models import Case


class Command(BaseCommand):
    help = "Export a case as a case file (JSON); with --with-workshops, a full backup."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the case's slug")
        parser.add_argument("-o", "--output", help="write to this file instead of stdout")
        parser.add_argument(
            "--with-workshops",
            action="store_true",
            help="include the case's workshops, members, weights and scores",
        )

    def handle(self, *args, **options):
        slug = options["slug"]
        case = Case.objects.filter(slug=slug).first()
        if case is None:
            raise CommandError(f"No case has the slug {slug!r}.")
        text = dumps(export_case(case, with_workshops=options["with_workshops"]))
        output = options["output"]
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        self.stdout.write(f"Wrote {slug} to {output}.")
