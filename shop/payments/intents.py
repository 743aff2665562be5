"""Paying by card: start the payment, complete it, place the order once.

Two entry points, both idempotent:

``start_payment``
    Called when the shopper presses "Pay" with the PaymentMethod the browser made (Payment
    Element or wallet) or a saved card. Prices the basket on the server, checks the card
    belongs to this shopper (no locks held), then locks the payment row, the basket row
    and the stock rows (in that order, everywhere) and creates the PaymentIntent with
    ``confirm=true`` and an idempotency key; if the card needs no 3-D Secure the order is
    placed before the locks are released, so a second shopper waiting for the same last
    unit is turned away *before* being charged, and a second submission of the same basket
    finds the order. Creating the PaymentIntent is the only Stripe call made under those
    locks; it is bounded by ``STRIPE_TIMEOUT_SECONDS`` and ``STRIPE_MAX_NETWORK_RETRIES``.

``complete_payment``
    Called by the browser's return after 3-D Secure, by the webhook and by
    ``reconcile_payments``, in any order, any number of times. It re-reads the PaymentIntent
    from Stripe (never trusting the caller), locks our row, and places the order once. If
    the basket changed, is gone, or stock ran out meanwhile, the row is marked "refund due"
    under the lock and the payment refunded in full *after* the locks are released; a crash
    in between leaves the "refund due" row, which the next call finishes.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.db import transaction
from oscar.core.loading import get_class, get_model

from config.fields import coerce_id

from . import stripe_gateway as gateway
from .customers import card_to_charge
from .exceptions import OutOfStock, PaymentRefused, PaymentUnavailable
from .models import PaymentIntent
from .money import to_minor_units
from .placement import place_order, place_order_safely
from .refunds import refund_in_full
from .stock import stock_problems
from .submission import basket_version, build_submission, details_of

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")

# Enough of the idempotency key, in the PaymentIntent's metadata, to tie it to our row.
KEY_PREFIX = 16
NO_ANSWER_MESSAGE = (
    "The card payment service did not answer in time, so we could not confirm your payment. "
    "If your card was charged, we will place your order (you will get an email) or refund "
    "the charge in full automatically. Please wait a few minutes before trying again."
)


@dataclass(frozen=True)
class PaymentOutcome:
    payment: PaymentIntent
    client_secret: str = ""

    @property
    def needs_authentication(self):
        return self.payment.status == PaymentIntent.Status.REQUIRES_ACTION

    @property
    def order(self):
        return self.payment.order


class _AlreadyPaid(Exception):
    """A twin submission of the same basket finished first."""


def start_payment(
    *, details, payment_method, saved=False, save_card=False, return_url="", request=None
):
    """Charge the card for the basket; returns a PaymentOutcome or raises PaymentRefused.

    ``payment_method``: the PaymentMethod id the browser made, or (``saved``) one of the
    signed-in shopper's saved cards. ``save_card``: keep the card on the shopper's Stripe
    customer for their next orders. ``return_url``: where a payment method that redirects
    the shopper comes back to.
    """
    if not gateway.is_configured():
        raise PaymentUnavailable("Card payment is unavailable at the moment.")

    submission = build_submission(details, request=request)
    basket = submission.basket
    if basket.status != Basket.OPEN:
        # Submitted twice, or the back button after paying: show the order already placed.
        return _outcome_of_paid_basket(basket)
    if basket.is_empty:
        raise PaymentRefused("Your cart is empty.")
    amount = to_minor_units(submission.total.incl_tax)
    if amount <= 0:
        raise PaymentRefused("There is nothing to pay for this order.")
    problems = stock_problems(basket, lock=False)
    if problems:
        raise OutOfStock(" ".join(problems))

    version = basket_version(submission)
    try:
        card, customer_id = card_to_charge(
            payment_method_id=payment_method,
            user_id=details.user_id,
            email=getattr(submission.user, "email", "") or details.guest_email,
            saved=saved,
        )
    except gateway.GatewayUnreachable:
        raise PaymentRefused(NO_ANSWER_MESSAGE) from None
    key = hashlib.sha256(
        f"{basket.id}:{amount}:{version}:{payment_method}:{save_card}".encode()
    ).hexdigest()
    payment, created = PaymentIntent.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "basket": basket,
            "user_id": details.user_id,
            "guest_email": details.guest_email or "",
            "order_number": str(OrderNumberGenerator().order_number(basket)),
            "amount": amount,
            "currency": submission.total.currency,
            "basket_version": version,
            "shipping_address": details.shipping_address,
            "shipping_method_code": details.shipping_method_code,
            "card_label": card.label[:64],
        },
    )
    if not created:
        # The same card for the same basket: a double click or a retried request.
        return _outcome_of_existing(payment, request=request)

    try:
        with transaction.atomic():
            payment = PaymentIntent.objects.select_for_update().get(pk=payment.pk)
            locked = Basket._default_manager.select_for_update().get(pk=basket.pk)
            if locked.status != Basket.OPEN:
                raise _AlreadyPaid
            problems = stock_problems(basket, lock=True)
            if problems:
                raise OutOfStock(" ".join(problems))
            intent = gateway.create_payment_intent(
                amount=amount,
                currency=payment.currency,
                customer_id=customer_id,
                payment_method_id=card.id,
                return_url=return_url,
                save_card=save_card,
                metadata={
                    "payment": str(payment.pk),
                    "basket": str(basket.id),
                    "order_number": payment.order_number,
                    "key": payment.idempotency_key[:KEY_PREFIX],
                },
                idempotency_key=key,
            )
            payment.stripe_id = intent.id
            payment.status = _status_for(intent)
            payment.failure_message = intent.error_message
            payment.save(update_fields=["stripe_id", "status", "failure_message", "updated_at"])
            if intent.succeeded:
                # Still holding the stock locks: nobody can take these units meanwhile.
                place_order_safely(payment, submission, request=request)
    except _AlreadyPaid:
        _mark(payment, PaymentIntent.Status.FAILED, "The order was placed by another submission.")
        return _outcome_of_paid_basket(basket)
    except gateway.GatewayUnreachable:
        # Maybe charged, maybe not: the row (its id is in the PaymentIntent's metadata) stays
        # for the webhook or reconcile_payments to settle; the locks are already released.
        _mark(payment, PaymentIntent.Status.UNKNOWN, "Stripe did not answer in time.")
        raise PaymentRefused(NO_ANSWER_MESSAGE) from None
    except gateway.GatewayError as exc:
        _mark(payment, PaymentIntent.Status.FAILED, str(exc))
        raise PaymentRefused(str(exc)) from exc
    except PaymentRefused as exc:
        _mark(payment, PaymentIntent.Status.FAILED, str(exc))
        raise

    if payment.status == PaymentIntent.Status.FAILED:
        raise PaymentRefused(payment.failure_message or "Your card was declined.")
    _cancel_superseded(payment)
    return PaymentOutcome(payment=payment, client_secret=intent.client_secret)


def complete_payment(*, payment_intent_id, request=None, on_settled=None):
    """Place the order for a succeeded PaymentIntent once; returns our row, or None if the
    PaymentIntent is not one of ours.

    ``on_settled`` (optional) runs once nothing is left to do for this PaymentIntent, in the
    same transaction as the order placement (or the last write): the webhook marks its event
    processed with it, so a crash before that commit leaves the event to be processed again.
    """
    intent = gateway.retrieve_payment_intent(payment_intent_id)
    payment = find_payment(intent)
    if payment is None:
        return None
    with transaction.atomic():
        payment = PaymentIntent.objects.select_for_update().get(pk=payment.pk)
        if payment.stripe_id is None:
            payment.stripe_id = intent.id
            payment.save(update_fields=["stripe_id", "updated_at"])
        reason = _settle_locked(payment, intent, request=request)
        if reason is None:
            if on_settled is not None:
                on_settled()
            return payment
        payment.status = PaymentIntent.Status.REFUND_DUE
        payment.failure_message = reason
        payment.save(update_fields=["status", "failure_message", "updated_at"])
    # No row is locked while Stripe is asked for the refund.
    refund_in_full(payment)
    if on_settled is not None:
        with transaction.atomic():
            on_settled()
    return payment


def _settle_locked(payment, intent, *, request):
    """With the row locked: place the order or record the outcome (None), or say why the
    payment must be refunded instead (the reason, for the shopper)."""
    if payment.order_id or payment.status == PaymentIntent.Status.REFUNDED:
        return None
    if payment.status == PaymentIntent.Status.REFUND_DUE:
        return payment.failure_message  # a refund decided earlier, not yet made
    if not intent.succeeded:
        payment.status = _status_for(intent)
        payment.failure_message = intent.error_message
        payment.save()
        return None
    if intent.amount != payment.amount or intent.currency != payment.currency.lower():
        return "The amount paid did not match your order; it has been refunded."
    changed = (
        "Your cart changed while you were paying, so we refunded that payment in full. "
        "Please check your cart and pay again."
    )
    if payment.basket_id is None:
        return changed
    try:
        submission = build_submission(details_of(payment), request=request)
    except (Basket.DoesNotExist, PaymentRefused):
        return changed
    basket = Basket._default_manager.select_for_update().get(pk=submission.basket.pk)
    if basket.status != Basket.OPEN or basket_version(submission) != payment.basket_version:
        return changed
    problems = stock_problems(submission.basket, lock=True)
    if problems:
        return (
            "Sorry, part of your order sold out while you were paying, so we refunded "
            "the payment in full. " + " ".join(problems)
        )
    place_order(payment, submission, request=request)
    return None


# --- Helpers ------------------------------------------------------------------------------


def _status_for(intent):
    if intent.succeeded:
        return PaymentIntent.Status.CREATED  # becomes SUCCEEDED with the order
    if intent.requires_action:
        return PaymentIntent.Status.REQUIRES_ACTION
    if intent.status in ("requires_payment_method", "canceled"):
        return PaymentIntent.Status.FAILED
    return PaymentIntent.Status.CREATED


def _metadata_id(value):
    """The row id our metadata carries, or None for anything that is not one (an ASCII
    number the database can hold)."""
    try:
        return coerce_id(value)
    except ValueError:
        return None


def find_payment(intent):
    """Our row for a PaymentIntent: by its id, or by the row id in its metadata when our
    process died (or Stripe did not answer) before the id could be stored."""
    payment = PaymentIntent.objects.filter(stripe_id=intent.id).first()
    payment_id = _metadata_id(intent.metadata.get("payment", ""))
    if payment is None and payment_id is not None:
        payment = PaymentIntent.objects.filter(
            pk=payment_id,
            stripe_id__isnull=True,
            idempotency_key__startswith=str(intent.metadata.get("key", ""))[:KEY_PREFIX],
            order_number=str(intent.metadata.get("order_number", "")),
        ).first()
    return payment


def _outcome_of_existing(payment, *, request):
    if payment.status == PaymentIntent.Status.UNKNOWN and not payment.stripe_id:
        raise PaymentRefused(NO_ANSWER_MESSAGE)
    if payment.status == PaymentIntent.Status.FAILED:
        raise PaymentRefused(payment.failure_message or "That card was already tried.")
    if not payment.stripe_id:
        # A twin request (same basket, same card) is charging at this moment.
        raise PaymentRefused(
            "This payment is already being processed. Please wait a moment, then check your "
            "email or your orders before trying again."
        )
    payment = complete_payment(payment_intent_id=payment.stripe_id, request=request)
    intent = gateway.retrieve_payment_intent(payment.stripe_id)
    return PaymentOutcome(payment=payment, client_secret=intent.client_secret)


def _outcome_of_paid_basket(basket):
    paid = (
        PaymentIntent.objects.filter(basket_id=basket.pk, order__isnull=False)
        .select_related("order")
        .first()
    )
    if paid is None:
        raise PaymentRefused("Your cart is empty.")
    return PaymentOutcome(payment=paid)


def _mark(payment, status, message):
    PaymentIntent.objects.filter(pk=payment.pk, order__isnull=True).update(
        status=status, failure_message=message
    )
    payment.refresh_from_db()


def _cancel_superseded(payment):
    """An older, unfinished PaymentIntent of the same basket must not be completed later."""
    older = PaymentIntent.objects.filter(
        basket_id=payment.basket_id, status=PaymentIntent.Status.REQUIRES_ACTION
    ).exclude(pk=payment.pk)
    for stale in older:
        try:
            gateway.cancel_payment_intent(stale.stripe_id)
        except gateway.GatewayError:
            logger.warning("Could not cancel superseded PaymentIntent %s", stale.stripe_id)
            continue
        PaymentIntent.objects.filter(pk=stale.pk, order__isnull=True).update(
            status=PaymentIntent.Status.FAILED, failure_message="Replaced by a newer payment."
        )
