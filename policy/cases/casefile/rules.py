"""The rules of a case file that a JSON Schema cannot say: unique codes, references between
parts by code, values on a criterion's scale, workshop members who may score, free slugs.

The checks run on documents the schema may have refused, so each looks before it leaps
(a wrong type is the schema's error to report, not a crash here). Each error is
(path parts, message); casefile_validation turns them into CaseFileErrors.
"""
import math
import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from ...scoring import unlinked

# The lists of parts that carry codes, in the order a case file lists them.
PART_LISTS = ("sources", "principles", "actors", "events", "risks", "options", "criteria")
ORIGINS = {"principle": "principles", "risk": "risks", "actor": "actors"}
DEFAULT_SCALE = {"min": 0, "max": 10}
LEVEL = re.compile(r"^-?[0-9]+$")



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
                message = f"must be above the scale's min ({low}), not {high}"
                self.add(path + ["scale", "max"], message)
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
        from ...models import Case  # here, so the module loads without Django's app registry

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
    """Members, weights, AHP judgements, scores and history of one workshop."""

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
        self.check_judgements(self.workshop.get("ahp_judgements"), ["ahp_judgements"])
        for i, member in _objects(self.workshop.get("members")):
            self.check_judgements(member.get("ahp_judgements"), ["members", i, "ahp_judgements"])
        self.check_analyst_weights()
        seen: dict[tuple, int] = {}
        for i, score in _objects(self.workshop.get("scores")):
            self.check_score(i, score, seen)
        for i, entry in _objects(self.workshop.get("history")):
            self.check_history_entry(["history", i], entry)
        self.check_memo_texts()

    def check_members(self) -> None:
        seen: dict[str, int] = {}
        for i, member in _objects(self.workshop.get("members")):
            name, role = member.get("username"), member.get("role")
            if not isinstance(name, str):
                continue
            if name in seen:
                message = f"{name!r} is a member already (members[{seen[name]}])"
                self.add(["members", i, "username"], message)
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

    def check_analyst_weights(self) -> None:
        """An analyst's own inputs: a member's, on a known criterion, once per method."""
        seen: dict[tuple, int] = {}
        for i, given in _objects(self.workshop.get("analyst_weights")):
            path = ["analyst_weights", i]
            analyst, criterion = given.get("analyst"), given.get("criterion")
            self.case.known(self.path + path + ["criterion"], criterion, "criteria", "criterion")
            if isinstance(analyst, str) and analyst not in self.roles:
                self.add(path + ["analyst"], f"{analyst!r} is not a member of this workshop")
            value = given.get("value")
            if _number(value) and not math.isfinite(value):
                self.add(path + ["value"], "must be a finite number")
            key = (analyst, given.get("weighting"), criterion)
            if all(isinstance(part, str) for part in key):
                if key in seen:
                    self.add(path, f"a second weight for the same criterion "
                                   f"(first at analyst_weights[{seen[key]}])")
                else:
                    seen[key] = i

    def check_judgements(self, judgements, at: list) -> None:
        if not isinstance(judgements, dict):
            return
        for key, value in judgements.items():
            path = at + [key]
            pair = key.split("|")
            if len(pair) != 2 or pair[0] == pair[1]:
                self.add(path, 'must name two different criteria as "C1|C2"')
            else:
                for code in pair:
                    self.case.known(self.path + path, code, "criteria", "criterion")
            # Allow 0.111 for 1/9: people round when they write fractions by hand.
            if _number(value) and not 1 / 9 - 1e-3 <= value <= 9:
                self.add(path, f"must be on Saaty's scale 1/9 to 9, not {value}")
        self.check_linked(judgements, at)

    def check_linked(self, judgements: dict, at: list) -> None:
        """An AHP workshop's judgements (the facilitator's or an analyst's) must link every
        criterion, or no weights follow (docs/method.md §2); judgements a workshop does not
        use are not held to it."""
        codes = [c.get("code") for _, c in _objects(self.case.doc.get("criteria"))]
        if self.workshop.get("weighting") != "ahp" or not judgements or not codes:
            return
        apart = unlinked(codes, judgements)
        if apart:
            self.add(at, (
                f"do not link every criterion: {', '.join(map(str, apart))} not compared with "
                f"{codes[0]}, directly or through other criteria"
            ))

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
        carried = score.get("carried_from")
        if _whole(carried) and _whole(score_round) and carried >= score_round:
            self.add(path + ["carried_from"], f"must be a round before the score's ({score_round})")
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

    def check_history_entry(self, path: list, entry: dict) -> None:
        for key, plural in (("option", "options"), ("criterion", "criteria")):
            code = entry.get(key)
            if code is not None:
                self.case.known(self.path + path + [key], code, plural, key)
            elif entry.get("kind") == "score":
                self.add(path + [key], "a score change names its cell: give its code")
        stamp = entry.get("at")
        if isinstance(stamp, str) and parse_timestamp(stamp) is None:
            self.add(path + ["at"], f"is not a real date and time: {stamp!r}")

    def check_memo_texts(self) -> None:
        """A round's words once each, in a round the workshop has reached, naming an option
        of the case."""
        seen: dict[int, int] = {}
        workshop_round = self.workshop.get("round", 1)
        for i, text in _objects(self.workshop.get("memo_texts")):
            path = ["memo_texts", i]
            if text.get("recommended") is not None:
                self.case.known(self.path + path + ["recommended"], text["recommended"],
                                "options", "option")
            text_round = text.get("round")
            if not _whole(text_round):
                continue
            if _whole(workshop_round) and text_round > workshop_round:
                self.add(path + ["round"], f"is after the workshop's round ({workshop_round})")
            if text_round in seen:
                first = seen[text_round]
                self.add(path + ["round"],
                         f"round {text_round} has its words already (memo_texts[{first}])")
            else:
                seen[text_round] = i

    def check_value(self, path: list, value, criterion) -> None:
        if not _number(value):
            return
        if not math.isfinite(value):
            self.add(path, "must be a finite number")
            return
        bounds = self.case.scales.get(criterion) if isinstance(criterion, str) else None
        if bounds and not bounds[0] <= value <= bounds[1]:
            low, high = bounds
            self.add(path, f"must be on {criterion}'s scale {low} to {high}, not {value}")
