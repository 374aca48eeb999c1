"""python manage.py memo WORKSHOP_ID -o FILE.pdf: the workshop's memo, as members download it."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from policy.memo.document import MemoRenderError, memo_html, memo_pdf
from policy.models import Workshop
from policy.scoring import ScoringError


class Command(BaseCommand):
    help = "Write a workshop's action memo as a PDF (from the cache when nothing changed)."

    def add_arguments(self, parser):
        parser.add_argument("workshop_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--no-cache", action="store_true", help="Render afresh even if a cached memo exists."
        )
        parser.add_argument("--html", help="Also write the HTML WeasyPrint lays out to this file.")

    def handle(self, *args, workshop_id, output, no_cache, html, **options):
        try:
            workshop = Workshop.objects.select_related("case").get(pk=workshop_id)
        except Workshop.DoesNotExist:
            raise CommandError(f"There is no workshop {workshop_id}.") from None
        try:
            if html:
                Path(html).write_text(memo_html(workshop), encoding="utf-8")
            memo = memo_pdf(workshop, use_cache=not no_cache)
        except (MemoRenderError, ScoringError) as error:
            raise CommandError(str(error)) from None
        target = Path(output)
        try:
            target.write_bytes(memo.content)
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror}.") from None
        source = "from the cache" if memo.cached else "rendered"
        self.stdout.write(
            f"Wrote {target} ({memo.pages} pages, {len(memo.content) // 1024} KB, {source})."
        )
