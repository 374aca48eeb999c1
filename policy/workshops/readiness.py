"""Whether a case, and a workshop on it, can be scored: at least two options to compare, a
criterion to compare them on, and weights that are not all zero (and, for AHP, judgements that
link every criterion). Each gap is said in words a
facilitator can act on, on the page where they tried."""
from ..models import Case, Workshop
from ..scoring import AhpUnlinkedError, ZeroWeightsError, criterion_weights
from .frames import criteria_table

MIN_OPTIONS = 2


def case_gaps(case: Case) -> list[str]:
    """What the case lacks for any workshop on it."""
    gaps = []
    options = case.options.count()
    if options < MIN_OPTIONS:
        gaps.append(
            f"The case has {options} option{'' if options == 1 else 's'}: a comparison needs "
            f"at least {MIN_OPTIONS}. Add options to the case."
        )
    if not case.criteria.exists():
        gaps.append("The case has no criteria to score the options on. Add a criterion.")
    return gaps


def scoring_gaps(workshop: Workshop) -> list[str]:
    """What stops this workshop's scoring from opening: the case's gaps, then its weights
    (the workshop's own, or the case's defaults when it has none)."""
    gaps = case_gaps(workshop.case)
    if gaps:
        return gaps
    criteria, _ = criteria_table(workshop)
    try:
        criterion_weights(criteria, workshop.weighting, workshop.ahp_judgements or {})
    except ZeroWeightsError:
        gaps.append(
            "Every criterion weighs zero, so no option could score. Set the workshop's weights "
            "(or the case's default weights) above zero."
        )
    except AhpUnlinkedError as error:
        gaps.append(str(error))
    return gaps
