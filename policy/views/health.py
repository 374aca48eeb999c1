from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    """For load balancers: the process answers. Touches no database on purpose."""
    return HttpResponse("ok", content_type="text/plain")
