"""Checking a case file: its shape against the JSON Schema, then the rules a schema cannot say.

Every error carries the JSON path of the value at fault (`$.criteria[3].scale.max`) and a plain
message, and every error is reported, not just the first: a person fixing a file by hand wants
the whole list at once.
"""
import ast
import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from .limits import shape_errors, text_errors
from .rules import SemanticCheck

SCHEMA_PATH = Path(__file__).resolve().parent / "case-format.schema.json"

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Plain words for the schema's patterns, so an error says what is allowed, not a regex.
PATTERN_WORDS = {
    "^[a-z0-9-]+$": "may hold only lowercase letters, digits and hyphens",
    "^[A-Za-z0-9][A-Za-z0-9_.-]*$": (
        "must be a code: letters and digits, then also '_', '.' or '-' (e.g. P1, A3)"
    ),
    "^-?[0-9]+$": "must be a whole-number level, e.g. \"5\"",
    "^[\\w.@+-]+$": "may hold only letters, digits and @ . + - _",
}
TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


@dataclass(frozen=True)
class CaseFileError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CaseFileInvalid(Exception):
    """A case file that cannot be imported; `errors` lists everything wrong with it."""

    def __init__(self, errors: list[CaseFileError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def json_path(parts) -> str:
    """`$.criteria[3].scale.anchors["12"]`: dots for plain keys, brackets for the rest."""
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif IDENTIFIER.match(part):
            path += f".{part}"
        else:
            path += f"[{json.dumps(part, ensure_ascii=False)}]"
    return path


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(document, *, replace: bool = False) -> list[CaseFileError]:
    """Every error in the document, in the document's order; an empty list means it imports."""
    refused = shape_errors(document)
    if refused:
        return [CaseFileError(json_path(parts), message) for parts, message in refused]
    found = schema_errors(document)
    # A text the schema refuses already (a title past 200 characters) needs no second error.
    faulty = {tuple(parts) for parts, _ in found}
    found += [error for error in text_errors(document) if tuple(error[0]) not in faulty]
    if isinstance(document, dict):
        found += SemanticCheck(document, replace).run()
    found.sort(key=lambda error: _document_order(document, error[0]))
    return [CaseFileError(json_path(parts), message) for parts, message in found]


def _document_order(document, parts: list) -> list[int]:
    """Where a path falls in the document, so errors read top to bottom like the file.

    A key the document lacks (a required one) sorts after its parent's keys."""
    order, node = [], document
    for part in parts:
        if isinstance(node, dict):
            keys = list(node)
            order.append(keys.index(part) if part in node else len(keys))
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            order.append(part)
            node = node[part]
        else:
            order.append(0)
            node = None
    return order


# -- The shape, by the JSON Schema -------------------------------------------------------------


def schema_errors(document) -> list[tuple[list, str]]:
    """(path parts, message) for each way the document departs from the schema."""
    errors = []
    for error in _validator().iter_errors(document):
        errors.extend(_plain(error))
    return errors


def _plain(error) -> list[tuple[list, str]]:
    """One jsonschema error as our errors: the path of the value at fault, plain words."""
    path = list(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        # jsonschema reports a missing key at its parent; point at the key itself.
        name = ast.literal_eval(error.message.removesuffix(" is a required property"))
        return [(path + [name], "is required")]
    if kind == "additionalProperties" and expected is False:
        allowed = list(error.schema.get("properties", {}))
        return [
            (path + [key], _unknown_key(key, allowed))
            for key in value
            if key not in allowed
        ]
    if "propertyNames" in error.schema_path:
        # The error is about a key, so the path names the key.
        return [(path + [value], _pattern_words(expected))]
    return [(path, _message(kind, expected, value, error.message))]


def _message(kind: str, expected, value, fallback: str) -> str:
    if kind == "type":
        wanted = [expected] if isinstance(expected, str) else expected
        words = " or ".join(TYPE_WORDS[t] for t in wanted)
        return f"must be {words}, not {_describe(value)}"
    if kind == "const":
        return f"must be {json.dumps(expected)}"
    if kind == "enum":
        return f"must be one of {', '.join(map(json.dumps, expected))}, not {json.dumps(value)}"
    if kind == "minimum":
        return f"must be at least {expected}, not {value}"
    if kind == "maximum":
        return f"must be at most {expected}, not {value}"
    if kind == "exclusiveMinimum":
        return f"must be greater than {expected}, not {value}"
    if kind == "minLength":
        return "must not be empty" if expected == 1 else f"needs at least {expected} characters"
    if kind == "maxLength":
        return f"must be at most {expected} characters (it has {len(value)})"
    if kind == "pattern":
        return _pattern_words(expected)
    if kind == "format":
        return f"must be a real calendar date written YYYY-MM-DD, not {json.dumps(value)}"
    if kind == "minItems":
        return f"needs at least {expected} item{'s' if expected > 1 else ''}"
    if kind == "uniqueItems":
        return "lists the same code more than once"
    if kind == "minProperties":
        return f"needs at least {expected} key{'s' if expected > 1 else ''}"
    if kind == "maxProperties":
        return f"may have at most {expected} key (it has {len(value)}: {', '.join(value)})"
    return fallback


def _pattern_words(pattern: str) -> str:
    return PATTERN_WORDS.get(pattern, f"does not match the pattern {pattern}")


def _unknown_key(key: str, allowed: list[str]) -> str:
    guess = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean {guess[0]!r}?" if guess else f"allowed: {', '.join(allowed)}"
    return f"unknown key ({hint})"


def _describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {json.dumps(value, ensure_ascii=False)}"
    return "a list" if isinstance(value, list) else "an object"
