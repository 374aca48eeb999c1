"""What changes a workshop. Each action runs in one transaction and bumps the revision, so
every open page learns of it on its next poll."""
import secrets

from django.db import transaction

from ..models import Criterion, Membership, Option, Score, Weight, Workshop
from .readiness import case_gaps, scoring_gaps


class ActionRefused(Exception):
    """The workshop's state does not allow this now; the message says why, for the user."""


def _locked_workshop(workshop_id: int) -> Workshop:
    # PostgreSQL: a row lock orders concurrent actions. SQLite: the IMMEDIATE transaction
    # already holds the database's write lock, and select_for_update is a no-op.
    return Workshop.objects.select_for_update().get(pk=workshop_id)


def save_score(
    workshop_id: int, analyst, option: Option, criterion: Criterion, *,
    round: int, value: float | None, rationale: str,
) -> Score | None:
    """Upsert (or, with no value, clear) the analyst's score for one cell of the open round."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status != Workshop.Status.OPEN:
            raise ActionRefused("Scoring is closed: this score was not saved.")
        if round != workshop.round:
            raise ActionRefused(
                f"Round {workshop.round} has started: reload the page to score it. Nothing was saved."
            )
        key = dict(workshop=workshop, round=round, analyst=analyst, option=option, criterion=criterion)
        if value is None:
            Score.objects.filter(**key).delete()
            score = None
        else:
            # One INSERT ... ON CONFLICT DO UPDATE, not update_or_create's select, savepoint
            # and write: a save is the app's commonest write (docs/reliability.md).
            [score] = Score.objects.bulk_create(
                [Score(**key, value=value, rationale=rationale, carried_from=None)],
                update_conflicts=True,
                unique_fields=["workshop", "round", "analyst", "option", "criterion"],
                # Saving a carried-forward cell makes it this round's own answer.
                update_fields=["value", "rationale", "carried_from", "updated_at"],
            )
        workshop.bump()
    return score


def set_status(workshop_id: int, status: str) -> Workshop:
    allowed = {
        Workshop.Status.DRAFT: {Workshop.Status.OPEN, Workshop.Status.LOCKED},
        Workshop.Status.OPEN: {Workshop.Status.CLOSED, Workshop.Status.LOCKED},
        Workshop.Status.CLOSED: {Workshop.Status.OPEN, Workshop.Status.LOCKED},
        Workshop.Status.LOCKED: set(),
    }
    if status not in Workshop.Status.values:
        raise ActionRefused(f"“{status[:40]}” is not a workshop status.")  # never echo a huge value
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if status not in allowed[workshop.status]:
            raise ActionRefused(
                f"A workshop that is {workshop.get_status_display().lower()} cannot become "
                f"{Workshop.Status(status).label.lower()}."
            )
        if status == Workshop.Status.OPEN:
            gaps = scoring_gaps(workshop)
            if gaps:
                raise ActionRefused("Scoring cannot open yet. " + " ".join(gaps))
        workshop.status = status
        workshop.save(update_fields=["status", "updated_at"])
        workshop.bump()
    return workshop


def set_revealed(workshop_id: int, revealed: bool) -> Workshop:
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked.")
        workshop.revealed = revealed
        workshop.save(update_fields=["revealed", "updated_at"])
        workshop.bump()
    return workshop


def start_next_round(workshop_id: int) -> Workshop:
    """A new round: scores hidden again, scoring open. Each analyst starts from their own
    answers of the last round, copied forward and marked so (Delphi practice), so the new
    round's results cover every cell anyone scored; the last round's scores stay as they were."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked.")
        if not workshop.scores.filter(round=workshop.round).exists():
            raise ActionRefused(f"Round {workshop.round} has no scores yet.")
        previous = workshop.round
        workshop.round += 1
        Score.objects.bulk_create(
            Score(
                workshop=workshop, round=workshop.round, analyst_id=analyst_id,
                option_id=option_id, criterion_id=criterion_id, value=value,
                rationale=rationale, carried_from=previous,
            )
            for analyst_id, option_id, criterion_id, value, rationale in workshop.scores.filter(
                round=previous
            ).values_list("analyst_id", "option_id", "criterion_id", "value", "rationale")
        )
        workshop.status = Workshop.Status.OPEN
        workshop.revealed = False
        workshop.save(update_fields=["round", "status", "revealed", "updated_at"])
        workshop.bump()
    return workshop


def new_join_token(workshop_id: int) -> str:
    token = secrets.token_urlsafe(24)
    Workshop.objects.filter(pk=workshop_id).update(join_token=token)
    return token


def revoke_join_token(workshop_id: int) -> None:
    Workshop.objects.filter(pk=workshop_id).update(join_token=None)


def join(workshop: Workshop, user) -> Membership:
    """Add the user as an analyst (an existing member keeps their role)."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            workshop=workshop, user=user, defaults={"role": Membership.Role.ANALYST}
        )
        if created:
            workshop.bump()
    return membership


def create_workshop(case, facilitator, **fields) -> Workshop:
    """A draft workshop on a case that has options and criteria to score (ActionRefused,
    saying what is missing, otherwise)."""
    gaps = case_gaps(case)
    if gaps:
        raise ActionRefused("This case is not ready for a workshop. " + " ".join(gaps))
    with transaction.atomic():
        workshop = Workshop.objects.create(case=case, created_by=facilitator, **fields)
        Membership.objects.create(
            workshop=workshop, user=facilitator, role=Membership.Role.FACILITATOR
        )
    return workshop


def set_weights(
    workshop_id: int, weighting: str, values: dict[str, float], judgements: dict[str, float]
) -> Workshop:
    """Replace the workshop's weight inputs (by criterion code) and its AHP judgements."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked: its weights cannot change.")
        workshop.weighting = weighting
        if weighting == Workshop.Weighting.AHP:
            workshop.ahp_judgements = judgements
        else:
            criteria = dict(workshop.case.criteria.values_list("code", "id"))
            Weight.objects.filter(workshop=workshop).delete()
            Weight.objects.bulk_create(
                Weight(workshop=workshop, criterion_id=criteria[code], value=value)
                for code, value in values.items()
            )
        workshop.save(update_fields=["weighting", "ahp_judgements", "updated_at"])
        workshop.bump()
    return workshop
