"""URL map (documented in README.md). Wagtail's catch-all comes last."""

import re

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("session/csrf/", views.csrf_token_view, name="session-csrf"),
    path("django-admin/", admin.site.urls),
    # Wagtail's deliberate 500 ("failwhale", for testing error reporting) is not served.
    path("cms/failwhale/", views.page_not_found),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("staff.urls")),
    path("", include("support.urls")),
    path("", include("shop.tax.urls")),
    path("dashboard/", apps.get_app_config("dashboard").urls),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    # Oscar's WishListCreateView redirects to the un-namespaced name "wishlists-create" when
    # the product is gone (a 500 without this name); the storefront's own route above
    # answers first, so this entry only gives that name a URL.
    path(
        "shop/accounts/wishlists/create/",
        RedirectView.as_view(pattern_name="customer:wishlists-create"),
        name="wishlists-create",
    ),
    path("", include("search.urls")),
    path("", include("clinics.urls")),
    path("", include("blog.urls")),
    path("", include("marketing.urls")),
]

if settings.SERVE_MEDIA:
    # Media from local disk when no object storage is configured; a safe view, never the
    # debug-only django.views.static.serve (see config/media.py).
    from config.media import serve_media

    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", serve_media)
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
