"""The site's URLs with support's mounted first, for test runs before config/urls.py has it."""

from django.urls import include, path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("", include("support.urls")), *site_urlpatterns]
