"""Write-side rules of paying by card and placing the order.

Two entry points, both idempotent:

``start_payment``
    Called when the shopper presses "Pay". Prices the basket on the server, checks stock
    with the stock rows locked, charges through Stripe (PaymentIntent created with
    ``confirm=true`` and an idempotency key from basket id + amount + basket version + card
    token) and, if the card needs no 3-D Secure, places the order while still holding the
    stock locks, so a second shopper waiting for the same last unit is turned away *before*
    being charged.

``complete_payment``
    Called by the browser's return after 3-D Secure and by the ``payment_intent.succeeded``
    webhook, in either order, any number of times. It re-reads the PaymentIntent from
    Stripe (never trusting the caller), locks our row, and places the order once. If the
    basket changed or stock ran out while the shopper was authenticating, it refunds the
    payment in full instead of placing a wrong order.
"""

import hashlib
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.models import Site
from django.db import IntegrityError, transaction
from django.urls import reverse
from oscar.apps.checkout.signals import post_checkout
from oscar.core.loading import get_class, get_model

from shop.tax.services import apply_to_basket as apply_sales_tax

from . import stripe_gateway as gateway
from .models import PaymentIntent, StripeCustomer, WebhookEvent

logger = logging.getLogger(__name__)

Applicator = get_class("offer.applicator", "Applicator")
Basket = get_model("basket", "Basket")
OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")
Selector = get_class("partner.strategy", "Selector")
ShippingAddress = get_model("order", "ShippingAddress")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
StockRecord = get_model("partner", "StockRecord")
SurchargeApplicator = get_class("checkout.applicator", "SurchargeApplicator")

TOKEN_PATTERN = re.compile(r"^tok_[A-Za-z0-9_]{1,200}$")
SOURCE_TYPE_NAME = "Stripe"
PAID_EVENT_NAME = "Paid"


class PaymentUnavailable(Exception):
    """Card payment is switched off (no Stripe keys): say so, do not fail."""


class PaymentRefused(Exception):
    """The payment cannot go ahead; ``str(exc)`` is the message for the shopper."""


class OutOfStock(PaymentRefused):
    pass


@dataclass(frozen=True)
class CheckoutDetails:
    """What the shopper chose in checkout, as plain data that can outlive the session."""

    basket_id: int
    user_id: int | None
    guest_email: str
    shipping_address: dict
    shipping_method_code: str


@dataclass
class Submission:
    """The basket priced on the server, ready for Oscar's order placement."""

    basket: object
    user: object
    shipping_address: object
    shipping_method: object
    shipping_charge: object
    surcharges: object
    total: object


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


def to_minor_units(amount):
    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def address_fields(address):
    """An unsaved ShippingAddress as JSON-ready field values (country by its ISO code)."""
    fields = {}
    for model_field in ShippingAddress._meta.concrete_fields:
        if model_field.primary_key or model_field.name in ("search_text", "code"):
            continue
        value = getattr(address, model_field.attname)
        fields[model_field.attname] = "" if value is None else str(value)
    return fields


# --- Reading the basket -------------------------------------------------------------------


def build_submission(details, *, request=None):
    """Price the basket from the database exactly as checkout shows it."""
    basket = Basket._default_manager.get(pk=details.basket_id)
    user = (
        get_user_model()._default_manager.get(pk=details.user_id)
        if details.user_id
        else AnonymousUser()
    )
    basket.strategy = Selector().strategy(request=request, user=user)
    Applicator().apply(basket, user, request)
    shipping_address = ShippingAddress(**details.shipping_address)
    methods = Repository().get_shipping_methods(
        basket=basket, user=user, shipping_addr=shipping_address, request=request
    )
    method = next((m for m in methods if m.code == details.shipping_method_code), None)
    if method is None:
        raise PaymentRefused("Please choose a shipping method again.")
    charge = method.calculate(basket)
    apply_sales_tax(basket, charge, shipping_address)
    surcharges = SurchargeApplicator(request, {"basket": basket}).get_applicable_surcharges(
        basket, shipping_charge=charge
    )
    total = OrderTotalCalculator(request).calculate(basket, charge, surcharges)
    return Submission(basket, user, shipping_address, method, charge, surcharges, total)


def basket_version(submission):
    """A fingerprint of everything the amount depends on; any change gives a new one."""
    basket = submission.basket
    parts = [
        f"{line.id}:{line.stockrecord_id}:{line.quantity}:{line.line_price_incl_tax_incl_discounts}"
        for line in basket.all_lines()
    ]
    parts += sorted(voucher.code for voucher in basket.vouchers.all())
    parts += [
        submission.shipping_method.code,
        str(submission.shipping_charge.incl_tax),
        str(submission.total.incl_tax),
        submission.total.currency,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def stock_problems(basket, *, lock):
    """Reasons the basket cannot be bought now; with ``lock`` the stock rows stay locked
    until the surrounding transaction ends (rows are locked in id order: no deadlocks)."""
    lines = list(basket.all_lines())
    wanted = defaultdict(int)
    for line in lines:
        wanted[line.stockrecord_id] += line.quantity
    records = StockRecord._default_manager.filter(id__in=wanted.keys()).order_by("id")
    if lock:
        records = records.select_for_update()
    records = {record.id: record for record in records}
    problems = []
    for line in lines:
        record = records.get(line.stockrecord_id)
        title = line.product.get_title()
        if record is None:
            problems.append(f"{title} is no longer available.")
            continue
        info = basket.strategy.fetch_for_product(line.product, stockrecord=record)
        permitted, reason = info.availability.is_purchase_permitted(wanted[record.id])
        if not permitted:
            problems.append(f"{title}: {reason}.")
    return problems


# --- Paying -------------------------------------------------------------------------------


def start_payment(*, details, token, request=None):
    """Charge the card for the basket; returns a PaymentOutcome or raises PaymentRefused."""
    if not gateway.is_configured():
        raise PaymentUnavailable("Card payment is unavailable at the moment.")
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        raise PaymentRefused("Your card details could not be read. Please enter them again.")

    submission = build_submission(details, request=request)
    basket = submission.basket
    if basket.is_empty or basket.status != Basket.OPEN:
        raise PaymentRefused("Your cart is empty.")
    amount = to_minor_units(submission.total.incl_tax)
    if amount <= 0:
        raise PaymentRefused("There is nothing to pay for this order.")
    problems = stock_problems(basket, lock=False)
    if problems:
        raise OutOfStock(" ".join(problems))

    version = basket_version(submission)
    key = hashlib.sha256(f"{basket.id}:{amount}:{version}:{token}".encode()).hexdigest()
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
        },
    )
    if not created:
        # The same card token for the same basket: a double click or a retried request.
        return _outcome_of_existing(payment, request=request)

    try:
        card, customer_id = _attach_card(details, submission, token, key)
        payment.card_label = f"{card.brand} ending {card.last4}".strip()
        payment.save(update_fields=["card_label", "updated_at"])
        with transaction.atomic():
            problems = stock_problems(basket, lock=True)
            if problems:
                raise OutOfStock(" ".join(problems))
            intent = gateway.create_payment_intent(
                amount=amount,
                currency=payment.currency,
                customer_id=customer_id,
                card_id=card.id,
                metadata={
                    "payment": str(payment.pk),
                    "basket": str(basket.id),
                    "order_number": payment.order_number,
                },
                idempotency_key=key,
            )
            payment.stripe_id = intent.id
            payment.status = _status_for(intent)
            payment.failure_message = intent.error_message
            payment.save(update_fields=["stripe_id", "status", "failure_message", "updated_at"])
            if intent.succeeded:
                # Still holding the stock locks: nobody can take these units meanwhile.
                _place_order_safely(payment, submission, request=request)
    except gateway.GatewayError as exc:
        _mark_failed(payment, str(exc))
        raise PaymentRefused(str(exc)) from exc
    except PaymentRefused as exc:
        _mark_failed(payment, str(exc))
        raise

    if payment.status == PaymentIntent.Status.FAILED:
        raise PaymentRefused(payment.failure_message or "Your card was declined.")
    _cancel_superseded(payment)
    return PaymentOutcome(payment=payment, client_secret=intent.client_secret)


def _stripe_customer(details, submission, key, *, fresh=False):
    """The Stripe customer to charge: the signed-in shopper's own (made once), or a new one
    for a guest."""
    if not details.user_id:
        return gateway.create_customer(email=details.guest_email, idempotency_key=f"{key}:customer")
    if not fresh:
        known = StripeCustomer.objects.filter(user_id=details.user_id).first()
        if known is not None:
            return known.stripe_id
    # Per user, so two first payments at once make one customer; per attempt after a
    # customer went missing at Stripe.
    customer_key = f"{key}:customer" if fresh else f"user-{details.user_id}:customer"
    customer_id = gateway.create_customer(email=submission.user.email, idempotency_key=customer_key)
    StripeCustomer.objects.update_or_create(
        user_id=details.user_id, defaults={"stripe_id": customer_id}
    )
    return customer_id


def _attach_card(details, submission, token, key):
    customer_id = _stripe_customer(details, submission, key)
    try:
        return gateway.attach_card(customer_id=customer_id, token=token), customer_id
    except gateway.NotFound:
        if not details.user_id or gateway.customer_exists(customer_id):
            raise  # the token, not the customer, is unknown
        # The customer was deleted in Stripe's dashboard: start a new one.
        logger.warning("Stripe customer %s is gone; making a new one", customer_id)
        customer_id = _stripe_customer(details, submission, key, fresh=True)
        return gateway.attach_card(customer_id=customer_id, token=token), customer_id


def complete_payment(*, payment_intent_id, request=None):
    """Place the order for a succeeded PaymentIntent once; returns our row, or None if the
    PaymentIntent is not one of ours."""
    intent = gateway.retrieve_payment_intent(payment_intent_id)
    payment = _find_payment(intent)
    if payment is None:
        return None
    with transaction.atomic():
        payment = PaymentIntent.objects.select_for_update().get(pk=payment.pk)
        if payment.stripe_id is None:
            payment.stripe_id = intent.id
        if payment.order_id or payment.status == PaymentIntent.Status.REFUNDED:
            return payment
        if not intent.succeeded:
            payment.status = _status_for(intent)
            payment.failure_message = intent.error_message
            payment.save()
            return payment
        if intent.amount != payment.amount or intent.currency != payment.currency.lower():
            _refund(payment, "The amount paid did not match your order; it has been refunded.")
            return payment
        submission = build_submission(_details_of(payment), request=request)
        basket = Basket._default_manager.select_for_update().get(pk=submission.basket.pk)
        if basket.status != Basket.OPEN or basket_version(submission) != payment.basket_version:
            _refund(
                payment,
                "Your cart changed while you were paying, so we refunded that payment in full. "
                "Please check your cart and pay again.",
            )
            return payment
        problems = stock_problems(submission.basket, lock=True)
        if problems:
            _refund(
                payment,
                "Sorry, part of your order sold out while you were paying, so we refunded "
                "the payment in full. " + " ".join(problems),
            )
            return payment
        _place_order(payment, submission, request=request)
    return payment


# --- Helpers ------------------------------------------------------------------------------


def _status_for(intent):
    if intent.succeeded:
        return PaymentIntent.Status.CREATED  # becomes SUCCEEDED with the order
    if intent.requires_action:
        return PaymentIntent.Status.REQUIRES_ACTION
    if intent.status in ("requires_payment_method", "canceled"):
        return PaymentIntent.Status.FAILED
    return PaymentIntent.Status.CREATED


def _find_payment(intent):
    payment = PaymentIntent.objects.filter(stripe_id=intent.id).first()
    if payment is None and intent.metadata.get("payment", "").isdigit():
        # Created at Stripe, but our process died before it could store the id.
        payment = PaymentIntent.objects.filter(
            pk=int(intent.metadata["payment"]), stripe_id__isnull=True
        ).first()
    return payment


def _details_of(payment):
    return CheckoutDetails(
        basket_id=payment.basket_id,
        user_id=payment.user_id,
        guest_email=payment.guest_email,
        shipping_address=payment.shipping_address,
        shipping_method_code=payment.shipping_method_code,
    )


def _outcome_of_existing(payment, *, request):
    if payment.status == PaymentIntent.Status.FAILED or not payment.stripe_id:
        raise PaymentRefused(payment.failure_message or "That card was already tried.")
    payment = complete_payment(payment_intent_id=payment.stripe_id, request=request)
    intent = gateway.retrieve_payment_intent(payment.stripe_id)
    return PaymentOutcome(payment=payment, client_secret=intent.client_secret)


def _mark_failed(payment, message):
    PaymentIntent.objects.filter(pk=payment.pk, order__isnull=True).update(
        status=PaymentIntent.Status.FAILED, failure_message=message
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


def _refund(payment, reason):
    gateway.refund_payment_intent(
        payment_intent_id=payment.stripe_id, idempotency_key=f"refund:{payment.stripe_id}"
    )
    payment.status = PaymentIntent.Status.REFUNDED
    payment.failure_message = reason
    payment.save()
    logger.warning("Refunded %s: %s", payment.stripe_id, reason)


def _place_order_safely(payment, submission, *, request):
    """Place the order now; if that fails unexpectedly, leave the paid row for the webhook
    or the browser's return to complete, rather than losing the record of the charge."""
    try:
        with transaction.atomic():
            _place_order(payment, submission, request=request)
    except Exception:  # noqa: BLE001 - the charge is recorded; completion retries later
        logger.exception("Order %s: paid but not placed yet", payment.order_number)
        payment.refresh_from_db()


def _place_order(payment, submission, *, request):
    placer = OrderPlacer(request)
    total = submission.total.incl_tax
    source_type, _ = SourceType.objects.get_or_create(name=SOURCE_TYPE_NAME)
    placer.add_payment_source(
        Source(
            source_type=source_type,
            currency=submission.total.currency,
            amount_allocated=total,
            amount_debited=total,
            reference=payment.stripe_id,
            label=payment.card_label,
        )
    )
    placer.add_payment_event(PAID_EVENT_NAME, total, reference=payment.stripe_id)
    order_kwargs = {} if payment.user_id else {"guest_email": payment.guest_email}
    order = placer.place_order(
        order_number=payment.order_number,
        user=submission.user,
        basket=submission.basket,
        shipping_address=submission.shipping_address,
        shipping_method=submission.shipping_method,
        shipping_charge=submission.shipping_charge,
        order_total=submission.total,
        billing_address=None,
        surcharges=submission.surcharges,
        request=request,
        **order_kwargs,
    )
    submission.basket.submit()
    payment.order = order
    payment.status = PaymentIntent.Status.SUCCEEDED
    payment.failure_message = ""
    payment.save()
    transaction.on_commit(lambda: placer.send_order_placed_email(order))
    # Oscar's "checkout finished" signal, as its own checkout sends it; receivers get no
    # response object here (the order may be placed by the webhook, with no browser).
    transaction.on_commit(
        lambda: post_checkout.send_robust(
            sender=OrderPlacer,
            order=order,
            user=order.user or AnonymousUser(),
            request=request,
            response=None,
        )
    )
    logger.info("Order %s placed for %s", order.number, payment.stripe_id)
    return order


class OrderPlacer(OrderPlacementMixin):
    """Oscar's order-writing half of checkout (addresses, order, payment sources and
    events, confirmation email), usable without a request so the webhook can place orders.
    """

    def __init__(self, request=None):
        self.request = request

    def get_message_context(self, order):
        if order.user_id:
            path = reverse("customer:order", kwargs={"order_number": order.number})
        else:
            path = reverse(
                "customer:anon-order",
                kwargs={"order_number": order.number, "hash": order.verification_hash()},
            )
        site = Site.objects.get_current()
        return {
            "user": order.user,
            "order": order,
            "lines": order.lines.all(),
            "site": site,
            "status_path": path,
            "status_url": f"https://{site.domain}{path}",
        }


# --- Webhooks -----------------------------------------------------------------------------

HANDLED_EVENT_TYPES = frozenset(
    {"payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"}
)


def _reconcile_refund(event):
    # Refunds made in Stripe's own dashboard belong to support's refund records.
    from support.services import reconcile_stripe_refund

    reconcile_stripe_refund(event.data)
    return "processed"


def handle_webhook(*, payload, signature):
    """Verify and apply one Stripe event; returns what was done, for the response body.

    Raises ``stripe_gateway.InvalidWebhook`` for a bad signature or body (answer 400). The
    event id is stored before any effect, so redelivery of the same event does nothing; the
    effect itself (``complete_payment``) re-reads the PaymentIntent, so events may arrive in
    any order and before or after the shopper's browser.
    """
    event = gateway.parse_webhook(payload=payload, signature=signature)
    if event.type not in HANDLED_EVENT_TYPES:
        return "ignored"
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(stripe_id=event.id, type=event.type)
    except IntegrityError:
        return "duplicate"
    if event.type == "charge.refunded":
        try:
            return _reconcile_refund(event)
        except Exception:
            WebhookEvent.objects.filter(stripe_id=event.id).delete()
            raise
    try:
        payment = complete_payment(payment_intent_id=event.object_id)
    except gateway.NotFound:
        return "unknown payment"
    except Exception:
        # Forget the event so Stripe's next delivery is processed, not skipped.
        WebhookEvent.objects.filter(stripe_id=event.id).delete()
        raise
    return "processed" if payment is not None else "unknown payment"
