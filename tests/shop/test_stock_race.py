"""Two shoppers pay for the last unit at the same moment, on real PostgreSQL connections.

Stock is checked with the stock rows locked (SELECT ... FOR UPDATE) right before the
PaymentIntent is created, and the lock is held until the order is placed; so exactly one
shopper is charged and the other is told before being charged.
"""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from shop.payments import services
from shop.payments.models import PaymentIntent
from tests.concurrency import run_together

Order = get_model("order", "Order")

VISA = "4242424242424242"
VISA_3DS = "4000002760003184"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_shoppers_pay_for_the_last_unit_one_order_and_no_oversell(
    localstripe, make_basket, make_details
):
    product = create_product(title="Last unit", price=Decimal("80.00"), num_in_stock=1)
    shoppers = [make_basket((product, 1)) for _ in range(2)]
    tokens = [localstripe.payment_method(VISA) for _ in shoppers]

    results = run_together(
        *[
            lambda basket=basket, token=token: services.start_payment(
                details=make_details(basket, email=f"shopper{basket.id}@example.com"),
                payment_method=token,
            )
            for basket, token in zip(shoppers, tokens, strict=True)
        ]
    )

    winners = [r for r in results if isinstance(r, services.PaymentOutcome)]
    losers = [r for r in results if isinstance(r, services.OutOfStock)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert Order.objects.count() == 1
    record = product.stockrecords.get()
    assert record.num_allocated == 1 and record.num_in_stock == 1
    # The loser was never charged: only one PaymentIntent exists at Stripe.
    assert PaymentIntent.objects.exclude(stripe_id=None).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_3ds_payments_for_the_last_unit_one_order_and_one_refund(
    localstripe, make_basket, make_details
):
    product = create_product(title="Last unit", price=Decimal("80.00"), num_in_stock=1)
    outcomes = []
    for _ in range(2):
        basket = make_basket((product, 1))
        outcomes.append(
            services.start_payment(
                details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
            )
        )
    for outcome in outcomes:
        localstripe.authenticate(outcome.client_secret)

    results = run_together(
        *[
            lambda pi=outcome.payment.stripe_id: services.complete_payment(payment_intent_id=pi)
            for outcome in outcomes
        ]
    )

    statuses = sorted(r.status for r in results)
    assert statuses == [PaymentIntent.Status.REFUNDED, PaymentIntent.Status.SUCCEEDED], results
    assert Order.objects.count() == 1
    assert product.stockrecords.get().num_allocated == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_free_orders_for_the_last_unit_one_order(everything_free):
    """With nothing to pay (a 100% offer, free shipping), the last unit is still sold once."""
    from django.test import Client

    from tests.shop.conftest import _to_payment, checkout_form

    product = create_product(title="Last unit", price=Decimal("80.00"), num_in_stock=1)
    shoppers = [Client() for _ in range(2)]
    for shopper in shoppers:
        _to_payment(shopper, product, 1, "standard")

    results = run_together(
        *[
            lambda shopper=shopper: shopper.post(
                "/shop/checkout/", {**checkout_form(), "action": "pay"}
            )
            for shopper in shoppers
        ]
    )

    assert [r.status_code for r in results] == [302, 302], results
    assert sorted(r["Location"] for r in results) == [
        "/shop/basket/",
        "/shop/checkout/thank-you/",
    ]
    assert Order.objects.count() == 1
    assert product.stockrecords.get().num_allocated == 1
