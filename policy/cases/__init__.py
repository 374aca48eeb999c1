"""Writing a case in the browser: who may, what a change touches, and proposing criteria.

Views gather input and call these; each change runs in one transaction. Every change to a
case, from here, the admin or the ORM, goes through changes.case_changed: it stamps the case,
and a change workshops can see (its options and criteria) bumps their revision, so open pages
learn of it and cached results and memos are not served again.

    cases.py      codes and slugs, who may change a case, creating one
    changes.py    the one writer of a case's stamp and its workshops' revisions
    parts.py      the parts of a case, and the workshops a change touches
    deletion.py   what deleting a part takes with it, and the deletion
    proposals.py  proposing criteria from the case, and adding the kept ones
    words.py      counts and lists in plain words
"""
from .access import (
    CODE_PATTERN,
    RESERVED_SLUGS,
    SLUG_PATTERN,
    add_person,
    can_edit,
    create_case,
    editable_case,
    is_owner,
    owned_case,
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
    "Proposal", "active_workshops", "add_person", "add_proposed", "can_edit", "case_changed",
    "create_case", "criteria_warning", "delete_consequences", "delete_part", "editable_case", "get_part",
    "is_owner", "move_part", "next_code", "next_position", "owned_case", "part_kind", "parts_of",
    "propose_criteria", "remove_person", "save_part", "scores_off_scale", "workshop_names",
]
