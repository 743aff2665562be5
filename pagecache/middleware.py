"""Whole-page cache.

A visitor without a basket, a session or a pending message sees exactly what every other
such visitor sees (an empty mini cart, a "Sign in" link), so ``PageCacheMiddleware`` renders
the page once and serves it from the cache, before sessions or the database are touched,
until content, prices or stock change (see signals.py).

A visitor with a basket or signed in differs only in the marked regions of base.html: the
header's account link and mini cart, and the messages. ``VisitorPageCacheMiddleware`` (after
the session, auth and basket middleware) takes the same cached page and renders just those
regions for the visitor. Shop pages for signed-in customers (wish lists) are rendered whole.

CSRF tokens are stripped from cached copies; static/js/site.js fetches the visitor's own
token for the forms of a cached page.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from oscar.apps.basket.middleware import BasketMiddleware
from oscar.core.loading import get_model

from .cache import current_generation, page_key

Line = get_model("basket", "Line")

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
# Regions of base.html that belong to the visitor, with the template that renders each.
VISITOR_REGIONS = {
    b"tools": "includes/visitor_tools.html",
    b"messages": "includes/messages.html",
}
_REGION = re.compile(rb"<!--visitor:(\w+)-->.*?<!--/visitor:\1-->", re.S)


def _visitor_has_own_state(request):
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or settings.OSCAR_BASKET_COOKIE_OPEN in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def _is_cacheable_url(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(_EXCLUDED_PREFIXES)
        and "preview" not in request.GET
    )


def is_cacheable_request(request):
    return _is_cacheable_url(request) and not _visitor_has_own_state(request)


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


def _tools_html(request):
    """The account link and mini cart, cached per basket state.

    Rendering the mini cart means applying offers to the basket, the costliest part of a
    request; the result changes only when the basket's lines or vouchers change, or when
    prices and offers change (a new cache generation).
    """
    basket = BasketMiddleware(get_response=None).get_basket(request)  # no offers applied
    state = ""
    if basket.id:
        lines = Line.objects.filter(basket_id=basket.id).order_by("id")
        state = repr(
            (
                list(lines.values_list("id", "quantity", "price_excl_tax", "date_updated")),
                list(basket.vouchers.order_by("id").values_list("id", flat=True)),
            )
        )
    digest = hashlib.sha256(state.encode()).hexdigest()
    key = f"pagecache:tools:{current_generation()}:{request.user.pk}:{basket.id}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(VISITOR_REGIONS[b"tools"], request=request).encode()
        cache.set(key, html, settings.PAGE_CACHE_SECONDS)
    return html


def _personalise(content, request):
    def render(match):
        name = match.group(1)
        template = VISITOR_REGIONS.get(name)
        if template is None:
            return match.group(0)
        if name == b"tools":
            html = _tools_html(request)
        else:
            html = render_to_string(template, request=request).encode()
        return b"<!--visitor:" + name + b"-->" + html + b"<!--/visitor:" + name + b"-->"

    return _REGION.sub(render, content)


class VisitorPageCacheMiddleware:
    """Serves a visitor with a basket or an account the cached page with their own header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (_is_cacheable_url(request) and _visitor_has_own_state(request)):
            return self.get_response(request)
        if request.user.is_authenticated and request.path.startswith("/shop/"):
            return self.get_response(request)
        cached = cache.get(page_key(request))
        if cached is None:
            return self.get_response(request)
        content, headers = cached
        response = HttpResponse(_personalise(content, request) if request.method == "GET" else b"")
        for name, value in headers:
            response[name] = value
        response["Cache-Control"] = "private"
        response["X-Page-Cache"] = "hit-visitor"
        return response
