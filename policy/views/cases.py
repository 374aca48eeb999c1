from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..cases.copying import copy_case
from ..models import Case, Membership
from ..permissions import can_edit_case


@require_GET
def home(request):
    cases = Case.objects.annotate(
        option_count=Count("options", distinct=True),
        criterion_count=Count("criteria", distinct=True),
    )
    memberships = []
    if request.user.is_authenticated:
        memberships = Membership.objects.filter(user=request.user).select_related(
            "workshop__case"
        ).order_by("-workshop__updated_at")
    return render(request, "policy/home.html", {"cases": cases, "memberships": memberships})


@require_GET
def case_detail(request, slug):
    case = get_object_or_404(Case, slug=slug)
    context = {
        "case": case,
        "can_edit": can_edit_case(request.user, case),
        "principles": case.principles.select_related("source"),
        "actors": case.actors.select_related("source"),
        "events": case.events.select_related("source"),
        "risks": case.risks.select_related("source").prefetch_related("actors", "events"),
        "options": case.options.select_related("source"),
        "criteria": case.criteria.select_related("principle", "risk", "actor"),
        "sources": case.sources.all(),
    }
    return render(request, "policy/case_detail.html", context)


@login_required
@require_POST
def case_copy(request, slug):
    """Anyone signed in may copy a case they can read (every case is public to read)."""
    case = get_object_or_404(Case, slug=slug)
    copy = copy_case(request.user, case)
    messages.success(request, f"This is your copy of “{case.title}”: you own it and may edit it.")
    return redirect("case_edit", copy.slug)
