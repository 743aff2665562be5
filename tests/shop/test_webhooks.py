"""The Stripe webhook: signatures, duplicates, order of arrival, unknown events."""

import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.payments import services
from shop.payments.models import PaymentIntent, WebhookEvent

Order = get_model("order", "Order")

VISA_3DS = "4000002760003184"
URL = "/shop/stripe/webhook/"

pytestmark = pytest.mark.django_db


def signed(payload, secret, timestamp=None):
    timestamp = timestamp or int(time.time())
    signature = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return {"HTTP_STRIPE_SIGNATURE": f"t={timestamp},v1={signature}"}


def event_body(event_id, payment_intent_id, event_type="payment_intent.succeeded"):
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": {"id": payment_intent_id, "object": "payment_intent"}},
        }
    )


def post_event(client, settings, body):
    return client.post(
        URL, body, content_type="application/json", **signed(body, settings.STRIPE_WEBHOOK_SECRET)
    )


@pytest.fixture
def authenticated_payment(localstripe, product, make_basket, make_details):
    """A 3-D Secure payment the shopper completed at the bank, but whose browser never
    came back to the shop."""
    basket = make_basket((product, 1))
    outcome = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
    )
    localstripe.authenticate(outcome.client_secret)
    return outcome.payment


def test_webhook_url_is_under_the_shop():
    assert reverse("stripe-webhook") == URL


def test_succeeded_event_places_the_order_without_the_browser(
    client, settings, authenticated_payment
):
    response = post_event(client, settings, event_body("evt_1", authenticated_payment.stripe_id))
    assert response.status_code == 200
    assert response.json() == {"result": "processed"}
    authenticated_payment.refresh_from_db()
    assert authenticated_payment.order is not None
    assert Order.objects.count() == 1


def test_webhook_delivered_five_times_places_one_order(client, settings, authenticated_payment):
    body = event_body("evt_same", authenticated_payment.stripe_id)
    results = [post_event(client, settings, body).json()["result"] for _ in range(5)]
    assert results == ["processed"] + ["duplicate"] * 4
    assert Order.objects.count() == 1
    assert WebhookEvent.objects.count() == 1


def test_webhook_after_the_browser_return_places_no_second_order(
    client, settings, authenticated_payment
):
    services.complete_payment(payment_intent_id=authenticated_payment.stripe_id)
    response = post_event(client, settings, event_body("evt_2", authenticated_payment.stripe_id))
    assert response.status_code == 200
    assert Order.objects.count() == 1


def test_events_in_any_order_place_one_order(client, settings, authenticated_payment):
    pi = authenticated_payment.stripe_id
    post_event(client, settings, event_body("evt_b", pi))
    post_event(client, settings, event_body("evt_a", pi, "payment_intent.payment_failed"))
    services.complete_payment(payment_intent_id=pi)  # the browser, last
    authenticated_payment.refresh_from_db()
    assert authenticated_payment.status == PaymentIntent.Status.SUCCEEDED
    assert Order.objects.count() == 1


def test_webhook_with_bad_signature_is_rejected(client, authenticated_payment):
    body = event_body("evt_bad", authenticated_payment.stripe_id)
    response = client.post(
        URL, body, content_type="application/json", **signed(body, "whsec_someone_else")
    )
    assert response.status_code == 400
    assert not Order.objects.exists()
    assert not WebhookEvent.objects.exists()


def test_webhook_without_signature_is_rejected(client, localstripe):
    response = client.post(URL, "{}", content_type="application/json")
    assert response.status_code == 400


def test_webhook_with_malformed_json_is_rejected(client, settings, localstripe):
    response = post_event(client, settings, "{not json")
    assert response.status_code == 400


def test_webhook_with_json_that_is_not_an_event_is_rejected(client, settings, localstripe):
    response = post_event(client, settings, "[1, 2]")
    assert response.status_code == 400


def test_unknown_event_type_is_acknowledged_and_ignored(client, settings, localstripe):
    body = event_body("evt_x", "cus_123", "customer.created")
    response = post_event(client, settings, body)
    assert response.status_code == 200
    assert response.json() == {"result": "ignored"}
    assert not WebhookEvent.objects.exists()


def test_webhook_for_a_payment_that_is_not_ours_changes_nothing(client, settings, localstripe):
    response = post_event(client, settings, event_body("evt_y", "pi_notours"))
    assert response.status_code == 200
    assert response.json() == {"result": "unknown payment"}
    assert not Order.objects.exists()


def test_webhook_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_charge_refunded_in_stripe_dashboard_is_recorded_once(client, settings, localstripe):
    from decimal import Decimal

    from tests.support.conftest import make_order

    order = make_order(payment_intent="pi_refunded_elsewhere")
    body = json.dumps(
        {
            "id": "evt_refund_1",
            "object": "event",
            "type": "charge.refunded",
            "created": int(time.time()),
            "data": {
                "object": {
                    "id": "ch_elsewhere",
                    "object": "charge",
                    "payment_intent": "pi_refunded_elsewhere",
                    "amount_refunded": 1500,
                }
            },
        }
    )
    for _ in range(3):
        assert post_event(client, settings, body).status_code == 200
    assert order.sources.get().amount_refunded == Decimal("15.00")
