"""Authentication against sessions that are live on the server (policy/accounts/sessions.py)."""
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import middleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

from . import sessions


def _user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = sessions.get_user(request)
    return request._cached_user


async def _auser(request):
    return await sync_to_async(_user)(request)


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """Django's, with the user of a live session only. Lazy like Django's: a request that
    never asks for its user (static files, /health/) costs no query."""

    def process_request(self, request):
        super().process_request(request)  # refuses to run without the session middleware
        request.user = SimpleLazyObject(lambda: _user(request))
        request.auser = lambda: _auser(request)

    def process_response(self, request, response):
        # An htmx request (the page's poll) whose session has ended would follow the redirect
        # and swap the log-in page into a part of the old page: send the browser to the log-in
        # page instead, coming back to the page it was on.
        if response.status_code != 302 or not getattr(request, "htmx", None):
            return response
        if not response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
            return response
        page = request.htmx.current_url_abs_path or "/"
        return HttpResponseClientRedirect(redirect_to_login(page)["Location"])
