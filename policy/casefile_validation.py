"""Checking a case file: its shape against the JSON Schema, then the rules a schema cannot say.

Every error carries the JSON path of the value at fault (`$.criteria[3].scale.max`) and a plain
message, and every error is reported, not just the first: a person fixing a file by hand wants
the whole list at once.
"""
import ast
import difflib
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "case-format.schema.json"

# The lists of parts that carry codes, in the order a case file lists them.
PART_LISTS = ("sources", "principles", "actors", "events", "risks", "options", "criteria")
ORIGINS = {"principle": "principles", "risk": "risks", "actor": "actors"}
DEFAULT_SCALE = {"min": 0, "max": 10}

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
LEVEL = re.compile(r"^-?[0-9]+$")

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
    found = schema_errors(document)
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


# -- The rules a schema cannot say -----------------------------------------------------------------


def _objects(value) -> list[tuple[int, dict]]:
    """(index, item) for each object in a list. Anything else the schema has reported already."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _whole(value) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def scale_of(criterion: dict) -> tuple[int, int] | None:
    """A criterion's (min, max), or None when the scale is malformed (reported elsewhere)."""
    scale = criterion.get("scale", DEFAULT_SCALE)
    if not isinstance(scale, dict):
        return None
    low, high = scale.get("min"), scale.get("max")
    if not (_whole(low) and _whole(high)) or low >= high:
        return None
    return int(low), int(high)


def parse_timestamp(text: str) -> datetime | None:
    """An aware datetime, or None when the text is not a real ISO 8601 moment with an offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class SemanticCheck:
    """Unique codes, references between parts, values on scales, the database's slugs."""

    def __init__(self, document: dict, replace: bool):
        self.doc = document
        self.replace = replace
        self.errors: list[tuple[list, str]] = []
        self.codes: dict[str, set[str]] = {}
        self.scales: dict[str, tuple[int, int]] = {}

    def add(self, path: list, message: str) -> None:
        self.errors.append((path, message))

    def run(self) -> list[tuple[list, str]]:
        for key in PART_LISTS:
            self.codes[key] = self.unique_codes(key)
        self.check_sources()
        self.check_risks()
        for i, criterion in _objects(self.doc.get("criteria")):
            self.check_criterion(i, criterion)
        for i, workshop in _objects(self.doc.get("workshops")):
            WorkshopCheck(self, i, workshop).run()
        self.check_slug()
        return self.errors

    def unique_codes(self, key: str) -> set[str]:
        seen: dict[str, int] = {}
        for i, item in _objects(self.doc.get(key)):
            code = item.get("code")
            if not isinstance(code, str):
                continue
            if code in seen:
                self.add([key, i, "code"], f"duplicate code {code!r} (also {key}[{seen[code]}])")
            else:
                seen[code] = i
        return set(seen)

    def known(self, path: list, code, key: str, noun: str) -> None:
        """Report a code that names no part in the list `key` (wrong types the schema reports)."""
        if isinstance(code, str) and code not in self.codes[key]:
            self.add(path, f"no {noun} has the code {code!r}")

    def check_sources(self) -> None:
        for i, source in _objects(self.doc.get("sources")):
            url = source.get("url")
            if isinstance(url, str) and url:
                try:
                    URLValidator()(url)
                except ValidationError:
                    self.add(["sources", i, "url"], f"is not a web address: {url!r}")
        for key in PART_LISTS[1:]:
            for i, part in _objects(self.doc.get(key)):
                self.known([key, i, "source"], part.get("source"), "sources", "source")

    def check_risks(self) -> None:
        for i, risk in _objects(self.doc.get("risks")):
            for key, noun in (("actors", "actor"), ("events", "event")):
                codes = risk.get(key)
                for j, code in enumerate(codes if isinstance(codes, list) else []):
                    self.known(["risks", i, key, j], code, key, noun)

    def check_criterion(self, i: int, criterion: dict) -> None:
        path = ["criteria", i]
        scale = criterion.get("scale", DEFAULT_SCALE)
        if isinstance(scale, dict):
            low, high = scale.get("min"), scale.get("max")
            if _whole(low) and _whole(high) and low >= high:
                self.add(path + ["scale", "max"], f"must be above the scale's min ({low}), not {high}")
        bounds = scale_of(criterion)
        if bounds and isinstance(criterion.get("code"), str):
            self.scales[criterion["code"]] = bounds
        anchors = scale.get("anchors") if isinstance(scale, dict) else None
        if bounds and isinstance(anchors, dict):
            for key in anchors:
                self.check_anchor(path + ["scale", "anchors", key], key, bounds)
        weight = criterion.get("default_weight")
        if _number(weight) and not math.isfinite(weight):
            self.add(path + ["default_weight"], "must be a finite number")
        threshold = criterion.get("red_line_threshold")
        if bounds and _number(threshold) and not bounds[0] <= threshold <= bounds[1]:
            self.add(
                path + ["red_line_threshold"],
                f"must be on the scale {bounds[0]} to {bounds[1]}, not {threshold}",
            )
        origin = criterion.get("derived_from")
        if isinstance(origin, dict) and len(origin) == 1:
            (kind, code), = origin.items()
            if kind in ORIGINS:
                self.known(path + ["derived_from", kind], code, ORIGINS[kind], kind)

    def check_anchor(self, path: list, key: str, bounds: tuple[int, int]) -> None:
        if not isinstance(key, str) or not LEVEL.match(key):
            return  # the schema's propertyNames reports it
        level = int(key)
        if str(level) != key:
            self.add(path, f"write the level as \"{level}\"")
        elif not bounds[0] <= level <= bounds[1]:
            self.add(path, f"level {level} is not on the scale {bounds[0]} to {bounds[1]}")

    def check_slug(self) -> None:
        from .models import Case  # here, so the module loads without Django's app registry

        slug = self.doc.get("slug")
        if not isinstance(slug, str):
            return
        case = Case.objects.filter(slug=slug).first()
        if case is None:
            return
        if not self.replace:
            self.add(["slug"], f"a case with the slug {slug!r} exists already (use --replace)")
            return
        workshops = case.workshops.count()
        if workshops and "workshops" not in self.doc:
            # Replacing the case replaces its options and criteria, so its workshops' scores
            # would go with them. Refuse unless the file carries the workshops it replaces.
            self.add(
                ["slug"],
                f"the case {slug!r} has {workshops} workshop(s) that replacing it would delete; "
                "import a backup made with --with-workshops, or delete the workshops first",
            )


class WorkshopCheck:
    """Members, weights, AHP judgements and scores of one workshop."""

    def __init__(self, case: SemanticCheck, index: int, workshop: dict):
        self.case = case
        self.path = ["workshops", index]
        self.workshop = workshop
        self.roles: dict[str, str] = {}

    def add(self, path: list, message: str) -> None:
        self.case.add(self.path + path, message)

    def run(self) -> None:
        self.check_members()
        self.check_weights()
        self.check_judgements()
        seen: dict[tuple, int] = {}
        for i, score in _objects(self.workshop.get("scores")):
            self.check_score(i, score, seen)

    def check_members(self) -> None:
        seen: dict[str, int] = {}
        for i, member in _objects(self.workshop.get("members")):
            name, role = member.get("username"), member.get("role")
            if not isinstance(name, str):
                continue
            if name in seen:
                self.add(["members", i, "username"], f"{name!r} is a member already (members[{seen[name]}])")
                continue
            seen[name] = i
            self.roles[name] = role

    def check_weights(self) -> None:
        weights = self.workshop.get("weights")
        if not isinstance(weights, dict):
            return
        for code, value in weights.items():
            self.case.known(self.path + ["weights", code], code, "criteria", "criterion")
            if _number(value) and not math.isfinite(value):
                self.add(["weights", code], "must be a finite number")

    def check_judgements(self) -> None:
        judgements = self.workshop.get("ahp_judgements")
        if not isinstance(judgements, dict):
            return
        for key, value in judgements.items():
            path = ["ahp_judgements", key]
            pair = key.split("|")
            if len(pair) != 2 or pair[0] == pair[1]:
                self.add(path, 'must name two different criteria as "C1|C2"')
            else:
                for code in pair:
                    self.case.known(self.path + path, code, "criteria", "criterion")
            # Allow 0.111 for 1/9: people round when they write fractions by hand.
            if _number(value) and not 1 / 9 - 1e-3 <= value <= 9:
                self.add(path, f"must be on Saaty's scale 1/9 to 9, not {value}")

    def check_score(self, i: int, score: dict, seen: dict) -> None:
        path = ["scores", i]
        analyst, option, criterion = (score.get(k) for k in ("analyst", "option", "criterion"))
        known = self.case.known
        known(self.path + path + ["option"], option, "options", "option")
        known(self.path + path + ["criterion"], criterion, "criteria", "criterion")
        if isinstance(analyst, str):
            if analyst not in self.roles:
                self.add(path + ["analyst"], f"{analyst!r} is not a member of this workshop")
            elif self.roles[analyst] == "observer":
                self.add(path + ["analyst"], f"{analyst!r} is an observer; observers do not score")
        score_round, workshop_round = score.get("round", 1), self.workshop.get("round", 1)
        if _whole(score_round) and _whole(workshop_round) and score_round > workshop_round:
            self.add(path + ["round"], f"is after the workshop's round ({workshop_round})")
        self.check_value(path + ["value"], score.get("value"), criterion)
        for key in ("created_at", "updated_at"):
            stamp = score.get(key)
            if isinstance(stamp, str) and parse_timestamp(stamp) is None:
                self.add(path + [key], f"is not a real date and time: {stamp!r}")
        cell = (score_round, analyst, option, criterion)
        if all(isinstance(part, (str, int)) for part in cell):
            if cell in seen:
                self.add(path, f"a second score for the same cell (first at scores[{seen[cell]}])")
            else:
                seen[cell] = i

    def check_value(self, path: list, value, criterion) -> None:
        if not _number(value):
            return
        if not math.isfinite(value):
            self.add(path, "must be a finite number")
            return
        bounds = self.case.scales.get(criterion) if isinstance(criterion, str) else None
        if bounds and not bounds[0] <= value <= bounds[1]:
            self.add(path, f"must be on {criterion}'s scale {bounds[0]} to {bounds[1]}, not {value}")
