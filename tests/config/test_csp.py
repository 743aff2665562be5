"""Content-Security-Policy (django-csp, config/csp.py): a nonce for every inline script,
the same on a page served from the page cache, and only the outside origins the settings
name."""

import re

import pytest

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.S)
DATA_TYPES = ('type="application/json"', 'type="application/ld+json"')


def _policy(response):
    header = response["Content-Security-Policy"]
    return dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in header.split(";")) if part
    )


def _nonce(response):
    match = re.search(r"'nonce-([^']+)'", _policy(response)["script-src"])
    return match.group(1) if match else None


def _assert_inline_scripts_carry(response, nonce):
    html = response.content.decode()
    for attributes in INLINE_SCRIPT.findall(html):
        if any(kind in attributes for kind in DATA_TYPES):
            continue
        assert f'nonce="{nonce}"' in attributes, attributes


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/blog/what-do-back-spasms-feel-like/",
        "/shop/catalogue/pain-therapy-system_1/",
        "/shop/basket/",
        "/clinics/?q=10001",
        "/search/?q=pain",
    ],
)
def test_key_pages_send_a_policy_whose_nonce_is_on_every_inline_script(client, demo, url):
    from oscar.core.loading import get_model

    if "catalogue" in url:
        product = get_model("catalogue", "Product").objects.get(slug="pain-therapy-system")
        url = product.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    # Pages with no inline script (content pages load only files) need no nonce; any inline
    # script there is must carry the one the policy names.
    _assert_inline_scripts_carry(response, _nonce(response))


@pytest.mark.django_db
def test_a_cached_page_is_served_with_the_header_matching_its_nonce(client, demo, settings):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/blog/")
    second = client.get("/blog/")
    assert second["X-Page-Cache"] == "hit"
    assert _nonce(second) == _nonce(first)
    _assert_inline_scripts_carry(second, _nonce(second))
    # A visitor with a basket gets the same cached page with their own header regions.
    client.cookies["oscar_open_basket"] = "1:x"
    visitor = client.get("/blog/")
    assert visitor["X-Page-Cache"] == "hit-visitor"
    _assert_inline_scripts_carry(visitor, _nonce(visitor))


@pytest.mark.django_db
def test_outside_origins_come_from_the_settings(client, settings):
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    settings.STRIPE_API_BASE = ""
    settings.META_PIXEL_SCRIPT_URL = "https://connect.facebook.net/en_US/fbevents.js"
    settings.GA4_SCRIPT_URL = "https://www.googletagmanager.com/gtag/js"
    settings.CLINICS_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    policy = _policy(client.get("/healthz"))
    assert "https://js.stripe.com" in policy["script-src"]
    assert "https://connect.facebook.net" in policy["script-src"]
    assert "https://www.googletagmanager.com" in policy["script-src"]
    assert "https://tile.openstreetmap.org" in policy["img-src"]
    assert "https://js.stripe.com" in policy["frame-src"]
    settings.STRIPE_JS_URL = "http://127.0.0.1:8420/js.stripe.com/v3/"
    settings.STRIPE_API_BASE = "http://127.0.0.1:8420"
    policy = _policy(client.get("/healthz"))
    assert "http://127.0.0.1:8420" in policy["script-src"]
    assert "https://js.stripe.com" not in policy["script-src"]


@pytest.mark.django_db
def test_report_only_mode_is_a_setting(client, settings):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = policy
    response = client.get("/healthz")
    assert "Content-Security-Policy" not in response
    assert "'nonce-" not in response["Content-Security-Policy-Report-Only"]
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]
