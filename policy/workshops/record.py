"""Lock is a record (docs/design.md, Lifecycle): at lock the workshop's results, every round's,
and its memo's HTML are stored (LockedRecord); while it stays locked, workshop_result() and the
memo's PDF, preview and Word copy are made from them, whatever later happens to the case."""
from ..models import LockedRecord, Workshop
from ..scoring import ScoringError
from .results import workshop_result


def take(workshop_id: int) -> LockedRecord:
    """Store the record of a workshop being locked, in the caller's transaction (after its
    status and revision are written, so the memo says it is locked)."""
    # The memo module loads WeasyPrint: imported here, not by every importer of the actions.
    from ..memo.document import memo_html

    LockedRecord.objects.filter(workshop_id=workshop_id).delete()  # one left by a bare update
    workshop = Workshop.objects.select_related("case").get(pk=workshop_id)
    results = {}
    for round in range(1, workshop.round + 1):
        try:
            results[str(round)] = {"result": workshop_result(workshop, round, reload=False)}
        except ScoringError as error:
            results[str(round)] = {"error": str(error)}
    try:
        html, error = memo_html(workshop), ""
    except ScoringError as failure:
        html, error = "", str(failure)
    return LockedRecord.objects.create(
        workshop=workshop, revision=workshop.revision, method=workshop.method,
        aggregation=workshop.aggregation, results=results, memo_html=html, memo_error=error,
    )


def drop(workshop: Workshop) -> None:
    """Unlocking ends the record: the workshop's results follow its case again."""
    LockedRecord.objects.filter(workshop=workshop).delete()
