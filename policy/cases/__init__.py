"""Writing a case in the browser: who may, what a change touches, and proposing criteria.

Views gather input and call these; each change runs in one transaction. Changes a workshop can
see (its options and criteria) bump that workshop's revision, so open pages learn of them.

    cases.py      codes and slugs, who may change a case, creating one
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
    touch_workshops,
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
    "Proposal", "active_workshops", "add_person", "add_proposed", "can_edit", "create_case",
    "criteria_warning", "delete_consequences", "delete_part", "editable_case", "get_part",
    "is_owner", "move_part", "next_code", "next_position", "owned_case", "part_kind", "parts_of",
    "propose_criteria", "remove_person", "save_part", "scores_off_scale", "too_many_to_add",
    "touch_workshops", "workshop_names",
]
