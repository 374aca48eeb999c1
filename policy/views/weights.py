"""The facilitator's weights page: inputs by method, and the ranking as it moves."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..workshops import actions
from ..workshops.forms import WeightsForm, ahp_label
from ..models import Workshop
from ..workshops.permissions import membership_for, require_facilitator
from .results import results_context


def initial_inputs(workshop: Workshop, method: str, criteria) -> dict:
    """The form's starting values: the saved inputs when they are in this method, else a
    neutral start derived from the case's default weights."""
    if method == Workshop.Weighting.AHP:
        saved = workshop.ahp_judgements if workshop.weighting == method else {}
        return {f"ahp_{pair}": ahp_label(value) for pair, value in saved.items()}
    if workshop.weighting == method:
        saved = dict(workshop.weights.values_list("criterion__code", "value"))
        if saved:
            return {f"w_{code}": value for code, value in saved.items()}
    defaults = {c.code: c.default_weight for c in criteria}
    if method == Workshop.Weighting.DIRECT:
        values = defaults
    elif method == Workshop.Weighting.SWING:
        top = max(defaults.values()) or 1
        values = {code: round(100 * w / top) for code, w in defaults.items()}
    else:
        ordered = sorted(defaults, key=lambda code: -defaults[code])
        values = {code: ordered.index(code) + 1 for code in defaults}
    return {f"w_{code}": value for code, value in values.items()}


@login_required
@require_http_methods(["GET", "POST"])
def workshop_weights(request, pk):
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    workshop = membership.workshop
    criteria = list(workshop.case.criteria.all())

    method = request.POST.get("weighting") or workshop.weighting
    switching = request.method == "POST" and request.POST.get("shown") != method
    if request.method == "POST" and not switching:
        form = WeightsForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                actions.set_weights(
                    pk, form.method,
                    values={} if form.method == Workshop.Weighting.AHP else form.weight_values(),
                    judgements=form.judgements() if form.method == Workshop.Weighting.AHP else {},
                    by=request.user,
                )
            except actions.ActionRefused as refused:
                form.add_error(None, str(refused))
            else:
                workshop.refresh_from_db()
                if not request.htmx:
                    messages.success(request, "Weights saved.")
                    return redirect("workshop_weights", pk)
    else:
        initial = {"weighting": method, **initial_inputs(workshop, method, criteria)}
        form = WeightsForm(initial=initial, criteria=criteria)

    context = {"workshop": workshop, "membership": membership, "form": form,
               **results_context(workshop)}
    if request.htmx:
        return render(request, "policy/weights.html#weights_form", {**context, "oob": True})
    return render(request, "policy/weights.html", context)
