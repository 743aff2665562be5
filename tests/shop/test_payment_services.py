"""The payment service against localstripe: charge, 3-D Secure, decline, stock, re-pricing."""

from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model

from shop.payments import services
from shop.payments.models import PaymentIntent

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
PaymentEvent = get_model("order", "PaymentEvent")

VISA = "4242424242424242"
VISA_3DS = "4000002760003184"
DECLINED = "4000000000000002"

pytestmark = pytest.mark.django_db


def test_card_payment_places_one_paid_order_with_stripe_source(
    localstripe, product, make_basket, make_details, django_capture_on_commit_callbacks
):
    basket = make_basket((product, 2))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.start_payment(
            details=make_details(basket), payment_method=localstripe.payment_method(VISA)
        )
    order = outcome.order
    assert order is not None
    assert order.total_incl_tax == Decimal("98.00")  # free standard shipping over $75
    assert order.guest_email == "guest@example.com"
    assert outcome.payment.amount == 9800
    source = Source.objects.get(order=order)
    assert source.source_type.name == "Stripe"
    assert source.amount_debited == Decimal("98.00")
    assert source.reference == outcome.payment.stripe_id
    assert PaymentEvent.objects.get(order=order).amount == Decimal("98.00")
    product.stockrecords.get().refresh_from_db()
    assert product.stockrecords.get().num_allocated == 2
    assert len(mail.outbox) == 1
    assert order.number in mail.outbox[0].body


def test_declined_card_shows_stripes_message_and_keeps_the_basket(
    localstripe, product, make_basket, make_details
):
    basket = make_basket((product, 1))
    with pytest.raises(services.PaymentRefused, match="Your card was declined"):
        services.start_payment(
            details=make_details(basket), payment_method=localstripe.payment_method(DECLINED)
        )
    basket.refresh_from_db()
    assert basket.status == basket.OPEN
    assert not Order.objects.exists()
    assert PaymentIntent.objects.get().status == PaymentIntent.Status.FAILED
    # and the shopper can retry with another card
    outcome = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA)
    )
    assert outcome.order is not None


def test_3ds_card_needs_authentication_then_completes_once(
    localstripe, product, make_basket, make_details
):
    basket = make_basket((product, 1))
    outcome = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
    )
    assert outcome.needs_authentication
    assert outcome.client_secret
    assert not Order.objects.exists()
    localstripe.authenticate(outcome.client_secret)
    pi = outcome.payment.stripe_id
    first = services.complete_payment(payment_intent_id=pi)
    second = services.complete_payment(payment_intent_id=pi)
    assert first.order_id and first.order_id == second.order_id
    assert Order.objects.count() == 1


def test_failed_3ds_leaves_no_order_and_basket_open(
    localstripe, product, make_basket, make_details
):
    basket = make_basket((product, 1))
    outcome = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
    )
    localstripe.authenticate(outcome.client_secret, success=False)
    payment = services.complete_payment(payment_intent_id=outcome.payment.stripe_id)
    assert payment.status == PaymentIntent.Status.FAILED
    assert not Order.objects.exists()
    basket.refresh_from_db()
    assert basket.status == basket.OPEN


def test_basket_changed_after_payment_intent_is_repriced_before_paying(
    localstripe, product, make_basket, make_details
):
    basket = make_basket((product, 1))
    first = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
    )
    assert first.payment.amount == 4900 + 795  # under the threshold: standard shipping
    basket.add_product(product, 1)
    second = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA)
    )
    assert second.payment.amount == 9800
    assert second.order.total_incl_tax == Decimal("98.00")
    first.payment.refresh_from_db()
    assert first.payment.status == PaymentIntent.Status.FAILED  # cancelled at Stripe


def test_basket_changed_during_3ds_is_refunded_not_ordered(
    localstripe, product, make_basket, make_details
):
    basket = make_basket((product, 1))
    outcome = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
    )
    basket.add_product(product, 3)  # in another tab, while the bank's page was open
    localstripe.authenticate(outcome.client_secret)
    payment = services.complete_payment(payment_intent_id=outcome.payment.stripe_id)
    assert payment.status == PaymentIntent.Status.REFUNDED
    assert "changed" in payment.failure_message
    assert not Order.objects.exists()


def test_stock_gone_before_paying_refuses_without_charging(
    localstripe, product, make_basket, make_details
):
    basket = make_basket((product, 2))
    product.stockrecords.update(num_in_stock=1)
    with pytest.raises(services.OutOfStock):
        services.start_payment(
            details=make_details(basket), payment_method=localstripe.payment_method(VISA)
        )
    assert not PaymentIntent.objects.filter(stripe_id__isnull=False).exists()


def test_stock_gone_during_3ds_refunds_automatically(
    localstripe, product, make_basket, make_details
):
    basket = make_basket((product, 1))
    outcome = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
    )
    product.stockrecords.update(num_allocated=10)  # someone else bought them all
    localstripe.authenticate(outcome.client_secret)
    payment = services.complete_payment(payment_intent_id=outcome.payment.stripe_id)
    assert payment.status == PaymentIntent.Status.REFUNDED
    assert "sold out" in payment.failure_message
    assert not Order.objects.exists()


def test_voucher_discount_is_charged_and_recorded(localstripe, product, make_basket, make_details):
    from oscar.test.factories import create_voucher

    voucher = create_voucher(code="TENOFF")
    basket = make_basket((product, 2))
    basket.vouchers.add(voucher)
    outcome = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA)
    )
    assert outcome.order.total_discount_incl_tax > 0
    assert outcome.payment.amount == int(outcome.order.total_incl_tax * 100)


def test_without_keys_payment_is_unavailable(settings, product, make_basket, make_details):
    settings.STRIPE_SECRET_KEY = ""
    basket = make_basket((product, 1))
    with pytest.raises(services.PaymentUnavailable):
        services.start_payment(details=make_details(basket), payment_method="pm_anything")


def test_same_payment_method_twice_charges_once(localstripe, product, make_basket, make_details):
    basket = make_basket((product, 1))
    card = localstripe.payment_method(VISA_3DS)
    first = services.start_payment(details=make_details(basket), payment_method=card)
    second = services.start_payment(details=make_details(basket), payment_method=card)
    assert first.payment.pk == second.payment.pk
    assert PaymentIntent.objects.count() == 1


def test_post_checkout_signal_is_sent_once_per_order(
    localstripe, product, make_basket, make_details, django_capture_on_commit_callbacks
):
    from oscar.apps.checkout.signals import post_checkout

    received = []

    def receiver(sender, order, **kwargs):
        received.append(order.number)

    post_checkout.connect(receiver, dispatch_uid="test-post-checkout")
    try:
        basket = make_basket((product, 1))
        with django_capture_on_commit_callbacks(execute=True):
            outcome = services.start_payment(
                details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
            )
        localstripe.authenticate(outcome.client_secret)
        for _ in range(2):  # the browser's return and the webhook
            with django_capture_on_commit_callbacks(execute=True):
                services.complete_payment(payment_intent_id=outcome.payment.stripe_id)
    finally:
        post_checkout.disconnect(dispatch_uid="test-post-checkout")
    assert received == [Order.objects.get().number]


def _stripe_customer_of(payment_intent_id):
    import stripe

    from shop.payments import stripe_gateway

    stripe_gateway._configure()
    return stripe.PaymentIntent.retrieve(payment_intent_id)["customer"]


def test_signed_in_shopper_keeps_one_stripe_customer(
    localstripe, product, make_basket, make_details, django_user_model
):
    from shop.payments.models import StripeCustomer

    user = django_user_model.objects.create_user("ada", "ada@example.com", "pw-123456")
    customers = []
    for _ in range(2):
        basket = make_basket((product, 1), owner=user)
        outcome = services.start_payment(
            details=make_details(basket, user=user), payment_method=localstripe.payment_method(VISA)
        )
        customers.append(_stripe_customer_of(outcome.payment.stripe_id))
    assert customers[0] == customers[1] == StripeCustomer.objects.get(user=user).stripe_id


def test_guests_are_not_made_stripe_customers(localstripe, product, make_basket, make_details):
    for _ in range(2):
        basket = make_basket((product, 1))
        outcome = services.start_payment(
            details=make_details(basket), payment_method=localstripe.payment_method(VISA)
        )
        assert outcome.order is not None
        assert _stripe_customer_of(outcome.payment.stripe_id) is None


def test_stripe_customer_deleted_at_stripe_is_replaced(
    localstripe, product, make_basket, make_details, django_user_model
):
    import stripe

    from shop.payments.models import StripeCustomer

    user = django_user_model.objects.create_user("ada", "ada@example.com", "pw-123456")
    StripeCustomer.objects.create(user=user, stripe_id="cus_deleted_in_dashboard")
    basket = make_basket((product, 1), owner=user)
    outcome = services.start_payment(
        details=make_details(basket, user=user), payment_method=localstripe.payment_method(VISA)
    )
    assert outcome.order is not None
    replacement = StripeCustomer.objects.get(user=user).stripe_id
    assert replacement != "cus_deleted_in_dashboard"
    assert _stripe_customer_of(outcome.payment.stripe_id) == replacement
    assert stripe.Customer.retrieve(replacement)["email"] == "ada@example.com"


def test_unknown_card_token_keeps_the_shoppers_stripe_customer(
    localstripe, product, make_basket, make_details, django_user_model
):
    from shop.payments.models import StripeCustomer

    user = django_user_model.objects.create_user("ada", "ada@example.com", "pw-123456")
    basket = make_basket((product, 1), owner=user)
    services.start_payment(
        details=make_details(basket, user=user), payment_method=localstripe.payment_method(VISA)
    )
    known = StripeCustomer.objects.get(user=user).stripe_id
    with pytest.raises(services.PaymentRefused):
        services.start_payment(
            details=make_details(make_basket((product, 1), owner=user), user=user),
            payment_method="pm_madeup123",
        )
    assert StripeCustomer.objects.get(user=user).stripe_id == known
