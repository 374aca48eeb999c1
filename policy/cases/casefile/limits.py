"""What one case may hold, wherever it comes from: a case file (upload or import_case) or the
browser editor. The limits are settings (CASE_MAX_*); each refusal names the limit and the
setting that raises it.

A file is checked for its shape (the number of parts, then nesting) before anything else
reads it: the schema check recurses, and thousands of options cost seconds to check and
render, so such a file gets those errors alone. Texts (length, control characters) are
checked with the schema, so a file's every error is listed at once.
"""
from django.conf import settings
from django.core.exceptions import ValidationError

from ...workshops.forms import CONTROL_CHARACTERS, no_control_characters

# Setting per list of parts, in the order a case file lists them.
PART_LIMITS = {
    "sources": "CASE_MAX_SOURCES",
    "principles": "CASE_MAX_PRINCIPLES",
    "actors": "CASE_MAX_ACTORS",
    "events": "CASE_MAX_EVENTS",
    "risks": "CASE_MAX_RISKS",
    "options": "CASE_MAX_OPTIONS",
    "criteria": "CASE_MAX_CRITERIA",
}
# A case file is at most six levels deep ($.workshops[0].scores[0].value); anything much
# deeper is not a case file, and reading it would exhaust Python's recursion.
MAX_DEPTH = 12
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep: this is not a case file"


def part_limit(kind: str) -> int:
    return getattr(settings, PART_LIMITS[kind])


def too_many(kind: str, count: int) -> str | None:
    """Why `count` parts of the kind are too many for one case, or None if they fit."""
    limit = part_limit(kind)
    if count <= limit:
        return None
    return f"{count:,} {kind}; a case may have at most {limit:,} ({PART_LIMITS[kind]})"


def text_refusal(text: str) -> str | None:
    """Why a text may not be part of a case (too long, a control character), or None."""
    limit = settings.CASE_MAX_TEXT
    if len(text) > limit:
        return f"{len(text):,} characters; a text may have at most {limit:,} (CASE_MAX_TEXT)"
    try:
        no_control_characters(text)  # the browser forms' rule
    except ValidationError as error:
        character = CONTROL_CHARACTERS.search(text).group()
        return f"holds the control character U+{ord(character):04X}. {error.messages[0]}"
    return None


def shape_errors(document) -> list[tuple[list, str]]:
    """More parts than a case may have, or nesting too deep: (path parts, message). The
    counts first: they cost nothing, and spare walking a huge file."""
    errors = []
    for kind in PART_LIMITS if isinstance(document, dict) else ():
        items = document.get(kind)
        if isinstance(items, list):
            message = too_many(kind, len(items))
            if message:
                errors.append(([kind], message))
    deep = None if errors else _too_deep(document)
    return errors if deep is None else [(deep, TOO_DEEP)]


def _too_deep(document) -> list | None:
    """The path of the first list or object nested past MAX_DEPTH, or None. Iterative: the
    document may be deeper than Python may recurse."""
    stack = [(document, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            children = node.items()
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            continue
        if len(path) >= MAX_DEPTH:
            return path
        stack.extend((child, path + [key]) for key, child in children)
    return None


def text_errors(document) -> list[tuple[list, str]]:
    """Every text (value or key) too long or holding a control character."""
    errors, stack = [], [(document, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            message = text_refusal(node)
            if message:
                errors.append((path, message))
        elif isinstance(node, dict):
            for key, child in node.items():
                message = text_refusal(key) if isinstance(key, str) else None
                if message:
                    errors.append((path + [key], f"(a key) {message}"))
                stack.append((child, path + [key]))
        elif isinstance(node, list):
            stack.extend((child, path + [i]) for i, child in enumerate(node))
    return errors
