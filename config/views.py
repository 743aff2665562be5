"""Project-level views: health check, robots.txt, CSRF token for cached pages, error pages."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from config.security import canonical_url

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """For a load balancer: 200 when the database answers (status "degraded" when the cache
    does not), 503 when it does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "unhealthy", logged below
        logger.exception("health check: database unreachable")
        checks["database"] = "error"
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error"
    except Exception:  # noqa: BLE001
        logger.exception("health check: cache unreachable")
        checks["cache"] = "error"
    # Without the cache the site still serves every page (uncached, sessions from the
    # database), so only the database takes an instance out of the load balancer.
    if checks["database"] != "ok":
        return JsonResponse({"status": "error", **checks}, status=503)
    status = "ok" if checks["cache"] == "ok" else "degraded"
    return JsonResponse({"status": status, **checks}, status=200)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /cms/",
        "Disallow: /dashboard/",
        "Disallow: /django-admin/",
        "Disallow: /shop/basket/",
        "Disallow: /shop/checkout/",
        "Disallow: /shop/accounts/",
        f"Sitemap: {canonical_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
def csrf_token_view(request):
    """Gives a page served from the page cache a CSRF token for its forms.

    Cached pages carry no token (it would be shared by every visitor); static/js/site.js
    asks here once and fills the forms' hidden inputs.
    """
    return JsonResponse({"csrfToken": get_token(request)})


def page_not_found(request, exception=None):
    template = loader.get_template("404.html")
    return HttpResponse(template.render({"request_path": request.path}, request), status=404)


def server_error(request):
    # Rendered without a request context: whatever failed may fail again in a processor.
    template = loader.get_template("500.html")
    return HttpResponse(
        template.render({"shop_name": getattr(settings, "OSCAR_SHOP_NAME", "")}), status=500
    )


def csrf_failure(request, reason=""):
    """A form whose security token was missing or stale: say what to do, in the site's look.

    Forms on cached pages get their token from static/js/site.js, so a browser without
    JavaScript (or one that blocks cookies) ends up here rather than at Django's bare page.
    """
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""  # only ever a link back into this site
    template = loader.get_template("403_csrf.html")
    return HttpResponse(template.render({"back": back}, request), status=403)
