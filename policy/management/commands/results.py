"""Print a workshop's weighted comparison: JSON for scripts, a readable summary for people."""

import json

from django.core.management.base import BaseCommand, CommandError

from policy.models import Workshop
from policy.scoring import AGGREGATIONS, DEFAULT_DRAWS, DEFAULT_SEED, METHODS, ScoringError
from policy.workshops.results import workshop_result


class Command(BaseCommand):
    help = "The weighted comparison of a workshop: ranking, matrix, disagreement, sensitivity."
    # A read-only report: skip the system checks, which import every view (and WeasyPrint).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("workshop_id", type=int)
        parser.add_argument("--json", action="store_true", help="Print the full result as JSON.")
        parser.add_argument("--method", choices=METHODS, help="Default: the workshop's.")
        parser.add_argument("--aggregate", choices=AGGREGATIONS, help="Default: the workshop's.")
        parser.add_argument("--round", type=int, help="Default: the workshop's current round.")
        parser.add_argument(
            "--draws", type=int, default=DEFAULT_DRAWS, help="Monte Carlo draws (0 to skip)."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, **options):
        workshop = Workshop.objects.filter(pk=options["workshop_id"]).first()
        if workshop is None:
            raise CommandError(f"No workshop with id {options['workshop_id']}.")
        if options["draws"] < 0:
            raise CommandError("--draws must be 0 or more.")
        try:
            result = workshop_result(
                workshop,
                options["round"],
                method=options["method"],
                aggregation=options["aggregate"],
                draws=options["draws"],
                seed=options["seed"],
            )
        except ScoringError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(summary(workshop, result))


def percent(share) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def summary(workshop: Workshop, result: dict) -> str:
    settings = result["settings"]
    lines = [
        f"{workshop.title} (workshop {workshop.pk}), round {settings['round']}: "
        f"{settings['method'].replace('_', ' ')}, {settings['aggregation'].replace('_', ' ')}, "
        f"{result['weights']['method']} weights ({result['weights']['source']})",
        "",
        f"{'Rank':>4}  {'Option':<8} {'Total':>7} {'Covered':>8}  Title",
    ]
    for row in result["ranking"]:
        if row["status"] == "ranked":
            lines.append(
                f"{row['rank']:>4}  {row['option']:<8} {row['total']:>7.3f} "
                f"{percent(row['weight_covered']):>8}  {row['title']}"
            )
        else:
            crossed = "; ".join(
                f"{line['criterion']} {line['score']:g} against red line {line['threshold']:g}"
                for line in row["screened_out"]
            )
            lines.append(
                f"{'-':>4}  {row['option']:<8} {row['status'].replace('_', ' ')}"
                f"{': ' + crossed if crossed else ''}"
            )
    winner = result["winner"]
    acceptability = result["sensitivity"]["rank_acceptability"]
    if winner:
        lines += [
            "",
            f"Winner: {winner['option']} {winner['title']}"
            + (
                f", by {winner['margin']:.3f} over {winner['runner_up']}"
                if winner["runner_up"]
                else ""
            ),
        ]
        if acceptability:
            mc = next(o for o in acceptability["options"] if o["option"] == winner["option"])
            lines.append(
                f"First in {percent(mc['p_first'])} of {acceptability['draws']} draws "
                f"(weights varied: {percent(mc['p_first_weights'])}, analysts resampled: "
                f"{percent(mc['p_first_analysts'])})"
            )
        lines += ["", f"Weight share within which {winner['option']} stays first:"]
        for flip in result["sensitivity"]["flip_points"]:
            ends = ", ".join(
                f"{label} {flip[key]}"
                for label, key in (("below", "below_takes_over"), ("above", "above_takes_over"))
                if flip[key]
            )
            lines.append(
                f"  {flip['criterion']:<8} now {flip['weight']:.3f}  "
                f"[{flip['lower']:.3f}, {flip['upper']:.3f}]" + (f"  then {ends}" if ends else "")
            )
    disagreement = result["disagreement"]
    w = disagreement["kendall_w"]
    lines += ["", f"Contested cells (IQR above 1 scale point): {disagreement['contested']}"]
    for cell in disagreement["cells"][:10]:
        if cell["contested"]:
            lines.append(
                f"  {cell['option']}/{cell['criterion']}: IQR {cell['iqr']:g}, "
                f"median {cell['median']:g}, n {cell['n']}"
            )
    lines.append(
        "Kendall's W: "
        + (
            "-"
            if w["w"] is None
            else f"{w['w']:.3f} ({w['raters']} analysts, {w['options']} options)"
        )
    )
    if result["orders"]["winners_differ"]:
        lines.append(
            "Weighting each analyst first picks "
            f"{result['orders']['weight_then_aggregate']['winner']}."
        )
    if result["warnings"]:
        lines += ["", "Warnings:"] + [f"  - {item['message']}" for item in result["warnings"]]
    return "\n".join(lines)
