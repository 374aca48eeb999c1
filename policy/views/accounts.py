import math

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from ..accounts import ratelimit, sessions
from ..scoring.names import word_for
from ..workshops import actions, invitations

# Django's AuthenticationForm: its username field is the one ratelimit.counted_username()
# reads, so a failure counts against the very name authentication looked up.
_django_login = auth_views.LoginView.as_view()
_django_password_change = auth_views.PasswordChangeView.as_view()


@require_http_methods(["GET", "POST"])
def login_view(request):
    """Django's log-in, refused with 429 once a username or a client address has failed too
    often (policy/accounts/ratelimit.py), counted on the username as authentication sees it.
    The password is not even checked then, so a guess made while refused learns nothing."""
    if request.method != "POST":
        return _django_login(request)
    username = request.POST.get("username", "")
    ip = ratelimit.client_ip(request)
    wait = ratelimit.seconds_blocked(username, ip)
    if wait:
        return _refused(request, username, wait)
    response = _django_login(request)
    # LoginView redirects only when the form was valid and the user is now logged in.
    if response.status_code == 302:
        ratelimit.record_success(username)
    else:
        ratelimit.record_failure(username, ip)
    return response


def _refused(request, username: str, wait: int):
    minutes = math.ceil(wait / 60)
    # The same words whether or not the username exists.
    messages.error(request, (
        "Too many failed log-ins for this username or from your network. "
        f"Try again in {minutes} {word_for(minutes, 'minute')}."
    ))
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "next": request.POST.get("next", "")}
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _safe_next(request) -> str:
    """The page to go to afterwards, from the form or the query; only a local one (an
    off-site one would make log-in and sign-up open redirects)."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    # Signing up from a join link is accepting it: the page says so, and the new account
    # joins the workshop.
    invited_to = invitations.workshop_for_join_url(next_url) if next_url else None
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        if invited_to is not None:
            actions.join(invited_to, user)
            messages.success(request, f"You joined “{invited_to.title}”.")
            return redirect("workshop_detail", invited_to.pk)
        return redirect(next_url or "home")
    return render(
        request, "registration/signup.html",
        {"form": form, "next": next_url, "invited_to": invited_to},
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Django's password change, with the number of the user's live sessions beside "log out
    everywhere"."""
    response = _django_password_change(request)
    if hasattr(response, "context_data"):  # the page, not the redirect after a change
        response.context_data["live_sessions"] = sessions.live_count(request.user)
    return response


@login_required
@require_POST
def logout_everywhere(request):
    """End every session of the user, this one included: a lost phone or a shared computer
    is logged out, and "everywhere" leaves no session behind that the user cannot tell from
    this one."""
    ended = sessions.end_all(request.user)
    logout(request)
    messages.success(request, (
        f"You were logged out everywhere ({ended} {word_for(ended, 'session')}). "
        "Log in again to go on."
    ))
    return redirect("login")
