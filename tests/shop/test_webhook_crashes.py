"""A worker killed while handling a Stripe webhook (gunicorn's timeout, an OOM kill, a
deploy) must not lose the order: the next delivery of the same event finishes the work, and
a delivery after the work is done changes nothing.

The deliveries are localstripe's own signed events, captured and replayed; a crash is a
``SystemExit`` (what gunicorn raises in a worker it aborts), which no ``except Exception``
in the handler can catch.
"""

import pytest
from oscar.core.loading import get_model

from shop.payments import intents, services, views
from shop.payments.models import PaymentIntent, WebhookEvent

Order = get_model("order", "Order")

VISA_3DS = "4000002760003184"
URL = "/shop/stripe/webhook/"

pytestmark = pytest.mark.django_db


class WorkerKilled(SystemExit):
    pass


def deliver(client, delivery):
    body, signature = delivery
    return client.post(URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


@pytest.fixture
def paid(localstripe, localstripe_deliveries, product, make_basket, make_details):
    """A 3-D Secure payment completed at the bank, whose browser never came back; returns
    the payment and localstripe's signed ``payment_intent.succeeded`` delivery."""
    basket = make_basket((product, 1))
    outcome = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
    )
    localstripe.authenticate(outcome.client_secret)
    payment = outcome.payment
    delivery = localstripe_deliveries.wait_for("payment_intent.succeeded", payment.stripe_id)
    return payment, delivery


def test_crash_after_the_event_is_stored_next_delivery_places_the_order(client, monkeypatch, paid):
    payment, delivery = paid

    def killed(**kwargs):
        raise WorkerKilled(1)

    with monkeypatch.context() as patch:
        patch.setattr("shop.payments.webhooks.complete_payment", killed)
        with pytest.raises(WorkerKilled):
            deliver(client, delivery)
    assert WebhookEvent.objects.get().state == WebhookEvent.State.RECEIVED
    assert not Order.objects.exists()

    response = deliver(client, delivery)

    assert response.status_code == 200
    assert response.json() == {"result": "processed"}
    payment.refresh_from_db()
    assert payment.order is not None
    assert Order.objects.count() == 1
    assert WebhookEvent.objects.get().state == WebhookEvent.State.PROCESSED


def test_crash_while_placing_the_order_rolls_back_and_next_delivery_places_it(
    client, monkeypatch, paid
):
    payment, delivery = paid
    real_place_order = intents.place_order

    def killed_midway(payment, submission, *, request):
        real_place_order(payment, submission, request=request)
        raise WorkerKilled(1)  # the order is written but not committed

    with monkeypatch.context() as patch:
        patch.setattr(intents, "place_order", killed_midway)
        with pytest.raises(WorkerKilled):
            deliver(client, delivery)
    assert not Order.objects.exists()
    assert WebhookEvent.objects.get().state == WebhookEvent.State.RECEIVED

    assert deliver(client, delivery).json() == {"result": "processed"}
    assert Order.objects.count() == 1


def test_crash_after_the_order_before_the_response_next_delivery_does_nothing(
    client, monkeypatch, paid
):
    payment, delivery = paid

    def killed(*args, **kwargs):
        raise WorkerKilled(1)

    with monkeypatch.context() as patch:
        patch.setattr(views, "JsonResponse", killed)
        with pytest.raises(WorkerKilled):
            deliver(client, delivery)
    assert Order.objects.count() == 1
    placed = Order.objects.get()

    response = deliver(client, delivery)

    assert response.status_code == 200
    assert response.json() == {"result": "duplicate"}
    assert list(Order.objects.all()) == [placed]
    payment.refresh_from_db()
    assert payment.status == PaymentIntent.Status.SUCCEEDED


def test_crash_before_a_refund_is_made_next_delivery_refunds(
    client, monkeypatch, paid, make_basket, product
):
    """Paid, but the cart changed meanwhile: the refund owed is kept on the row, so a crash
    before Stripe is asked still ends in one refund."""
    from tests.support.conftest import stripe_refunds

    payment, delivery = paid
    basket = payment.basket
    basket.strategy = make_basket().strategy
    basket.add_product(product, 1)  # the cart changed during 3-D Secure

    def killed(payment):
        raise WorkerKilled(1)

    with monkeypatch.context() as patch:
        patch.setattr(intents, "refund_in_full", killed)
        with pytest.raises(WorkerKilled):
            deliver(client, delivery)
    payment.refresh_from_db()
    assert payment.status == PaymentIntent.Status.REFUND_DUE
    assert WebhookEvent.objects.get().state == WebhookEvent.State.RECEIVED

    assert deliver(client, delivery).json() == {"result": "processed"}
    payment.refresh_from_db()
    assert payment.status == PaymentIntent.Status.REFUNDED
    assert not Order.objects.exists()
    [refund] = stripe_refunds(payment.stripe_id)
    assert refund["amount"] == payment.amount
