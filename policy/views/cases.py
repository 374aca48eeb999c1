from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

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
