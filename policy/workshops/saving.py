"""A cell save's statements: the app's commonest write, kept to as few round trips as it can be.

A save's request makes four queries besides its transaction's BEGIN and COMMIT
(docs/performance.md): the session's check, which also reads `TARGET`, everything the view
checks and shows (policy/accounts/sessions.py); then, in one transaction, the revision
bump (`bump_if_open`), which also checks that the round is still open, the history line
(policy/workshops/history.py) and the upsert (`write`). Plain SQL, the same on SQLite (3.35 or
later, for RETURNING) and PostgreSQL: the ORM's cost of building these statements was most of
a save's.
"""
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from .. import rows
from ..accounts import sessions
from ..models import Criterion, Membership, Option, Score, Workshop


@dataclass(frozen=True)
class Target:
    """What a save needs to know before it writes: who asks, in what role, into which round of
    which workshop, and the cell's option and criterion (with its scale)."""
    membership: Membership  # the role; nothing else of it is loaded
    status: str
    round: int
    option: Option  # its id and title
    criterion: Criterion
    cells: int  # options x criteria of the workshop's case: the progress bar's whole
    paced: bool  # paced mode is on (a page without htmx goes back to its item)


# What the save checks and shows, read with the session's check (accounts/sessions.py).
TARGET = sessions.Also(
    joins="""
        LEFT JOIN {membership} m ON m.workshop_id = %s AND m.user_id = u.id
        LEFT JOIN {workshop} w ON w.id = m.workshop_id
        LEFT JOIN {criterion} c ON c.id = %s AND c.case_id = w.case_id
        LEFT JOIN {option} o ON o.id = %s AND o.case_id = w.case_id
    """.format(
        option=Option._meta.db_table, criterion=Criterion._meta.db_table,
        membership=Membership._meta.db_table, workshop=Workshop._meta.db_table,
    ),
    columns=f"""{rows.select(Criterion, "c")}, m.id AS target_member, m.role AS target_role,
        w.status AS target_status, w.round AS target_round,
        w.paced_criterion_id AS target_paced, o.id AS target_option,
        o.title AS target_option_title,
        (SELECT COUNT(*) FROM {Option._meta.db_table} WHERE case_id = w.case_id)
        * (SELECT COUNT(*) FROM {Criterion._meta.db_table} WHERE case_id = w.case_id)
        AS target_cells""",
    models={"c": Criterion},
    params=lambda pk, option_id, criterion_id: [pk, criterion_id, option_id],
)


def target(user, workshop_id: int, found: dict) -> Target | None:
    """The user's membership of the workshop and the cell, from the save's row (read with
    TARGET); None when they are not a member, or the option or criterion is not of the
    workshop's case."""
    if found["target_member"] is None or found["c"] is None or found["target_option"] is None:
        return None
    membership = Membership(id=found["target_member"], workshop_id=workshop_id, user=user,
                            role=found["target_role"])
    # Only what the save shows is loaded; any other field would cost a query when read.
    option = Option.from_db(connection.alias, ["id", "title"],
                            [found["target_option"], found["target_option_title"]])
    return Target(membership, found["target_status"], found["target_round"], option,
                  found["c"], found["target_cells"], found["target_paced"] is not None)


_BUMP_SQL = """
    UPDATE {workshop} SET revision = revision + 1
    WHERE id = %s AND status = %s AND round = %s
    RETURNING (SELECT COUNT(*) FROM {score}
               WHERE workshop_id = %s AND round = %s AND analyst_id = %s)
""".format(workshop=Workshop._meta.db_table, score=Score._meta.db_table)


def bump_if_open(workshop_id: int, round: int, analyst_id: int) -> int | None:
    """Bump the revision if scoring is open in this round, and count the analyst's scored
    cells in it (before this save); None, with nothing written, if it is not.

    The save's first statement: on PostgreSQL it takes the workshop's row lock, so saves and
    the facilitator's steps are ordered and the state it checks cannot change before the
    transaction ends (on SQLite the IMMEDIATE transaction holds the database's write lock)."""
    with connection.cursor() as cursor:
        cursor.execute(_BUMP_SQL, [workshop_id, Workshop.Status.OPEN, round,
                                   workshop_id, round, analyst_id])
        row = cursor.fetchone()
    return None if row is None else row[0]


_CELL = "workshop_id, round, analyst_id, option_id, criterion_id"
_UPSERT_SQL = f"""
    INSERT INTO {Score._meta.db_table}
        ({_CELL}, value, rationale, carried_from, created_at, updated_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, %s, %s)
    ON CONFLICT ({_CELL}) DO UPDATE SET
        value = excluded.value, rationale = excluded.rationale,
        carried_from = NULL, updated_at = excluded.updated_at
"""  # carried_from: saving a carried-forward cell makes it this round's own answer
_CLEAR_SQL = f"""
    DELETE FROM {Score._meta.db_table}
    WHERE workshop_id = %s AND round = %s AND analyst_id = %s AND option_id = %s
        AND criterion_id = %s
"""


def write(cell: list[int], value: float | None, rationale: str) -> None:
    """Upsert the cell's score ([workshop, round, analyst, option, criterion] ids), or with no
    value delete it: one statement either way."""
    with connection.cursor() as cursor:
        if value is None:
            cursor.execute(_CLEAR_SQL, cell)
            return
        now = Score._meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
        cursor.execute(_UPSERT_SQL, [*cell, value, rationale, now, now])
