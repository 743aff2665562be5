"""Varnish (deploy/varnish/default.vcl) in front of the live test server.

Slow audits: each test starts varnishd and the demo store; CI runs them once, in its
PostgreSQL pass, with Varnish installed.
"""

import re
import urllib.request
from decimal import Decimal
from http.cookiejar import CookieJar

import pytest
from django.core.signals import request_started
from oscar.core.loading import get_model

pytestmark = pytest.mark.slow_audit

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
CONSENT = "consent=v1|analytics:1|marketing:1; _ga=GA1.1.123.456; _ga_ABC=GS1.1; _fbp=fb.1.2.3"


def _url(upc):
    return Product.objects.get(upc=upc).get_absolute_url()


def _warm(front, path):
    """Two requests: the first fills Varnish, the second must come from it."""
    front.get(path)
    response = front.get(path)
    assert response.status == 200
    assert response.cache == "HIT", response.headers
    return response


def _tags(store, path):
    """The tags the application gives a page (read behind Varnish, where they are visible)."""
    with urllib.request.urlopen(store.url + path) as response:
        return set(response.headers.get("xkey", "").split())


def test_anonymous_page_is_a_hit_on_the_second_request(varnish):
    path = _url("RW-PTS-100")
    first = varnish.get(path)
    assert first.status == 200 and first.cache == "MISS"
    second = varnish.get(path)
    assert second.cache == "HIT"
    assert second.body == first.body
    assert "xkey" not in second.headers  # tags are for Varnish only


def test_price_change_shows_at_once_and_another_product_stays_a_hit(varnish, store):
    changed = Product.objects.get(upc="RW-PTS-100")
    path = changed.get_absolute_url()
    # Another product whose page does not show the changed one (no shared product tag).
    other = next(
        product.get_absolute_url()
        for product in Product.objects.exclude(pk=changed.pk).filter(stockrecords__isnull=False)
        if f"p:{changed.pk}" not in _tags(store, product.get_absolute_url())
    )
    assert "$149.95" in _warm(varnish, path).text
    _warm(varnish, other)

    record = StockRecord.objects.get(product=changed)
    record.price = Decimal("129.00")
    record.save()  # committed at once: the purge goes out after commit

    fresh = varnish.get(path)
    assert fresh.cache == "MISS"
    assert "$129.00" in fresh.text and "$149.95" not in fresh.text
    assert varnish.get(path).cache == "HIT"
    assert varnish.get(other).cache == "HIT"


def _add_to_basket(front, product):
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = browser.open(front.base + "/session/csrf/").read().decode()
    token = re.search(r'"csrfToken": "([^"]+)"', token).group(1)
    browser.open(
        urllib.request.Request(
            f"{front.base}/shop/basket/add/{product.pk}/",
            data=f"csrfmiddlewaretoken={token}&quantity=2".encode(),
            headers={"Referer": front.base + "/"},
        )
    )
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def test_visitor_with_a_basket_never_gets_the_shared_copy_with_an_empty_cart(varnish):
    pads = Product.objects.get(upc="RW-PAD-4")
    path = pads.get_absolute_url()
    shared = _warm(varnish, path)
    assert "Your cart is empty" in shared.text

    cookie = _add_to_basket(varnish, pads)
    assert "oscar_open_basket=" in cookie
    for _ in range(2):
        own = varnish.get(path, {"Cookie": cookie})
        assert own.status == 200
        assert own.cache == "PASS"
        assert '<span class="mini-cart-count">2</span>' in own.text
        assert "Your cart is empty" not in own.text
    # The basket cookie alone, without a session, is also the visitor's own state.
    basket_only = "; ".join(c for c in cookie.split("; ") if c.startswith("oscar_open_basket="))
    own = varnish.get(path, {"Cookie": basket_only + "; " + CONSENT})
    assert own.cache == "PASS" and '<span class="mini-cart-count">2</span>' in own.text


def test_tracking_parameters_share_the_bare_urls_copy(varnish):
    path = _url("RW-PTS-100")
    bare = _warm(varnish, path)
    for query in ("?utm_source=x", "?utm_source=news&utm_medium=email&fbclid=abc", "?gclid=1"):
        tracked = varnish.get(path + query)
        assert tracked.cache == "HIT", query
        assert tracked.body == bare.body


def test_query_parameters_in_another_order_share_one_copy(varnish):
    _warm(varnish, "/shop/catalogue/?sort_by=price-asc&page=1")
    assert varnish.get("/shop/catalogue/?page=1&sort_by=price-asc").cache == "HIT"
    assert varnish.get("/shop/catalogue/?page=1&sort_by=price-asc&utm_campaign=x").cache == "HIT"


def test_consent_and_analytics_cookies_do_not_bypass_the_cache(varnish):
    path = _url("RW-PTS-100")
    _warm(varnish, path)
    with_consent = varnish.get(path, {"Cookie": CONSENT + "; csrftoken=abcdef"})
    assert with_consent.cache == "HIT"


def test_purge_from_a_non_application_address_is_refused(varnish):
    path = _url("RW-PTS-100")
    product = Product.objects.get(upc="RW-PTS-100")
    _warm(varnish, path)
    # 127.0.0.2 is loopback too, but not in the VCL's "purgers" list.
    for headers in ({"xkey-purge": f"p:{product.pk} site"}, {"X-Purge-All": "1"}, {}):
        refused = varnish.request("PURGE", path, headers, source="127.0.0.2")
        assert refused.status == 403, headers
        assert varnish.get(path).cache == "HIT"
    allowed = varnish.request("PURGE", path, {"xkey-purge": f"p:{product.pk}"})
    assert allowed.status == 200
    assert varnish.get(path).cache == "MISS"


def test_forged_xkey_headers_from_a_client_are_stripped(varnish):
    path = _url("RW-PTS-100")
    product = Product.objects.get(upc="RW-PTS-100")
    other = _url("RW-PAD-4")
    _warm(varnish, other)
    seen = []

    def record(sender, environ, **kwargs):
        seen.append({key: value for key, value in environ.items() if "XKEY" in key})

    request_started.connect(record)
    try:
        forged = varnish.get(
            path, {"xkey": "forged site", "xkey-purge": f"site p:{product.pk}", "X-Purge-All": "1"}
        )
    finally:
        request_started.disconnect(record)
    assert forged.status == 200
    assert seen == [{}]  # the application never saw them
    assert "xkey" not in forged.headers
    assert varnish.get(other).cache == "HIT"  # and nothing was purged
    # The copy is tagged by the application only: purging the forged tag leaves it.
    varnish.request("PURGE", "/", {"xkey-purge": "forged"})
    assert varnish.get(path).cache == "HIT"
