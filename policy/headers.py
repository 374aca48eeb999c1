"""The content security policy, on the responses a browser can apply it to."""
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's, skipped for htmx's requests (not boosted ones, which load a page). A
    browser applies a policy only to a document it loads: an htmx reply is swapped into a
    page that already has its own, and a header on it does nothing. Building the policy was a
    third of the cost of a poll that finds nothing new (docs/performance.md)."""

    def process_request(self, request):
        if _swapped_in(request):
            return None  # no nonce either: a nonce in a fragment would not be the page's
        return super().process_request(request)

    def process_response(self, request, response):
        if _swapped_in(request):
            return response
        return super().process_response(request, response)


def _swapped_in(request) -> bool:
    # META, not request.headers: building that mapping of every header costs more than this.
    meta = request.META
    return meta.get("HTTP_HX_REQUEST") == "true" and meta.get("HTTP_HX_BOOSTED") != "true"
