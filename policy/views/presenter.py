"""The presenter screen for the projector, and joining by the code it shows."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..models import Workshop
from ..permissions import membership_for, require_facilitator
from ..workshops.live import revision_number
from ..workshops.presenter import join_qr_svg, screen_context, spaced_code


@login_required
@require_GET
def workshop_present(request, pk):
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    workshop = membership.workshop
    context = screen_context(workshop)
    if workshop.join_token:
        join_url = request.build_absolute_uri(reverse("workshop_join", args=[workshop.join_token]))
        context.update({
            "join_code": spaced_code(workshop.join_token),
            "join_page": request.build_absolute_uri(reverse("join_by_code")),
            # segno escapes nothing it is not given; the URL is ours, built above.
            "join_qr": join_qr_svg(join_url).replace(
                "<svg ", '<svg role="img" aria-label="QR code of the join link" ', 1),
        })
    return render(request, "policy/presenter.html", context)


@login_required
@require_GET
def workshop_present_live(request, pk):
    """The screen's live panel when the workshop changed since `revision`, else 204."""
    membership = membership_for(request.user, pk)
    require_facilitator(membership)
    workshop = membership.workshop
    if revision_number(request.GET.get("revision")) == workshop.revision:
        return HttpResponse(status=204)
    return render(request, "policy/presenter.html#live", screen_context(workshop))


@require_GET
def join_by_code(request):
    """The code from the projector, typed in: on to the join page (which asks for an account)."""
    typed = request.GET.get("code", "")
    code = "".join(typed.split()).replace("-", "").upper()[:64]
    if code and Workshop.objects.filter(join_token=code).exists():
        return redirect("workshop_join", code)
    error = "No workshop has that code. Check it on the screen and try again." if typed else ""
    return render(request, "policy/join_code.html", {"error": error, "code": typed[:64]},
                  status=404 if error else 200)
