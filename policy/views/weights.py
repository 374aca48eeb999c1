"""The weights pages: the facilitator's (inputs by method, and the ranking as it moves; who
weights the criteria) and, when analysts weight the criteria, each analyst's own."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..workshops import actions, own_weights
from ..workshops.forms import WeightsForm
from ..models import Workshop
from ..permissions import membership_for, require_facilitator, require_own_weights
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


@login_required
@require_POST
def workshop_analysts_weigh(request, pk):
    """Let analysts weight the criteria themselves, or the facilitator alone again."""
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    on = request.POST.get("analysts_weigh") == "1"
    try:
        actions.set_analysts_weigh(pk, on, by=request.user)
    except actions.ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Analysts now weight the criteria themselves." if on
                         else "You alone weight the criteria now.")
    return redirect("workshop_weights", pk)


@login_required
@require_http_methods(["GET", "POST"])
def my_weights(request, pk):
    """An analyst's own weights, in the workshop's method."""
    membership = membership_for(request.user, pk)
    require_own_weights(membership)
    workshop = membership.workshop
    criteria = list(workshop.case.criteria.all())
    saved = own_weights.saved_inputs(membership)
    # A page opened before the facilitator changed the method posts the old method's fields.
    stale = request.method == "POST" and request.POST.get("shown") != workshop.weighting
    done = False
    # As on the facilitator's page: saved values stay valid choices under a posted form.
    initial = own_weights.initial(membership, criteria, saved)
    if request.method == "POST" and not stale:
        form = WeightsForm(request.POST, initial=initial, criteria=criteria,
                           method=workshop.weighting)
        if form.is_valid():
            ahp = form.method == Workshop.Weighting.AHP
            try:
                actions.set_own_weights(
                    pk, request.user, form.method,
                    values={} if ahp else form.weight_values(),
                    judgements=form.judgements() if ahp else {},
                )
            except actions.ActionRefused as refused:
                form.add_error(None, str(refused))
            else:
                done = True
                saved = own_weights.saved_inputs(membership)
    else:
        form = WeightsForm(initial=initial, criteria=criteria, method=workshop.weighting)

    context = {**own_weights.page_context(membership, form, criteria, saved), "stale": stale}
    if request.htmx:
        return render(request, "policy/my_weights.html#my_weights_form", {**context, "oob": True})
    if done:
        messages.success(request, "Your weights are saved.")
        return redirect("workshop_my_weights", pk)
    return render(request, "policy/my_weights.html", context)
