"""The site's URLs and one that fails, to see the 500 page (tests/views/test_error_pages.py)."""
from django.urls import path

from policy.urls import urlpatterns as site


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [*site, path("fail/", fail)]
