"""``manage.py reconcile_payments`` against localstripe: money Stripe holds that the orders
do not show, and orders whose amounts differ from Stripe's."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from shop.payments import services
from shop.payments.models import PaymentIntent, ReconciliationEntry
from tests.support.conftest import paid_order_factory, stripe_refunds

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")

VISA_3DS = "4000002760003184"
Entry = ReconciliationEntry

pytestmark = pytest.mark.django_db


def reconcile(*args):
    out = StringIO()
    call_command("reconcile_payments", "--since", "1h", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def paid_without_order(localstripe, product, make_basket, make_details):
    """Paid at the bank (3-D Secure), then both the browser and the webhook were lost."""
    localstripe.unregister_webhook()
    basket = make_basket((product, 1))
    outcome = services.start_payment(
        details=make_details(basket), payment_method=localstripe.payment_method(VISA_3DS)
    )
    localstripe.authenticate(outcome.client_secret)
    return outcome.payment


def test_succeeded_payment_without_an_order_is_listed_then_fixed(paid_without_order):
    pi = paid_without_order.stripe_id

    report = reconcile()

    assert pi in report and "Paid at Stripe, no order" in report
    assert not Order.objects.exists()
    assert Entry.objects.get(payment_intent_id=pi).action == Entry.Action.REPORTED

    report = reconcile("--fix")

    paid_without_order.refresh_from_db()
    order = paid_without_order.order
    assert order is not None
    assert Order.objects.count() == 1
    fixed = Entry.objects.filter(payment_intent_id=pi).order_by("-pk").first()
    assert fixed.action == Entry.Action.ORDER_PLACED and fixed.order == order
    assert f"Placed order {order.number}" in report
    assert OrderNote.objects.filter(order=order, message__contains="reconcile_payments").exists()
    assert stripe_refunds(pi) == []
    # Run again: nothing left to fix for this payment.
    reconcile("--fix")
    assert Entry.objects.filter(payment_intent_id=pi).count() == 2


def test_succeeded_payment_whose_basket_is_gone_is_refunded_in_full(paid_without_order):
    pi = paid_without_order.stripe_id
    paid_without_order.basket.delete()

    reconcile("--fix")

    paid_without_order.refresh_from_db()
    assert paid_without_order.status == PaymentIntent.Status.REFUNDED
    assert not Order.objects.exists()
    [refund] = stripe_refunds(pi)
    assert refund["amount"] == paid_without_order.amount
    assert Entry.objects.get(payment_intent_id=pi).action == Entry.Action.REFUNDED
    # Run again: a payment refunded in full is settled, not reported again.
    reconcile("--fix")
    assert Entry.objects.filter(payment_intent_id=pi).count() == 1
    assert len(stripe_refunds(pi)) == 1


def test_order_whose_refunded_total_differs_from_stripes_is_reported(localstripe):
    order = paid_order_factory(localstripe)()
    source = order.sources.get()
    # Refunded at Stripe, and the charge.refunded webhook never arrived.
    services.refund_payment(
        payment_intent_id=source.reference, amount=source.amount_debited / 4, idempotency_key="x1"
    )

    report = reconcile()

    entry = Entry.objects.get(payment_intent_id=source.reference)
    assert entry.problem == Entry.Problem.REFUNDED_DIFFERS
    assert entry.order == order
    assert entry.stripe_amount == int(source.amount_debited * 25)
    assert entry.store_amount == 0
    assert order.number in report and "Refunded amount differs" in report


def test_orders_matching_stripe_are_not_reported(localstripe):
    order = paid_order_factory(localstripe)()
    reconcile()
    assert not Entry.objects.filter(order=order).exists()


@pytest.mark.parametrize(
    "since",
    ["", "7", "0d", "-1d", "7x", "1e3d", "７d", "99999999d", "7d; rm -rf /", "d", "5200w", "\x00"],
)
def test_odd_since_is_refused_with_a_clear_message(localstripe, since):
    with pytest.raises(CommandError, match="--since"):
        call_command("reconcile_payments", "--since", since, stdout=StringIO())
    assert not Entry.objects.exists()


def test_without_stripe_keys_reconciliation_says_so(settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(CommandError, match="not configured"):
        call_command("reconcile_payments", stdout=StringIO())
