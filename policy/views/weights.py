"""The facilitator's weights page: inputs by method, and the ranking as it moves."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..workshops import actions
from ..workshops.forms import WeightsForm
from ..models import Workshop
from ..permissions import membership_for, require_facilitator
from ..workshops.pages import initial_weights, weights_context


@login_required
@require_http_methods(["GET", "POST"])
def workshop_weights(request, pk):
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    workshop = membership.workshop
    criteria = list(workshop.case.criteria.all())

    method = request.POST.get("weighting") or workshop.weighting
    switching = request.method == "POST" and request.POST.get("shown") != method
    saved = False
    # The stored inputs, also under a posted form: a stored AHP value off the offered scale
    # stays a valid choice for its pair.
    initial = {"weighting": method, **initial_weights(workshop, method, criteria)}
    if request.method == "POST" and not switching:
        form = WeightsForm(request.POST, initial=initial, criteria=criteria)
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
                saved = True
    else:
        form = WeightsForm(initial=initial, criteria=criteria)

    if request.htmx:
        context = {**weights_context(membership, form), "oob": True}
        return render(request, "policy/weights.html#weights_form", context)
    if saved:
        messages.success(request, "Weights saved.")
        return redirect("workshop_weights", pk)
    return render(request, "policy/weights.html", weights_context(membership, form))
