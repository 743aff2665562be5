"""Tracking with consent in a real browser, with local stand-ins for Meta's and Google's
scripts (static/marketing/test-*.js record calls instead of sending them).

The product page is the real one; the order page is a test page (tests/marketing/urls.py)
that renders the thank-you page's Purchase include inside the site's base layout.
"""

import re
import time

import pytest
from django.conf import settings as django_settings
from oscar.core.loading import get_model
from oscar.test.factories import create_order
from playwright.sync_api import expect
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Site

from marketing.models import ReportedPurchase, TrackingSettings

Product = get_model("catalogue", "Product")

PIXEL_ID = "1234567890"
GA4_ID = "G-TEST12345"
TRACKING_COOKIES = {"_fbp", "_fbc", "_ga", "_gid"}


@pytest.fixture
def wagtail_baseline(transactional_db):
    """What Wagtail's migrations create and the flush after any live-server test removes
    (the default locale, the root collection); load_demo needs them to create pages."""
    language = get_supported_content_language_variant(django_settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code=language)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


@pytest.fixture
def tracked_site(wagtail_baseline, demo_site, settings):
    settings.ROOT_URLCONF = "tests.marketing.urls"
    settings.META_PIXEL_SCRIPT_URL = "/static/marketing/test-fbevents.js"
    settings.GA4_SCRIPT_URL = "/static/marketing/test-gtag.js"
    TrackingSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"meta_pixel_id": PIXEL_ID, "ga4_measurement_id": GA4_ID},
    )
    return demo_site


@pytest.fixture
def script_requests(page):
    urls = []
    page.on(
        "request",
        lambda request: urls.append(request.url) if "/marketing/test-" in request.url else None,
    )
    return urls


def cookie_names(page):
    return {cookie["name"] for cookie in page.context.cookies()}


def wait_until(page, expression, timeout=20.0):
    """Poll a JavaScript expression from the test side: Playwright's wait_for_function
    polls with eval inside the page, which the site's Content-Security-Policy forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.1)


def fbq_calls(page):
    return page.evaluate("window.__fbqCalls || []")


def tracked(page, event):
    return [call for call in fbq_calls(page) if call[:2] == ["track", event]]


def product_page(base_url):
    return base_url + Product.objects.get(upc="RW-PTS-100").get_absolute_url()


def accept_marketing_only(page, base_url):
    """The visitor's earlier choice: Meta Pixel yes, analytics no."""
    page.context.add_cookies(
        [{"name": "consent", "value": "v1|analytics:0|marketing:1", "url": base_url}]
    )


def test_no_tracking_before_consent_then_page_view_and_view_content(
    page, tracked_site, script_requests
):
    page.goto(product_page(tracked_site))
    banner = page.get_by_role("dialog", name="Cookies on ReliefWorks")
    expect(banner).to_be_visible()

    assert page.evaluate("typeof window.fbq") == "undefined"
    assert page.evaluate("typeof window.gtag") == "undefined"
    assert fbq_calls(page) == []
    assert script_requests == []
    assert not cookie_names(page) & (TRACKING_COOKIES | {"consent"})

    banner.get_by_role("button", name="Accept all").click()

    expect(banner).to_be_hidden()
    wait_until(page, "(window.__fbqCalls || []).length >= 3")
    calls = fbq_calls(page)
    assert calls[:2] == [["init", PIXEL_ID], ["track", "PageView"]]
    assert tracked(page, "ViewContent") == [
        [
            "track",
            "ViewContent",
            {
                "content_ids": ["RW-PTS-100"],
                "content_type": "product",
                "content_name": "Pain Therapy System",
                "value": 149.95,
                "currency": "USD",
            },
        ]
    ]
    wait_until(page, "window.__gtagLoaded === true")
    assert {"_fbp", "_ga", "consent"} <= cookie_names(page)
    consent = next(c for c in page.context.cookies() if c["name"] == "consent")
    assert consent["value"] == "v1|analytics:1|marketing:1"

    # The next page remembers the choice: no banner, a PageView straight away.
    page.goto(tracked_site + "/newsletter/")
    expect(page.locator("#consent-banner")).to_be_hidden()
    wait_until(page, "(window.__fbqCalls || []).length >= 2")
    assert tracked(page, "PageView") == [["track", "PageView"]]


def test_reject_loads_nothing_and_sets_no_tracking_cookie(page, tracked_site, script_requests):
    page.goto(tracked_site + "/newsletter/")

    page.get_by_role("button", name="Reject all").click()
    page.reload()
    page.wait_for_load_state("networkidle")

    expect(page.locator("#consent-banner")).to_be_hidden()
    assert page.evaluate("typeof window.fbq") == "undefined"
    assert script_requests == []
    assert not cookie_names(page) & TRACKING_COOKIES
    consent = next(c for c in page.context.cookies() if c["name"] == "consent")
    assert consent["value"] == "v1|analytics:0|marketing:0"


def test_choice_can_be_changed_from_the_footer(page, tracked_site):
    accept_marketing_only(page, tracked_site)
    page.goto(tracked_site + "/newsletter/")
    wait_until(page, "(window.__fbqCalls || []).length >= 2")
    assert "_fbp" in cookie_names(page)

    page.locator("footer").get_by_role("button", name="Cookie choices").click()
    banner = page.get_by_role("dialog", name="Cookies on ReliefWorks")
    marketing = banner.get_by_label("Marketing: Meta Pixel, to measure and tailor our adverts")
    expect(marketing).to_be_checked()
    marketing.uncheck()
    with page.expect_navigation():
        banner.get_by_role("button", name="Save my choices").click()

    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.fbq") == "undefined"
    assert "_fbp" not in cookie_names(page)


def test_analytics_only_loads_ga4_and_not_the_pixel(page, tracked_site, script_requests):
    page.goto(tracked_site + "/newsletter/")
    banner = page.get_by_role("dialog", name="Cookies on ReliefWorks")

    banner.get_by_role("button", name="Let me choose").click()
    banner.get_by_label("Analytics: Google Analytics statistics").check()
    banner.get_by_role("button", name="Save my choices").click()

    wait_until(page, "window.__gtagLoaded === true")
    assert page.evaluate("typeof window.fbq") == "undefined"
    assert all("test-fbevents" not in url for url in script_requests)
    config = page.evaluate(
        "Array.from(window.dataLayer).map(a => Array.from(a)).filter(a => a[0] === 'config')"
    )
    assert config == [["config", GA4_ID]]


def test_add_to_cart_is_sent_with_the_quantity(page, tracked_site):
    accept_marketing_only(page, tracked_site)
    page.goto(product_page(tracked_site))
    wait_until(page, "(window.__fbqCalls || []).length >= 3")
    # Keep the page (and its record of calls) instead of following the form to the basket.
    page.evaluate("window.addEventListener('submit', (event) => event.preventDefault())")

    form = page.locator("#add_to_basket_form")
    form.locator("input[name=quantity]").fill("2")
    form.get_by_role("button", name=re.compile("Add to (cart|basket)")).click()

    assert tracked(page, "AddToCart") == [
        [
            "track",
            "AddToCart",
            {
                "content_type": "product",
                "content_ids": ["RW-PTS-100"],
                "contents": [{"id": "RW-PTS-100", "quantity": 2}],
                "content_name": "Pain Therapy System",
                "currency": "USD",
                "value": 299.9,
            },
        ]
    ]


def test_purchase_is_sent_once_per_order(page, tracked_site):
    order = create_order(number="100077")
    accept_marketing_only(page, tracked_site)
    url = f"{tracked_site}/__tests__/thank-you/{order.number}/"

    page.goto(url)
    wait_until(page, "(window.__fbqCalls || []).length >= 3")
    [purchase] = tracked(page, "Purchase")
    assert purchase[2]["value"] == float(order.total_incl_tax)
    assert purchase[2]["currency"] == order.currency
    assert purchase[2]["content_type"] == "product"
    assert len(purchase[2]["content_ids"]) == 1
    assert purchase[3] == {"eventID": "100077"}

    page.reload()
    wait_until(page, "(window.__fbqCalls || []).length >= 2")
    page.wait_for_load_state("networkidle")
    assert tracked(page, "PageView") == [["track", "PageView"]]
    assert tracked(page, "Purchase") == []


def test_browser_refuses_a_purchase_it_has_sent_even_if_the_page_has_it_again(page, tracked_site):
    """The page copy may be stale (served before the server noted the order): the browser's
    own record still stops a second Purchase."""
    order = create_order(number="100078")
    accept_marketing_only(page, tracked_site)
    url = f"{tracked_site}/__tests__/thank-you/{order.number}/"
    page.goto(url)
    wait_until(page, "(window.__fbqCalls || []).length >= 3")
    assert len(tracked(page, "Purchase")) == 1

    ReportedPurchase.objects.filter(order_number=order.number).delete()
    page.reload()
    wait_until(page, "(window.__fbqCalls || []).length >= 2")
    page.wait_for_load_state("networkidle")

    assert page.locator("script[data-tracking-event]").count() == 1
    assert tracked(page, "Purchase") == []
