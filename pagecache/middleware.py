"""Whole-page cache.

A visitor without a basket, a session or a pending message sees exactly what every other
such visitor sees (an empty mini cart, a "Sign in" link), so ``PageCacheMiddleware`` renders
the page once and serves it from the cache, before sessions or the database are touched,
until something it shows changes: each copy carries the tags of what it rendered (see
tags.py, signals.py) and a committed change invalidates only the copies tagged with it.

A visitor with a basket or signed in differs only in the marked regions of base.html: the
header's account link and mini cart, and the messages. ``VisitorPageCacheMiddleware`` (after
the session, auth and basket middleware) takes the same cached page and renders just those
regions for the visitor. Shop pages show a signed-in customer their own wish lists and stock
alerts, so each customer gets their own cached copy, keyed by their own generation as well
(bumped when their wish lists or alerts change, see signals.py).

The basket page is the visitor's own, but it changes only when their basket does: it is
cached per basket state (lines, quantities, vouchers; for a customer also the saved basket
and default address), with the tags of the products and offers it shows, and served with
the visitor's own header, messages and CSRF token.

Headers for an HTTP cache in front: a shared copy goes out with ``Cache-Control: public,
max-age=0, s-maxage=<seconds left>`` and ``xkey: <tags>``; everything else is ``private``.
CSRF tokens are stripped from cached copies; static/js/site.js fetches the visitor's own
token for the forms of a cached page.
"""

import hashlib
import re
import time
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import get_max_age
from oscar.apps.basket.middleware import BasketMiddleware
from oscar.core.loading import get_model

from . import rules
from . import tags as t
from .cache import customer_page_key, lookup, page_key, set_copy
from .offers import seconds_to_next_offer_change

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")

_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "X-Frame-Options",
    "Referrer-Policy",
    # The policy, with the outside origins of the settings it was rendered under (config/csp.py).
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
)
# What may be kept: pages, and the feeds, sitemap and JSON answers anonymous visitors share.
_CACHEABLE_TYPES = (
    "text/html",
    "application/json",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "text/plain",
    "text/csv",
)
# Regions of base.html that belong to the visitor, with the template that renders each.
VISITOR_REGIONS = {
    b"tools": "includes/visitor_tools.html",
    b"messages": "includes/messages.html",
}
_REGION = re.compile(rb"<!--visitor:(\w+)-->.*?<!--/visitor:\1-->", re.S)
# Tags whose copies show prices: these never outlive the next start or end of an offer.
_PRICED_TAG = re.compile(r"^(p:|offers$|list:products$)")


def _visitor_has_own_state(request):
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or settings.OSCAR_BASKET_COOKIE_OPEN in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def lifetime(response, tags=()):
    """Seconds to keep a page: ``PAGE_CACHE_SECONDS``, or less when the view says so with
    ``max-age`` (the clinic pages, whose "open now" must not be ten minutes old), and never
    past the next start or end of an offer or voucher when the page shows prices."""
    seconds = settings.PAGE_CACHE_SECONDS
    max_age = get_max_age(response)
    if max_age is not None:
        seconds = max(0, min(max_age, seconds))
    if seconds > 0 and any(_PRICED_TAG.match(tag) for tag in tags):
        seconds = min(seconds, seconds_to_next_offer_change())
    return seconds


def _is_cacheable_url(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not rules.in_never_shared_area(request.path_info)
        and "preview" not in request.GET
    )


def is_cacheable_request(request):
    return _is_cacheable_url(request) and not _visitor_has_own_state(request)


def _is_keepable(request, response):
    """A whole page the view allows to be kept (the visitor's own copies included)."""
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith(_CACHEABLE_TYPES)
        and "no-store" not in response.get("Cache-Control", "")
        and get_max_age(response) != 0
    )


def is_cacheable_response(request, response):
    """Whether a page may be shared by every visitor without state of their own."""
    if not _is_keepable(request, response):
        return False
    if getattr(request, "pagecache_never_shared", False):
        return False  # a page behind a view restriction (wagtail_hooks.py)
    if rules.never_shared(request, getattr(request, "resolver_match", None)):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache")):
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


def _mark_private(response):
    """Nothing shared may go out without saying so; anything else is the visitor's."""
    cache_control = response.get("Cache-Control", "")
    if "private" not in cache_control and "no-store" not in cache_control:
        response["Cache-Control"] = f"private, {cache_control}" if cache_control else "private"
    if "xkey" in response:
        del response["xkey"]
    return response


def _mark_shared(response, tags, seconds, browser_seconds=0):
    """Shared: an HTTP cache in front may keep it ``seconds`` (until a tag is purged);
    browsers revalidate unless the view gave a ``max-age`` of its own."""
    seconds = max(0, int(seconds))
    browser_seconds = max(0, min(int(browser_seconds or 0), seconds))
    response["Cache-Control"] = f"public, max-age={browser_seconds}, s-maxage={seconds}"
    response["xkey"] = " ".join(sorted(tags))
    return response


def _render_recording(get_response, request):
    """Render the page, collecting the tags of what it shows."""
    with t.recording() as shown:
        response = get_response(request)
    if 200 <= response.status_code < 300:
        shown |= rules.list_tags(getattr(request, "resolver_match", None))
    return response, _with_implied_tags(shown)


def _with_implied_tags(shown):
    """Every copy shows the site's header and footer; a copy showing prices depends on
    the offers and vouchers too (an edit to one may start or end it)."""
    shown.add(t.SITE)
    if any(_PRICED_TAG.match(tag) for tag in shown):
        shown.add(t.OFFERS)
    return shown


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return _mark_private(self.get_response(request))

        key = page_key(request)
        cached, clock = lookup(key)
        if cached is not None:
            content, headers, tags, expires, browser_seconds = cached
            response = HttpResponse(content if request.method == "GET" else b"")
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return _mark_shared(response, tags, expires - time.time(), browser_seconds)

        response, tags = _render_recording(self.get_response, request)
        if request.method == "GET" and is_cacheable_response(request, response):
            seconds = lifetime(response, tags)
            if _store(key, response, tags, seconds, clock):
                response["X-Page-Cache"] = "miss"
                return _mark_shared(response, tags, seconds, get_max_age(response))
        return _mark_private(response)


def _store(key, response, tags, seconds, clock):
    """Keep a rendered page without its CSRF tokens (refilled for each visitor on the way
    out) and with only the headers that belong to the page, not the visitor."""
    content = _CSRF_INPUT.sub(rb"\1\2", response.content)
    headers = [(name, response[name]) for name in _KEPT_HEADERS if name in response]
    payload = (content, headers, sorted(tags), time.time() + seconds, get_max_age(response))
    return set_copy(key, payload, tags, seconds, clock)


def _lines_state(basket_id):
    lines = Line.objects.filter(basket_id=basket_id).order_by("id")
    return list(lines.values_list("id", "quantity", "price_excl_tax", "date_updated"))


def basket_state_key(request):
    """``user:basket:digest`` naming what the visitor's basket looks like now.

    The digest covers what the mini cart and the basket page are computed from: lines,
    quantities, prices at the time of adding, vouchers, the tax destination chosen on the
    basket page and, for a customer, the saved basket and the default shipping address.
    Prices, stock, offers and tax rates are covered by the tags of the copies. Computed once
    per request.
    """
    key = getattr(request, "_pagecache_basket_state", None)
    if key is not None:
        return key
    basket = BasketMiddleware(get_response=None).get_basket(request)  # no offers applied
    state = []
    if basket.id:
        state.append(_lines_state(basket.id))
        state.append(list(basket.vouchers.order_by("id").values_list("id", flat=True)))
    user = request.user
    if user.is_authenticated:
        saved = Basket.saved.filter(owner=user).values_list("id", flat=True).first()
        state.append(_lines_state(saved) if saved else [])
        address = user.addresses.filter(is_default_for_shipping=True)
        state.append(list(address.values_list()))
    # Where the shopper said they ship to: the basket page's estimated tax (shop/tax/).
    state.append(request.session.get("tax_destination"))
    digest = hashlib.sha256(repr(state).encode()).hexdigest()
    key = f"{user.pk}:{basket.id}:{digest}"
    request._pagecache_basket_state = key
    return key


def _tools_html(request):
    """The account link and mini cart, cached per basket state.

    Rendering the mini cart means applying offers to the basket, the costliest part of a
    request; the result changes only when the basket's lines or vouchers change, or when
    what it shows (its products' prices, offers) is invalidated.
    """
    key = f"pagecache:tools:{basket_state_key(request)}"
    html, clock = lookup(key)
    if html is None:
        with t.recording() as shown:
            html = render_to_string(VISITOR_REGIONS[b"tools"], request=request).encode()
        shown = _with_implied_tags(shown)
        seconds = settings.PAGE_CACHE_SECONDS
        if any(_PRICED_TAG.match(tag) for tag in shown):
            seconds = min(seconds, seconds_to_next_offer_change())
        set_copy(key, html, shown, seconds, clock)
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


def _with_csrf_token(content, request):
    token = get_token(request).encode()
    return _CSRF_INPUT.sub(lambda match: match.group(1) + token + match.group(2), content)


def _serve(content, headers, request, label):
    response = HttpResponse(content if request.method == "GET" else b"")
    for name, value in headers:
        response[name] = value
    response["Cache-Control"] = "private"
    response["X-Page-Cache"] = label
    return response


@lru_cache(maxsize=4096)
def _resolve(path_info):
    try:
        return resolve(path_info)
    except Resolver404:
        return None


class VisitorPageCacheMiddleware:
    """Serves a visitor with a basket or an account the cached page with their own header,
    and anyone their basket page as last rendered for the same basket state."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.basket_path = None

    def __call__(self, request):
        if self.basket_path is None:
            self.basket_path = reverse("basket:summary")
        if request.path == self.basket_path:
            return self.basket_page(request)
        if not (_is_cacheable_url(request) and _visitor_has_own_state(request)):
            return self.get_response(request)
        match = _resolve(request.path_info)
        if rules.never_shared(request, match):
            return self.get_response(request)
        if request.user.is_authenticated and match is not None:
            if rules.CUSTOMER_COPY_NAMESPACES.intersection(match.namespaces):
                return self.customer_page(request)
        cached, _clock = lookup(page_key(request))
        if cached is None:
            return self.get_response(request)
        content, headers = cached[:2]
        return _serve(_personalise(content, request), headers, request, "hit-visitor")

    def customer_page(self, request):
        """A shop page as this customer last saw it, with their header and a fresh token."""
        return self._own_copy(request, customer_page_key(request), "customer")

    def _own_copy(self, request, key, kind):
        """Serve the visitor's own cached copy under ``key``, or render and keep it."""
        cached, clock = lookup(key)
        if cached is not None:
            content, headers = cached[:2]
            content = _with_csrf_token(_personalise(content, request), request)
            return _serve(content, headers, request, f"hit-{kind}")
        response, tags = _render_recording(self.get_response, request)
        if request.method == "GET" and _is_keepable(request, response):
            if _store(key, response, tags, lifetime(response, tags), clock):
                response["X-Page-Cache"] = f"miss-{kind}"
        response["Cache-Control"] = "private"
        return response

    def basket_page(self, request):
        if (
            settings.PAGE_CACHE_SECONDS <= 0
            or request.method not in ("GET", "HEAD")
            or request.GET
            or "HTTP_AUTHORIZATION" in request.META
        ):
            return self.get_response(request)
        key = f"pagecache:basket:{request.get_host()}:{basket_state_key(request)}"
        return self._own_copy(request, key, "basket")
