"""A workshop's comparison, computed once per state of the workshop and shared by everyone who
shows it: the results page, the workshop page and its live panels, the weights page, the memo,
the XLSX export and `results --json`.

The comparison (`compare(workshop_frames(...)).to_dict()`, 2,000 Monte Carlo draws) costs
tens of milliseconds and a few queries; every page, poll with new panels, memo and export
asked for it again. It depends only on what the key below holds, so it is kept in the shared
cache (any process, any machine) under that key: a second look at the same state costs one
query (the key's) and a cache read.

What the key holds, and why that is all the result depends on:
    revision          every score, weight, reveal, round, join, and every change to the
                      case's options and criteria (policy/cases/changes.py) bumps it
    case stamp        any other change to the case (policy/cases/changes.py)
    workshop stamp    edits to the workshop's own fields (aggregation, anonymous...), which
                      the revision does not count, by its updated_at; its created_at tells
                      apart two workshops that got the same id (SQLite may reuse one)
    round, method, aggregation, weighting, draws, seed: what was asked for
    RESULT_VERSION    bumped when the engine's output changes shape or numbers

A locked workshop's results are not computed: they are its record's (policy/workshops/record.py),
as they were at lock, whatever later happens to the case.
"""
import hashlib

from django.core.cache import cache

from ..models import LockedRecord, Workshop
from ..scoring import DEFAULT_DRAWS, DEFAULT_SEED, ScoringError, compare
from .frames import workshop_frames

RESULT_VERSION = "2"  # 2: the analysts' own weights (weights.analysts, flip rows, weights_drawn)
CACHE_SECONDS = 24 * 3600  # older states are never asked for again; let them expire


def workshop_result(
    workshop: Workshop, round: int | None = None, *, method: str | None = None,
    aggregation: str | None = None, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
    reload: bool = True,
) -> dict:
    """The comparison of the workshop as it is now (`round` defaults to its current round;
    method and aggregation to its own), from the cache when it was computed for this state.
    Raises ScoringError, with the engine's message, when there is no comparison.

    reload=False: `workshop` (with its case) was just read by this request, e.g. by a page's
    membership check; its key is as good as a second read, and costs no query."""
    # Read the key before the data: a save during the computation then only makes the stored
    # result newer than its key, and the next revision computes it again.
    fresh = Workshop.objects.select_related("case").get(pk=workshop.pk) if reload else workshop
    round = round or fresh.round
    method, aggregation = method or fresh.method, aggregation or fresh.aggregation
    kept = _locked(fresh, round, method, aggregation, draws, seed)
    if kept is None:
        key = _key(fresh, round, method, aggregation, draws, seed)
        kept = cache.get(key)
    if kept is None:
        try:
            kept = {"result": compare(
                workshop_frames(fresh, round), method=method, aggregation=aggregation,
                draws=draws, seed=seed,
            ).to_dict()}
        except ScoringError as error:
            # The same state always fails the same way: keep the message too.
            kept = {"error": str(error)}
        cache.set(key, kept, CACHE_SECONDS)
    if "error" in kept:
        raise ScoringError(kept["error"])
    return kept["result"]


def _locked(workshop: Workshop, round: int, method: str, aggregation: str, draws: int,
            seed: int) -> dict | None:
    """What a locked workshop's record kept for this round (policy/workshops/record.py), or
    None: not locked, or asked with other settings than those it was locked with."""
    if workshop.status != Workshop.Status.LOCKED or (draws, seed) != (DEFAULT_DRAWS, DEFAULT_SEED):
        return None
    results = LockedRecord.objects.filter(
        workshop=workshop, method=method, aggregation=aggregation
    ).values_list("results", flat=True).first()
    return None if results is None else results.get(str(round))


def _key(workshop: Workshop, round: int, method: str, aggregation: str, draws: int,
         seed: int) -> str:
    state = "|".join(str(part) for part in (
        RESULT_VERSION, workshop.revision, round, method, aggregation, workshop.weighting,
        draws, seed, workshop.case.updated_at.isoformat(), workshop.updated_at.isoformat(),
        workshop.created_at.isoformat(),
    ))
    # Hashed: cache backends limit keys' length and characters (memcached: no spaces).
    return f"result:{workshop.pk}:{hashlib.sha256(state.encode()).hexdigest()[:32]}"
