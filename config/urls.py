"""URL map (documented in README.md). Wagtail's catch-all comes last."""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("session/csrf/", views.csrf_token_view, name="session-csrf"),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("support.urls")),
    path("", include("shop.tax.urls")),
    path("dashboard/", apps.get_app_config("dashboard").urls),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("", include("clinics.urls")),
    path("", include("blog.urls")),
    path("", include("marketing.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    # Media from local disk when no object storage is configured; behind a CDN or
    # object storage in production this route is not used.
    from django.views.static import serve

    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
