"""The case file (JSON): load, validate, import atomically, export. See docs/case-format.md.

Parts refer to each other by code, never by database id. Export writes the full form (every
optional key present), so export -> import -> export gives the same document.
"""
import json
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from ..changes import case_changed
from . import memo
from .export import FORMAT, VERSION, export_case
from .limits import TOO_DEEP
from .rules import DEFAULT_SCALE, parse_timestamp
from .validation import CaseFileError, CaseFileInvalid, validate
from ...workshops import history
from ...models import (
    Actor,
    AnalystWeight,
    Case,
    Criterion,
    Event,
    Membership,
    Option,
    Principle,
    Risk,
    Score,
    Source,
    Weight,
    Workshop,
)

__all__ = [
    "FORMAT", "VERSION", "CaseFileError", "CaseFileInvalid",
    "validate", "import_case", "export_case", "load_file", "parse", "dumps",
]

WORKSHOP_FIELDS = (
    "title", "status", "round", "hide_scores", "revealed", "anonymous", "aggregation", "method",
    "weighting", "ahp_judgements", "analysts_weigh", "handling", "revision",
)
BATCH = 2000


def load_file(path) -> dict:
    """The JSON document in a file; CaseFileInvalid (path `$`) if unreadable or not JSON."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        message = f"cannot read {path}: {error.strerror}"
        raise CaseFileInvalid([CaseFileError("$", message)]) from None
    return parse(data, str(path))


def parse(data: bytes, name: str) -> dict:
    """The JSON document in a file's bytes; CaseFileInvalid (path `$`) if not JSON. `name`
    labels the file in the messages."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"{name} is not UTF-8 text ({error.reason})"
        raise CaseFileInvalid([CaseFileError("$", message)]) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise CaseFileInvalid([CaseFileError("$", message)]) from None
    except RecursionError:
        # The parser recurses per level; far past any case file's depth, it runs out.
        raise CaseFileInvalid([CaseFileError("$", TOO_DEEP)]) from None
    except ValueError as error:
        raise CaseFileInvalid([CaseFileError("$", str(error))]) from None


def _refuse_constant(name: str):
    # Python's json reads NaN and Infinity, which JSON itself does not allow; a score never is.
    raise ValueError(f"not valid JSON: {name} is not a number JSON allows")


def dumps(document: dict) -> str:
    """The file's text: indented, UTF-8 as written, keys in the export's order, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- Import ---------------------------------------------------------------------------------


def import_case(document: dict, *, replace: bool = False) -> Case:
    """Write the case (and its workshops, if the file has them) in one transaction.

    Raises CaseFileInvalid with every error, writing nothing, if the document is invalid.
    With replace=True an existing case of the same slug is deleted first (in the same
    transaction, so a failure leaves it in place).
    """
    with transaction.atomic():
        errors = validate(document, replace=replace)
        if errors:
            raise CaseFileInvalid(errors)
        kept = _delete_case(document["slug"]) if replace else {}
        case = _Importer(document).run()
        for name, pks in kept.items():
            getattr(case, name).set(pks)
        return case


def _delete_case(slug: str) -> dict[str, list]:
    """Delete the case and its workshops; return who it belonged to, which the file omits.

    Owners and editors are not part of a case file, so a replaced case keeps the old ones
    rather than becoming nobody's."""
    case = Case.objects.filter(slug=slug).first()
    if case is None:
        return {}
    kept = {
        field.name: list(getattr(case, field.name).values_list("pk", flat=True))
        for field in Case._meta.many_to_many
    }
    # Workshops protect their case from deletion; a replaced case takes them along.
    case.workshops.all().delete()
    case.delete()
    return kept


def _pick(item: dict, keys: tuple) -> dict:
    """The keys the file gives; the model's defaults fill in the rest."""
    return {key: item[key] for key in keys if key in item}


class _Importer:
    """Creates the rows, one bulk insert per table, keeping code -> object maps for references."""

    def __init__(self, document: dict):
        self.doc = document

    def run(self) -> Case:
        doc = self.doc
        self.case = Case.objects.create(
            slug=doc["slug"], title=doc["title"], question=doc["question"],
            context=doc.get("context", ""), decider=doc["decider"],
        )
        # Sources first: every other part may cite one. Risks before criteria, which may
        # derive from them.
        self.sources = self.create(Source, "sources", self.source)
        self.principles = self.create(Principle, "principles", self.principle)
        self.actors = self.create(Actor, "actors", self.actor)
        self.events = self.create(Event, "events", self.event)
        self.risks = self.create(Risk, "risks", self.risk)
        self.link_risks()
        self.options = self.create(Option, "options", self.option)
        self.criteria = self.create(Criterion, "criteria", self.criterion)
        # bulk_create sends no signal. The file's workshops come next and keep its revisions.
        case_changed(self.case.pk, scored=True)
        for workshop in doc.get("workshops", []):
            self.workshop(workshop)
        return self.case

    def create(self, model, key: str, build) -> dict:
        objects = [build(item, i) for i, item in enumerate(self.doc.get(key, []))]
        model.objects.bulk_create(objects, batch_size=BATCH)
        return {obj.code: obj for obj in objects}

    def part(self, item: dict, position: int) -> dict:
        """The fields every part shares. Position is the part's place in its list."""
        return {
            "case": self.case, "code": item["code"], "position": position,
            "quote": item.get("quote", ""), "source": self.sources.get(item.get("source")),
        }

    def source(self, item: dict, position: int) -> Source:
        return Source(case=self.case, code=item["code"], citation=item["citation"],
                      position=position,
                      url=item.get("url", ""))

    def principle(self, item: dict, position: int) -> Principle:
        fields = _pick(item, ("title", "statement", "red_line"))
        return Principle(**self.part(item, position), **fields)

    def actor(self, item: dict, position: int) -> Actor:
        fields = _pick(item, ("name", "kind", "influence", "stance", "interests"))
        return Actor(**self.part(item, position), **fields)

    def event(self, item: dict, position: int) -> Event:
        fields = _pick(item, ("title", "description"))
        return Event(**self.part(item, position), date=date.fromisoformat(item["date"]), **fields)

    def risk(self, item: dict, position: int) -> Risk:
        fields = _pick(item, ("title", "description", "likelihood", "impact", "evidence"))
        return Risk(**self.part(item, position), **fields)

    def option(self, item: dict, position: int) -> Option:
        return Option(**self.part(item, position), **_pick(item, ("title", "summary")))

    def link_risks(self) -> None:
        actors, events = Risk.actors.through, Risk.events.through
        actor_links, event_links = [], []
        for item in self.doc["risks"]:
            risk = self.risks[item["code"]]
            actor_links += [actors(risk=risk, actor=self.actors[c]) for c in item.get("actors", [])]
            event_links += [events(risk=risk, event=self.events[c]) for c in item.get("events", [])]
        actors.objects.bulk_create(actor_links, batch_size=BATCH)
        events.objects.bulk_create(event_links, batch_size=BATCH)

    def criterion(self, item: dict, position: int) -> Criterion:
        scale = item.get("scale", DEFAULT_SCALE)
        origin = item.get("derived_from") or {}
        fields = _pick(item, ("title", "description", "kind", "direction", "red_line_threshold"))
        if "default_weight" in item:
            fields["default_weight"] = float(item["default_weight"])
        return Criterion(
            **self.part(item, position),
            **fields,
            scale_min=int(scale["min"]),
            scale_max=int(scale["max"]),
            anchors=dict(scale.get("anchors", {})),
            principle=self.principles.get(origin.get("principle")),
            risk=self.risks.get(origin.get("risk")),
            actor=self.actors.get(origin.get("actor")),
        )

    def workshop(self, item: dict) -> None:
        workshop = Workshop.objects.create(case=self.case, **_pick(item, WORKSHOP_FIELDS))
        members, entries = item.get("members", []), item.get("history", [])
        users = _users([member["username"] for member in members] + history.usernames_in(entries))
        Membership.objects.bulk_create([
            Membership(workshop=workshop, user=users[m["username"]], role=m["role"],
                       ahp_judgements=dict(m.get("ahp_judgements", {})))
            for m in members
        ])
        Weight.objects.bulk_create([
            Weight(workshop=workshop, criterion=self.criteria[code], value=float(value))
            for code, value in item.get("weights", {}).items()
        ])
        AnalystWeight.objects.bulk_create([
            AnalystWeight(workshop=workshop, analyst=users[w["analyst"]], weighting=w["weighting"],
                          criterion=self.criteria[w["criterion"]], value=float(w["value"]))
            for w in item.get("analyst_weights", [])
        ])
        self.scores(workshop, item.get("scores", []), users)
        history.from_file(workshop, entries, users, self.options, self.criteria, parse_timestamp)
        memo.from_file(workshop, item, self.options)

    def scores(self, workshop: Workshop, items: list, users: dict) -> None:
        now = timezone.now()
        scores = []
        for item in items:
            created, updated = item.get("created_at"), item.get("updated_at")
            scores.append(Score(
                workshop=workshop, round=item.get("round", 1), analyst=users[item["analyst"]],
                option=self.options[item["option"]], criterion=self.criteria[item["criterion"]],
                value=float(item["value"]), rationale=item.get("rationale", ""),
                carried_from=item.get("carried_from"),
                # One time given stands for both; none given, the time of import.
                created_at=parse_timestamp(created or updated) if created or updated else now,
                updated_at=parse_timestamp(updated or created) if created or updated else now,
            ))
        _insert_as_given(Score, scores)


def _insert_as_given(model, objects: list) -> None:
    """INSERT the rows with every value as set, auto_now fields included.

    bulk_create stamps auto_now fields with the time of the insert, and putting the file's
    times back with bulk_update costs seconds per 10,000 rows; executemany costs a fraction.
    Values are adapted by each field, as the ORM would.
    """
    if not objects:
        return
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})", rows
        )


def _users(usernames: list[str]) -> dict:
    """Accounts by username; missing ones are created without a usable password."""
    User = get_user_model()
    field = User.USERNAME_FIELD
    found = {u.get_username(): u for u in User.objects.filter(**{f"{field}__in": usernames})}
    missing = []
    for name in dict.fromkeys(usernames):
        if name not in found:
            user = User(**{field: name})
            user.set_unusable_password()
            missing.append(user)
    User.objects.bulk_create(missing)
    found.update((user.get_username(), user) for user in missing)
    return found
