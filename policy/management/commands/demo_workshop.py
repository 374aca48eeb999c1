"""A workshop of synthetic analysts, for demos and benchmarks; the same seed makes the same one.

Each cell has a latent "true" score. An analyst's score is that truth plus the analyst's own
leniency, a lean per criterion and noise, rounded onto the criterion's scale. A few cells are
contested: the team splits into two schools of thought that score them far apart (bimodal).
"""

import numpy as np
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from policy.models import Case, Membership, Score, Workshop

FACILITATOR = "demo"  # setup_demo's account, when it exists
FALLBACK_FACILITATOR = "demo-facilitator"

# Spread in shares of the scale (0-1): analyst leniency, per-criterion lean, noise.
LENIENCY_SD, LEAN_SD, NOISE_SD = 0.03, 0.025, 0.04
CONTESTED_GAP = 0.25  # each school sits this far from the truth, on opposite sides

RATIONALES = {
    "low": [
        "{option} works against this: {criterion} would likely get worse, not better.",
        "Little in {option} serves {criterion}; the regional record points the other way.",
        "On {criterion}, {option} depends on partners who have shown no interest.",
    ],
    "mid": [
        "{option} helps {criterion} somewhat, but only if Astana and Moscow go along.",
        "Mixed: {option} moves {criterion} forward on paper, less so in practice.",
        "{option} neither advances nor sets back {criterion} much in the next two years.",
    ],
    "high": [
        "{option} serves {criterion} directly and builds on commitments already made.",
        "Strong on {criterion}: {option} is what the region's own actors have asked for.",
        "{option} is the most credible path to {criterion} we have seen argued.",
    ],
}


class Command(BaseCommand):
    help = "Make a workshop with N synthetic analysts' scores on a case; prints its id."

    def add_arguments(self, parser):
        parser.add_argument("case_slug")
        parser.add_argument("--analysts", type=int, default=8)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--contested",
            type=float,
            default=0.1,
            help="Share of cells the team splits on (default 0.1).",
        )
        parser.add_argument(
            "--missing",
            type=float,
            default=0.0,
            help="Share of scores left blank, for partial completeness.",
        )

    def handle(self, *args, **options):
        case = Case.objects.filter(slug=options["case_slug"]).first()
        if case is None:
            raise CommandError(f"No case with slug {options['case_slug']!r}.")
        if options["analysts"] < 1:
            raise CommandError("--analysts must be 1 or more.")
        if not (0 <= options["contested"] <= 1 and 0 <= options["missing"] < 1):
            raise CommandError("--contested must be in [0, 1] and --missing in [0, 1).")
        workshop = make_demo_workshop(
            case, options["analysts"], options["seed"], options["contested"], options["missing"]
        )
        self.stdout.write(str(workshop.pk))


def demo_user(username: str):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_unusable_password()  # log in only through an admin-set password
        user.save()
    return user


def facilitator():
    existing = get_user_model().objects.filter(username=FACILITATOR).first()
    return existing or demo_user(FALLBACK_FACILITATOR)


def synthetic_values(
    rng: np.random.Generator,
    analysts: int,
    scale_min: np.ndarray,
    scale_max: np.ndarray,
    n_options: int,
    contested: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Scores (analyst, option, criterion) on each criterion's scale, and the contested mask."""
    n_criteria = len(scale_min)
    quality = rng.normal(0, 0.12, size=(n_options, 1))  # some options are simply better
    truth = np.clip(0.5 + quality + rng.normal(0, 0.18, size=(n_options, n_criteria)), 0.05, 0.95)
    leniency = rng.normal(0, LENIENCY_SD, size=(analysts, 1, 1))
    lean = rng.normal(0, LEAN_SD, size=(analysts, 1, n_criteria))
    noise = rng.normal(0, NOISE_SD, size=(analysts, n_options, n_criteria))
    split = rng.random((n_options, n_criteria)) < contested
    school = np.where(rng.random(analysts) < 0.5, -1.0, 1.0).reshape(-1, 1, 1)
    share = truth + leniency + lean + noise + np.where(split, school * CONTESTED_GAP, 0.0)
    values = np.round(scale_min + np.clip(share, 0, 1) * (scale_max - scale_min))
    return values, split


def rationale(rng: np.random.Generator, share: float, option: str, criterion: str) -> str:
    level = "low" if share < 0.4 else "high" if share > 0.65 else "mid"
    templates = RATIONALES[level]
    return templates[rng.integers(len(templates))].format(
        option=option, criterion=criterion.lower()
    )


@transaction.atomic
def make_demo_workshop(
    case: Case, analysts: int, seed: int, contested: float = 0.1, missing: float = 0.0
) -> Workshop:
    rng = np.random.default_rng(seed)
    options = list(case.options.order_by("position", "code"))
    criteria = list(case.criteria.order_by("position", "code"))
    lead = facilitator()
    workshop = Workshop.objects.create(
        case=case,
        title=f"Demo: {analysts} synthetic analysts (seed {seed})",
        status=Workshop.Status.CLOSED,
        revealed=True,
        created_by=lead,
    )
    users = [demo_user(f"analyst-{i:02d}") for i in range(1, analysts + 1)]
    Membership.objects.bulk_create(
        [Membership(workshop=workshop, user=lead, role=Membership.Role.FACILITATOR)]
        + [Membership(workshop=workshop, user=user, role=Membership.Role.ANALYST) for user in users]
    )
    scale_min = np.array([c.scale_min for c in criteria], dtype=float)
    scale_max = np.array([c.scale_max for c in criteria], dtype=float)
    values, _ = synthetic_values(rng, analysts, scale_min, scale_max, len(options), contested)
    blank = rng.random(values.shape) < missing
    shares = (values - scale_min) / (scale_max - scale_min)
    scores = [
        Score(
            workshop=workshop,
            round=1,
            analyst=users[a],
            option=options[o],
            criterion=criteria[c],
            value=float(values[a, o, c]),
            rationale=rationale(rng, shares[a, o, c], options[o].title, criteria[c].title),
        )
        for a, o, c in zip(*np.nonzero(~blank))
    ]
    Score.objects.bulk_create(scores, batch_size=2000)
    workshop.bump()
    return workshop
