"""Content-Security-Policy (django-csp, config/csp.py): scripts only from the site's files,
no inline script and so no nonce (a cached page would repeat one nonce to every visitor),
and only the outside origins the settings name."""

import re

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.S)
DATA_TYPES = ('type="application/json"', 'type="application/ld+json"')
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Email = get_model("communication", "Email")


def _policy(response):
    header = response["Content-Security-Policy"]
    return dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in header.split(";")) if part
    )


def _assert_no_inline_script(response):
    html = response.content.decode()
    scripts = [a for a in INLINE_SCRIPT.findall(html) if not any(k in a for k in DATA_TYPES)]
    assert scripts == []
    assert "nonce" not in html


def _assert_strict(response):
    policy = _policy(response)
    assert policy["script-src"].split()[0] == "'self'"
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "'nonce-", "'strict-dynamic'"):
        assert loophole not in policy["script-src"]
    assert policy["object-src"] == "'none'"


@pytest.mark.django_db
def test_key_pages_have_no_inline_script_and_a_policy_without_nonce(client, demo):
    urls = [
        "/",
        "/blog/what-do-back-spasms-feel-like/",
        Product.objects.get(slug="pain-therapy-system").get_absolute_url(),
        Category.objects.get(slug="devices").get_absolute_url(),
        "/shop/search/?q=pads",
        "/shop/basket/",
        "/clinics/?q=10001",
        "/search/?q=pain",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response)
        _assert_no_inline_script(response)


@pytest.mark.django_db
def test_oscar_page_set_up_runs_from_a_file_that_is_told_the_page(client, demo):
    """static/js/oscar-init.js reads the view name: the basket's set-up needs its own URL."""
    html = client.get("/shop/basket/").content.decode()
    tag = re.search(r'<script src="[^"]*js/oscar-init[^"]*\.js"([^>]*)>', html)
    assert tag, "the basket page loads oscar-init.js"
    assert 'data-view="basket:summary"' in tag.group(1)
    assert f'data-basket-url="{reverse("basket:summary")}"' in tag.group(1)
    listing = client.get(Category.objects.get(slug="devices").get_absolute_url())
    assert 'data-view="catalogue:category"' in listing.content.decode()


@pytest.mark.django_db
def test_a_sent_email_is_shown_in_a_sandboxed_frame_without_script(client, django_user_model):
    customer = django_user_model.objects.create_user("ada", "ada@example.com", "a-long-password-1")
    email = Email.objects.create(
        user=customer,
        email=customer.email,
        subject="Your order",
        body_text="Thanks",
        body_html='<p>Thanks &amp; more</p><script>alert("x")</script>',
    )
    client.force_login(customer)
    response = client.get(reverse("customer:email-detail", kwargs={"email_id": email.pk}))
    assert response.status_code == 200
    _assert_no_inline_script(response)
    html = response.content.decode()
    frame = re.search(r"<iframe([^>]*)>", html).group(1)
    assert " sandbox " in frame + " "
    assert 'srcdoc="&lt;p&gt;Thanks &amp;amp; more&lt;/p&gt;&lt;script&gt;' in frame


@pytest.mark.django_db
def test_a_cached_page_is_served_with_the_same_strict_policy(client, demo, settings):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/blog/")
    second = client.get("/blog/")
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    _assert_strict(second)
    _assert_no_inline_script(second)
    # A visitor with a basket gets the same cached page with their own header regions.
    client.cookies["oscar_open_basket"] = "1:x"
    visitor = client.get("/blog/")
    assert visitor["X-Page-Cache"] == "hit-visitor"
    _assert_strict(visitor)
    _assert_no_inline_script(visitor)


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
