"""What changes a workshop. Each action runs in one transaction, writes the workshop's
history (policy/workshops/history.py) and bumps the revision, so every open page learns of it
on its next poll. `by` is the user who acts (None: the command line)."""
import secrets

from django.db import transaction

from . import history, members, paced, record, saving, steps
from ..models import (
    AnalystWeight, Criterion, MemoSettings, MemoText, Membership, Option, Score, Weight, Workshop,
)
from ..models.workshop import DEFAULT_HANDLING
from .readiness import case_gaps, scoring_gaps


class ActionRefused(Exception):
    """The workshop's state does not allow this now; the message says why, for the user."""


def _locked_workshop(workshop_id: int) -> Workshop:
    # PostgreSQL: a row lock orders concurrent actions. SQLite: the IMMEDIATE transaction
    # already holds the database's write lock, and select_for_update is a no-op.
    return Workshop.objects.select_for_update().get(pk=workshop_id)


def _refuse_unless_possible(step: str, workshop: Workshop) -> None:
    reason = steps.why_not(step, workshop)
    if reason:
        raise ActionRefused(reason)


def save_score(
    workshop_id: int, analyst, option: Option, criterion: Criterion, *,
    round: int, value: float | None, rationale: str,
) -> int:
    """Upsert (or, with no value, clear) the analyst's score for one cell of the open round;
    the number of cells the analyst has scored in the round afterwards (what the save's reply
    shows). Three statements in one transaction, never a savepoint (policy/workshops/saving.py)."""
    with transaction.atomic(durable=True):
        scored = saving.bump_if_open(workshop_id, round, analyst.pk)
        if scored is None:
            status, current = Workshop.objects.values_list("status", "round").get(pk=workshop_id)
            if status != Workshop.Status.OPEN:
                raise ActionRefused("Scoring is closed: this score was not saved.")
            raise ActionRefused(
                f"Round {current} has started: reload the page to score it. Nothing was saved."
            )
        cell = [workshop_id, round, analyst.pk, option.pk, criterion.pk]
        changed = history.record_score_change(cell, value, rationale)
        saving.write(cell, value, rationale)
    if changed is not None:  # a cell newly scored counts one more, a cleared one one fewer
        [old] = changed
        scored += (value is not None) - (old is not None)
    return scored


def set_status(workshop_id: int, status: str, by=None) -> Workshop:
    """Open, close, lock or unlock (a locked workshop unlocks to closed)."""
    if status not in Workshop.Status.values:
        raise ActionRefused(f"“{status[:40]}” is not a workshop status.")  # never echo a huge value
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        step = steps.for_status(workshop.status, status)
        if step is None:
            raise ActionRefused(
                f"A workshop that is {workshop.get_status_display().lower()} cannot become "
                f"{Workshop.Status(status).label.lower()}."
            )
        _refuse_unless_possible(step, workshop)
        if status == Workshop.Status.OPEN:
            gaps = scoring_gaps(workshop)
            if gaps:
                raise ActionRefused("Scoring cannot open yet. " + " ".join(gaps))
        workshop.status = status
        if status == Workshop.Status.LOCKED:
            # A record is read, not run: locking ends paced mode (the lock's history says so).
            workshop.paced_criterion, workshop.paced_revealed = None, False
        workshop.save(update_fields=["status", "paced_criterion", "paced_revealed", "updated_at"])
        history.record(workshop, step, by)
        workshop.bump()
        if status == Workshop.Status.LOCKED:
            record.take(workshop.pk)
        elif step == "unlock":
            record.drop(workshop)
    return workshop


def set_revealed(workshop_id: int, revealed: bool, by=None) -> Workshop:
    step = "reveal" if revealed else "hide"
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        _refuse_unless_possible(step, workshop)
        workshop.revealed = revealed
        workshop.save(update_fields=["revealed", "updated_at"])
        history.record(workshop, step, by)
        workshop.bump()
    return workshop


def start_next_round(workshop_id: int, by=None) -> Workshop:
    """A new round: scores hidden again, scoring open. Each analyst starts from their own
    answers of the last round, copied forward and marked so (Delphi practice), so the new
    round's results cover every cell anyone scored; the last round's scores stay as they were."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        _refuse_unless_possible("round", workshop)
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
        workshop.paced_revealed = False  # the paced item is answered again before it is seen
        workshop.round_deadline = None  # a deadline belongs to its round
        workshop.save(update_fields=["round", "status", "revealed", "paced_revealed",
                                     "round_deadline", "updated_at"])
        history.record(workshop, "round", by)
        workshop.bump()
    return workshop


def pace(workshop_id: int, move: str, by=None) -> Workshop:
    """Paced mode (policy/workshops/paced.py): start at the first criterion, go to the next
    or previous one, reveal the current one's answers to the team, or end (the open grid).
    Moving to another item hides the answers again: each item is answered before it is seen."""
    if move not in paced.MOVES:
        raise ActionRefused(f"“{move[:40]}” is not a step of paced mode.")
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        criteria = list(workshop.case.criteria.values_list("id", "code"))  # the grid's order
        criterion_ids, codes = [pk for pk, _ in criteria], dict(criteria)
        before = workshop.paced_criterion_id
        number = criterion_ids.index(before) + 1 if before else None
        reason = paced.refusal(move, workshop, number, len(criterion_ids))
        if reason:
            raise ActionRefused(reason)
        if move == "reveal":
            workshop.paced_revealed = True
        else:
            workshop.paced_criterion_id = paced.target(move, number, criterion_ids)
            workshop.paced_revealed = False
        workshop.save(update_fields=["paced_criterion", "paced_revealed", "updated_at"])
        now = codes.get(workshop.paced_criterion_id, "")
        note = {"start": now, "reveal": now, "end": codes.get(before, "")}.get(
            move, f"{codes.get(before, '')} → {now}")
        history.record(workshop, paced.MOVES[move][0], by, note=note)
        workshop.bump()
    return workshop


def set_round_deadline(workshop_id: int, deadline, by=None) -> Workshop:
    """When the current round's scores are due (None: no deadline)."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked.")
        workshop.round_deadline = deadline
        workshop.save(update_fields=["round_deadline", "updated_at"])
        history.record(workshop, history.Kind.DEADLINE, by,
                       note=deadline.isoformat() if deadline else "none")
        workshop.bump()
    return workshop


def join_token(workshop_id: int, by=None) -> str:
    """The workshop's join link token, made now if it has none."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.join_token:
            return workshop.join_token
    return new_join_token(workshop_id, by)


# Join codes short enough to read off a projector and type on a phone: eight characters with
# no 0/O, 1/I/L or U to confuse (30**8, about 6.6e11 codes; joining needs an account too).
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_token(workshop_id: int, by=None) -> str:
    token = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        workshop.join_token = token
        workshop.save(update_fields=["join_token"])
        history.record(workshop, history.Kind.LINK_MADE, by)
    return token


def revoke_join_token(workshop_id: int, by=None) -> None:
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        workshop.join_token = None
        workshop.save(update_fields=["join_token"])
        history.record(workshop, history.Kind.LINK_REVOKED, by)


def join(workshop: Workshop, user) -> Membership:
    """Add the user as an analyst (an existing member keeps their role)."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            workshop=workshop, user=user, defaults={"role": Membership.Role.ANALYST}
        )
        if created:
            history.record(workshop, history.Kind.JOIN, user)
            workshop.bump()
    return membership


def set_role(workshop_id: int, user_id: int, role: str, by=None) -> Membership:
    """Make a member an analyst or an observer (never a facilitator, and not the
    facilitator: a workshop keeps the one who steers it). Scores already given stay."""
    if role not in members.GRANTABLE:
        raise ActionRefused("A member can be made an analyst or an observer.")
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked: its members' roles cannot change.")
        membership = members.member_of(workshop, user_id)
        if membership.role == Membership.Role.FACILITATOR:
            raise ActionRefused("The facilitator's own role does not change.")
        if membership.role != role:
            before = membership.get_role_display().lower()
            membership.role = role
            membership.save(update_fields=["role"])
            history.record(workshop, history.Kind.ROLE, by, note=(
                f"{membership.user.username}: {before} → {membership.get_role_display().lower()}"
            ))
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
    workshop_id: int, weighting: str, values: dict[str, float], judgements: dict[str, float],
    by=None,
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
        history.record(workshop, history.Kind.WEIGHTS, by, history.weights_note(
            workshop.get_weighting_display(), values,
            judgements if weighting == Workshop.Weighting.AHP else {},
        ))
        workshop.bump()
    return workshop


def set_analysts_weigh(workshop_id: int, on: bool, by=None) -> Workshop:
    """Whether analysts weight the criteria themselves (the group's weights then their
    aggregate) or the facilitator alone. Weights already given are kept either way."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked: who weights the criteria cannot change.")
        if workshop.analysts_weigh != on:
            workshop.analysts_weigh = on
            workshop.save(update_fields=["analysts_weigh", "updated_at"])
            history.record(workshop, history.Kind.WEIGHERS, by,
                           note="analysts" if on else "facilitator")
            workshop.bump()
    return workshop


def set_own_weights(
    workshop_id: int, analyst, weighting: str, values: dict[str, float],
    judgements: dict[str, float],
) -> Workshop:
    """Replace an analyst's own weight inputs (by criterion code) in the workshop's method,
    or their AHP judgements. The history says that they gave weights, not which: the values
    are part of the group's picture, hidden like scores until the reveal."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked: its weights cannot change.")
        if not workshop.analysts_weigh:
            raise ActionRefused("The facilitator weights the criteria in this workshop.")
        if weighting != workshop.weighting:
            raise ActionRefused(
                f"The facilitator has changed the method to {workshop.get_weighting_display()}: "
                "reload the page. Nothing was saved."
            )
        membership = Membership.objects.filter(
            workshop=workshop, user=analyst, role=Membership.Role.ANALYST
        ).first()
        if membership is None:
            raise ActionRefused("Only analysts give their own weights.")
        if weighting == Workshop.Weighting.AHP:
            membership.ahp_judgements = judgements
            membership.save(update_fields=["ahp_judgements"])
        else:
            criteria = dict(workshop.case.criteria.values_list("code", "id"))
            AnalystWeight.objects.filter(
                workshop=workshop, analyst=analyst, weighting=weighting
            ).delete()
            AnalystWeight.objects.bulk_create(
                AnalystWeight(workshop=workshop, analyst=analyst, criterion_id=criteria[code],
                              weighting=weighting, value=value)
                for code, value in values.items()
            )
        history.record(workshop, history.Kind.OWN_WEIGHTS, analyst,
                       note=workshop.get_weighting_display())
        workshop.bump()
    return workshop


def set_memo_text(
    workshop_id: int, round: int, *, texts: dict[str, str], drafted: dict[str, str],
    recommended: Option | None, by=None,
) -> MemoText:
    """The facilitator's words for the round's memo: each part's text ("" keeps the drafted
    one) and the option the team recommends (None: the comparison's first). A part keeps the
    drafted text it replaced as it was when the part was last written, so that a later change
    of result marks it stale; a save that changes nothing writes nothing."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked: its memo is a record and cannot change.")
        if round != workshop.round:
            raise ActionRefused(f"Round {workshop.round} has started: reload the page to write "
                                "its memo. Nothing was saved.")
        saved = (MemoText.objects.filter(workshop=workshop, round=round).first()
                 or MemoText(workshop=workshop, round=round))
        against, said = dict(saved.drafted), []
        for part, text in texts.items():
            if text == getattr(saved, part):
                continue
            setattr(saved, part, text)
            if text:
                against[part] = drafted[part]
            else:
                against.pop(part, None)
            said.append(f"{part.replace('_', ' ')} {'written' if text else 'drafted again'}")
        if recommended != saved.recommended:
            saved.recommended = recommended
            said.append(f"recommends {recommended.code}" if recommended
                        else "recommends the first-ranked option")
        if not said:
            return saved
        saved.drafted, saved.updated_by = against, by
        saved.save()
        history.record(workshop, history.Kind.MEMO_TEXT, by, note="; ".join(said))
        workshop.bump()
    return saved


MEMO_LINES = ("addressee", "from_line", "subject", "decision_deadline", "drafted_by", "cleared_by")


def set_memo_settings(workshop_id: int, *, handling: str, by=None, **lines) -> MemoSettings:
    """The facilitator's lines for the memo (policy/memo/settings.py) and the handling marking
    ("" for the default); refused once the workshop is locked, its memo being a record. A save
    that changes nothing writes nothing; otherwise the history names the lines changed."""
    with transaction.atomic():
        workshop = _locked_workshop(workshop_id)
        if workshop.status == Workshop.Status.LOCKED:
            raise ActionRefused("The workshop is locked: its memo is a record and cannot change.")
        saved = MemoSettings.objects.filter(workshop=workshop).first() or MemoSettings(
            workshop=workshop)
        changed = [name for name in MEMO_LINES if getattr(saved, name) != lines[name]]
        handling = handling or DEFAULT_HANDLING
        if handling != workshop.handling:
            changed.append("handling")
        if not changed:
            return saved
        for name in MEMO_LINES:
            setattr(saved, name, lines[name])
        saved.save()
        # The PDF cache is keyed by revision and updated_at: both move.
        workshop.handling = handling
        workshop.save(update_fields=["handling", "updated_at"])
        history.record(workshop, history.Kind.MEMO_SETTINGS, by,
                       note=", ".join(name.replace("_", " ") for name in changed))
        workshop.bump()
    return saved
