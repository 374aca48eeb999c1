"""An analyst's own weights (when the facilitator lets analysts weight the criteria): what
they saved, where their form starts, and what their page shows. Only their own: the others'
weights are part of the group's picture, seen on the results page by those who may."""
import numpy as np

from ..models import AnalystWeight, Membership, Workshop
from ..permissions import can_see_group
from ..scoring.ahp import ahp_section
from ..scoring.team_weights import own_weights
from .forms import ahp_initial
from .pages import default_inputs


def saved_inputs(membership: Membership) -> dict:
    """The analyst's saved inputs by criterion code in the workshop's method, or their AHP
    judgements ({} if none)."""
    workshop = membership.workshop
    if workshop.weighting == Workshop.Weighting.AHP:
        return dict(membership.ahp_judgements or {})
    return dict(AnalystWeight.objects.filter(
        workshop=workshop, analyst_id=membership.user_id, weighting=workshop.weighting
    ).values_list("criterion__code", "value"))


def initial(membership: Membership, criteria, saved: dict) -> dict:
    """The form's starting values: the analyst's saved inputs, else a neutral start from the
    case's default weights (never the facilitator's, which would anchor them)."""
    workshop = membership.workshop
    if workshop.weighting == Workshop.Weighting.AHP:
        return ahp_initial(criteria, saved)
    if saved:
        return {f"w_{code}": value for code, value in saved.items()}
    return default_inputs(workshop.weighting, criteria)


def page_context(membership: Membership, form, criteria, saved: dict) -> dict:
    """The analyst's form beside the weights their saved inputs give (as shares)."""
    workshop = membership.workshop
    codes = [c.code for c in criteria]
    inputs = np.array([saved.get(code, np.nan) for code in codes], dtype=float)
    values, ahp = own_weights(codes, workshop.weighting, inputs, saved)
    return {
        "workshop": workshop,
        "membership": membership,
        "form": form,
        "can_see_group": can_see_group(membership),
        "own": None if values is None else [
            {"criterion": criterion, "weight": float(weight)}
            for criterion, weight in zip(criteria, values)
        ],
        "own_ahp": None if ahp is None else ahp_section(ahp),
    }
