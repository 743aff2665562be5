"""Whole-page cache for anonymous visitors without a basket, session or pending message.

Such a visitor sees exactly what every other such visitor sees (an empty mini cart, a
"Sign in" link), so the page is rendered once and served from the cache until content,
prices or stock change (see signals.py). Anyone with a basket, a session or a message gets
a freshly rendered page. CSRF tokens are stripped from the cached copy; static/js/site.js
fetches a per-visitor token for the forms of a cached page.
"""

import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from .cache import page_key

_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_EXCLUDED_PREFIXES = (
    "/cms/",
    "/dashboard/",
    "/django-admin/",
    "/shop/basket/",
    "/shop/checkout/",
    "/shop/accounts/",
    "/shop/wishlists/",
    "/session/",
    "/healthz",
    "/documents/",
    "/media/",
    "/static/",
)
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Referrer-Policy")


def _visitor_has_own_state(request):
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or settings.OSCAR_BASKET_COOKIE_OPEN in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def is_cacheable_request(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(_EXCLUDED_PREFIXES)
        and not _visitor_has_own_state(request)
        and "preview" not in request.GET
    )


def is_cacheable_response(request, response):
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    # A view that started a session, a basket or a message made the page personal.
    personal_cookies = {
        settings.SESSION_COOKIE_NAME,
        settings.OSCAR_BASKET_COOKIE_OPEN,
        "messages",
    }
    if personal_cookies & set(response.cookies):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)

        key = page_key(request)
        cached = cache.get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content if request.method == "GET" else b"")
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if request.method == "GET" and is_cacheable_response(request, response):
            content = _CSRF_INPUT.sub(rb"\1\2", response.content)
            headers = [(name, response[name]) for name in _KEPT_HEADERS if name in response]
            cache.set(key, (content, headers), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
