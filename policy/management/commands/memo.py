"""python manage.py memo WORKSHOP_ID -o FILE.pdf (or FILE.docx): the workshop's memo, as members
download it; the file's suffix chooses the PDF or the Word copy."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from policy.memo.document import MemoRenderError, memo_html, memo_pdf
from policy.memo.word import memo_docx
from policy.models import Workshop
from policy.scoring import ScoringError


class Command(BaseCommand):
    help = ("Write a workshop's action memo as a PDF (from the cache when nothing changed), or "
            "as a Word document when the file ends in .docx.")

    def add_arguments(self, parser):
        parser.add_argument("workshop_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="The file to write: .pdf or .docx.")
        parser.add_argument(
            "--no-cache", action="store_true", help="Render afresh even if a cached memo exists."
        )
        parser.add_argument("--html", help="Also write the HTML WeasyPrint lays out to this file.")

    def handle(self, *args, workshop_id, output, no_cache, html, **options):
        try:
            workshop = Workshop.objects.select_related("case").get(pk=workshop_id)
        except Workshop.DoesNotExist:
            raise CommandError(f"There is no workshop {workshop_id}.") from None
        target = Path(output)
        if target.suffix.lower() not in (".pdf", ".docx"):
            raise CommandError(f"Name the output FILE.pdf or FILE.docx, not {target.name}.")
        try:
            if html:
                Path(html).write_text(memo_html(workshop), encoding="utf-8")
            if target.suffix.lower() == ".docx":
                _, _, content = memo_docx(workshop)
                summary = "Word document"
            else:
                memo = memo_pdf(workshop, use_cache=not no_cache)
                content = memo.content
                summary = f"{memo.pages} pages, " + ("from the cache" if memo.cached else "rendered")
        except (MemoRenderError, ScoringError) as error:
            raise CommandError(str(error)) from None
        try:
            target.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {target} ({len(content) // 1024} KB, {summary}).")
