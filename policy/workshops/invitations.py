"""A join link met elsewhere: the log-in and sign-up pages carry it as `next`."""
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from ..models import Workshop


def workshop_for_join_url(url: str) -> Workshop | None:
    """The workshop a local join link (path /join/<token>/) admits to, if it still does."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.url_name != "workshop_join":
        return None
    return Workshop.objects.filter(join_token=match.kwargs["token"]).first()
