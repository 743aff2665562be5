"""Tracking data in pages: nothing without ids, events with the right parameters, a
Purchase only on the first rendering of the thank-you page, Product rich results."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_order, create_product
from wagtail.models import Site

from marketing.models import ReportedPurchase, TrackingSettings

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
ProductReview = get_model("reviews", "ProductReview")

EVENT = re.compile(r'<script type="application/json" data-tracking-event>(.*?)</script>')
WRITE_SQL = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.I)
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def render(source, **context):
    request = RequestFactory().get("/")
    request.strategy = Default()
    return engines["django"].from_string(source).render(context, request)


def events(html):
    return [json.loads(data) for data in EVENT.findall(html)]


@pytest.fixture
def product(db):
    return create_product(
        upc="RW-PTS-100", title="Pain Therapy System", price=Decimal("149.95"), num_in_stock=4
    )


def test_no_ids_no_tracking_code_at_all(client):
    TrackingSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"meta_pixel_id": "", "ga4_measurement_id": ""},
    )

    html = client.get("/newsletter/").content.decode()

    assert "tracking.js" not in html
    assert "tracking-config" not in html
    assert "consent-banner" not in html
    assert "fbevents" not in html and "gtag" not in html
    assert "Cookie choices" not in html


def test_ids_set_page_has_config_and_banner_but_no_third_party_script(client, tracking_on):
    html = client.get("/newsletter/").content.decode()

    config = json.loads(re.search(r'id="tracking-config"[^>]*>(.*?)</script>', html).group(1))
    assert config["metaPixelId"] == tracking_on.meta_pixel_id == "1234567890"
    assert config["ga4Id"] == tracking_on.ga4_measurement_id
    assert "js/tracking.js" in html
    assert 'id="consent-banner"' in html
    assert "Cookie choices" in html
    # The third-party scripts are loaded by tracking.js after consent, never by the page.
    assert f'src="{config["metaScriptUrl"]}' not in html
    assert f'src="{config["ga4ScriptUrl"]}' not in html


def test_view_content_has_ids_type_value_and_currency(product, tracking_on):
    html = render(
        '{% include "marketing/events/view_content.html" with product=product %}',
        product=product,
    )

    [event] = events(html)
    assert event["event"] == "ViewContent"
    assert event["productPk"] == product.pk
    assert event["params"] == {
        "content_ids": ["RW-PTS-100"],
        "content_type": "product",
        "content_name": "Pain Therapy System",
        "value": 149.95,
        "currency": "USD",
    }


def test_events_render_nothing_without_tracking(product):
    html = render(
        '{% include "marketing/events/view_content.html" with product=product %}'
        '{% include "marketing/events/search.html" with query="knee" %}',
        product=product,
    )

    assert html.strip() == ""


def test_purchase_payload_when_the_view_claimed_the_report(tracking_on):
    order = create_order(number="100042")
    page = '{% include "marketing/events/purchase.html" with order=order %}'

    [purchase] = events(render(page, order=order, report_purchase=True))

    assert purchase["event"] == "Purchase"
    assert purchase["eventID"] == "100042"
    assert purchase["once"] == "purchase:100042"
    line = order.lines.get()
    assert purchase["params"]["content_ids"] == [line.product.upc or str(line.product_id)]
    assert purchase["params"]["value"] == float(order.total_incl_tax)
    assert purchase["params"]["currency"] == order.currency
    assert purchase["params"]["content_type"] == "product"
    assert events(render(page, order=order, report_purchase=False)) == []


def test_rendering_the_purchase_event_writes_nothing(tracking_on):
    order = create_order(number="100043")
    page = '{% include "marketing/events/purchase.html" with order=order %}'

    with CaptureQueriesContext(connection) as queries:
        html = render(page, order=order, report_purchase=True)

    assert len(events(html)) == 1
    assert not [q["sql"] for q in queries if WRITE_SQL.match(q["sql"])]
    assert not ReportedPurchase.objects.exists()


def _thank_you(client, order):
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()
    return client.get("/shop/checkout/thank-you/")


def test_thank_you_page_reports_the_purchase_on_its_first_showing_only(client, tracking_on):
    order = create_order(number="100044")

    first = _thank_you(client, order)
    refreshed = _thank_you(client, order)

    assert [e["event"] for e in events(first.content.decode())] == ["Purchase"]
    assert events(refreshed.content.decode()) == []
    assert ReportedPurchase.objects.filter(order_number="100044").count() == 1
    assert "private" in first["Cache-Control"]


def test_thank_you_page_without_tracking_claims_nothing(client):
    order = create_order(number="100045")

    assert events(_thank_you(client, order).content.decode()) == []
    assert not ReportedPurchase.objects.exists()


def test_initiate_checkout_describes_the_basket(product, tracking_on):
    basket = Basket.objects.create()
    basket.strategy = Default()
    basket.add_product(product, quantity=2)

    [event] = events(
        render(
            '{% include "marketing/events/initiate_checkout.html" with basket=basket %}',
            basket=basket,
        )
    )

    assert event["event"] == "InitiateCheckout"
    assert event["once"] == f"checkout:{basket.id}"
    assert event["params"]["content_ids"] == ["RW-PTS-100"]
    assert event["params"]["num_items"] == 2
    assert event["params"]["value"] == 299.9
    assert event["params"]["currency"] == "USD"


@pytest.mark.parametrize(
    ("include", "context", "expected"),
    [
        (
            "search.html",
            {"query": "knee pain"},
            {
                "event": "Search",
                "params": {"search_string": "knee pain", "content_category": "site"},
            },
        ),
        (
            "find_location.html",
            {"searched": True, "query": "Chicago"},
            {"event": "FindLocation", "params": {"search_string": "Chicago"}},
        ),
        (
            "lead.html",
            {"lead": object(), "document": {"title": "Back pain guide"}},
            {
                "event": "Lead",
                "params": {"content_name": "Back pain guide", "content_category": "guide"},
            },
        ),
    ],
)
def test_simple_events(tracking_on, include, context, expected):
    html = render(f'{{% include "marketing/events/{include}" %}}', **context)

    assert events(html) == [expected]


@pytest.mark.parametrize(
    ("include", "context"),
    [
        ("search.html", {"query": ""}),
        ("find_location.html", {"searched": False, "query": ""}),
        ("lead.html", {"lead": None}),
    ],
)
def test_simple_events_need_something_to_report(tracking_on, include, context):
    assert events(render(f'{{% include "marketing/events/{include}" %}}', **context)) == []


def test_event_data_cannot_break_out_of_its_script_element(tracking_on):
    html = render(
        '{% include "marketing/events/search.html" with query=query %}',
        query="</script><script>alert(1)</script>",
    )

    assert "</script><script>" not in html
    assert events(html)[0]["params"]["search_string"] == "</script><script>alert(1)</script>"


def test_product_jsonld_has_offer(product):
    html = render(
        '{% include "marketing/includes/product_jsonld.html" with product=product %}',
        product=product,
    )

    data = json.loads(JSONLD.search(html).group(1))
    assert data["@type"] == "Product"
    assert data["name"] == "Pain Therapy System"
    assert data["sku"] == "RW-PTS-100"
    assert data["offers"] == {
        "@type": "Offer",
        "url": data["url"],
        "price": "149.95",
        "priceCurrency": "USD",
        "availability": "https://schema.org/InStock",
        "itemCondition": "https://schema.org/NewCondition",
    }
    assert "aggregateRating" not in data


def test_product_jsonld_has_aggregate_rating_when_reviews_exist(product, django_user_model):
    for n, score in enumerate([5, 4]):
        ProductReview.objects.create(
            product=product,
            score=score,
            title="Helps",
            body="Helps my back.",
            name=f"Reader {n}",
            email=f"reader{n}@example.com",
            status=ProductReview.APPROVED,
        )
    product.refresh_from_db()

    html = render(
        '{% include "marketing/includes/product_jsonld.html" with product=product %}',
        product=product,
    )

    data = json.loads(JSONLD.search(html).group(1))
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.5,
        "reviewCount": 2,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_saving_tracking_ids_empties_the_page_cache(client, product, wagtail_site, settings):
    settings.PAGE_CACHE_SECONDS = 600
    url = f"/__tests__/product/{product.pk}/"
    client.get(url)  # the first rendering creates the footer's settings row (a cache bump)
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert "tracking-config" not in cached.content.decode()

    TrackingSettings.objects.update_or_create(
        site=wagtail_site, defaults={"meta_pixel_id": "1234567890"}
    )

    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "tracking-config" in fresh.content.decode()
