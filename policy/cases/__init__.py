"""Writing a case in the browser: what a change touches, and proposing criteria (who may
change a case is decided in policy/permissions.py).

Views gather input and call these; each change runs in one transaction. Every change to a
case, from here, the admin or the ORM, goes through changes.case_changed: it stamps the case,
and a change workshops can see (its options and criteria) bumps their revision, so open pages
learn of it and cached results and memos are not served again.

    access.py     codes and slugs, creating a case, its owners and editors
    changes.py    the one writer of a case's stamp and its workshops' revisions
    parts.py      the parts of a case, and the workshops a change touches
    deletion.py   what deleting a part takes with it, and the deletion
    proposals.py  proposing criteria from the case, and adding the kept ones
    copying.py    a copy of a case for a new owner
    words.py      counts and lists in plain words
"""
from .access import (
    CODE_PATTERN,
    RESERVED_SLUGS,
    SLUG_PATTERN,
    add_person,
    create_case,
    remove_person,
)
from .changes import case_changed
from .deletion import Consequences, delete_consequences, delete_part
from .parts import (
    ACTIVE,
    PART_KINDS,
    PartKind,
    active_workshops,
    criteria_warning,
    get_part,
    move_part,
    next_code,
    next_position,
    part_kind,
    parts_of,
    save_part,
    scores_off_scale,
    too_many_to_add,
    workshop_names,
)
from .proposals import (
    ACCEPTABILITY_ANCHORS,
    ALIGNMENT_ANCHORS,
    MITIGATION_ANCHORS,
    CodeSeries,
    Proposal,
    add_proposed,
    propose_criteria,
)

__all__ = [
    "ACCEPTABILITY_ANCHORS", "ACTIVE", "ALIGNMENT_ANCHORS", "CODE_PATTERN", "MITIGATION_ANCHORS",
    "PART_KINDS", "RESERVED_SLUGS", "SLUG_PATTERN", "CodeSeries", "Consequences", "PartKind",
    "Proposal", "active_workshops", "add_person", "add_proposed", "case_changed", "create_case",
    "criteria_warning", "delete_consequences", "delete_part", "get_part", "move_part", "next_code",
    "next_position", "part_kind", "parts_of", "propose_criteria", "remove_person", "save_part",
    "scores_off_scale", "too_many_to_add", "workshop_names",
]
