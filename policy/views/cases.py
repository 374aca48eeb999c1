from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from ..models import Case


def home(request):
    cases = Case.objects.annotate(
        option_count=Count("options", distinct=True),
        criterion_count=Count("criteria", distinct=True),
    )
    return render(request, "policy/home.html", {"cases": cases})


def case_detail(request, slug):
    case = get_object_or_404(Case, slug=slug)
    context = {
        "case": case,
        "principles": case.principles.select_related("source"),
        "actors": case.actors.select_related("source"),
        "events": case.events.select_related("source"),
        "risks": case.risks.select_related("source").prefetch_related("actors", "events"),
        "options": case.options.select_related("source"),
        "criteria": case.criteria.select_related("principle", "risk", "actor"),
        "sources": case.sources.all(),
    }
    return render(request, "policy/case_detail.html", context)
