"""The one way the store gives money back through Stripe.

Support's refunds (by line, by amount, for a return), the automatic refund of a payment that
cannot become an order, and ``reconcile_payments --fix`` all call ``refund_payment``; it
converts the amount with ``money.to_minor_units`` and always sends an idempotency key, so a
retry or a double submit is one refund at Stripe.
"""

import logging

from . import stripe_gateway as gateway
from .models import PaymentIntent
from .money import to_minor_units

logger = logging.getLogger(__name__)


def refund_payment(*, payment_intent_id, idempotency_key, amount=None, currency=""):
    """Refund ``amount`` (a Decimal in the currency's main unit; None: everything not yet
    refunded) of a captured PaymentIntent. Returns the Stripe refund id; raises
    ``stripe_gateway.GatewayError`` when Stripe refuses or does not answer."""
    if not idempotency_key:
        raise ValueError("A refund needs an idempotency key.")
    amount_minor = None if amount is None else to_minor_units(amount)
    if amount_minor == 0:
        raise ValueError("A refund must be more than zero.")
    metadata = {"currency": currency.lower()} if currency else {}
    return gateway.create_refund(
        payment_intent_id=payment_intent_id,
        amount_minor=amount_minor,
        idempotency_key=idempotency_key,
        metadata=metadata,
    )


def refund_in_full(payment):
    """Give back a payment that will not become an order (its row says why, in
    ``failure_message``), then mark it refunded. Called with no rows locked."""
    refund_payment(
        payment_intent_id=payment.stripe_id, idempotency_key=f"refund:{payment.stripe_id}"
    )
    PaymentIntent.objects.filter(pk=payment.pk, order__isnull=True).update(
        status=PaymentIntent.Status.REFUNDED
    )
    payment.refresh_from_db()
    logger.warning("Refunded %s: %s", payment.stripe_id, payment.failure_message)
    return payment
