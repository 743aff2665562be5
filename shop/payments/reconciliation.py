"""Compare what Stripe holds with the orders, and settle the differences.

Run by ``manage.py reconcile_payments`` on a schedule. Finds:

- a PaymentIntent that succeeded at Stripe with no order (the webhook and the shopper's
  return both lost, or Stripe did not answer in time); with ``fix`` the order is placed if
  the basket still exists unchanged, otherwise the payment is refunded in full
  (``complete_payment`` decides, as it does for the webhook);
- an order whose captured or refunded amount differs from Stripe's (reported: a person must
  look at it);
- an order whose PaymentIntent Stripe does not know;
- a payment Stripe never answered for and never created (with ``fix``: marked failed).

Every finding is stored as a ``ReconciliationEntry`` with what was done; a fix that touched
an order also leaves an order note.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from . import stripe_gateway as gateway
from .intents import complete_payment, find_payment
from .models import PaymentIntent, ReconciliationEntry
from .money import to_minor_units
from .placement import SOURCE_TYPE_NAME
from .refunds import refund_payment

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
Source = get_model("payment", "Source")

Problem = ReconciliationEntry.Problem
Action = ReconciliationEntry.Action

SINCE_PATTERN = re.compile(r"^([0-9]{1,6})([mhdw])$")
SINCE_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MAX_SINCE = timedelta(days=3660)
REFUND_STATUSES = ("succeeded", "pending")


def parse_since(value):
    """``7d``, ``12h``, ``30m``, ``2w`` → timedelta; anything else raises ValueError."""
    text = str(value).strip().lower()
    match = SINCE_PATTERN.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(
            f"--since takes a positive number and a unit, like 7d, 12h, 30m or 2w; "
            f"not {str(value)[:40]!r}."
        )
    since = timedelta(**{SINCE_UNITS[match.group(2)]: int(match.group(1))})
    if since > MAX_SINCE:
        raise ValueError("--since can reach back at most ten years.")
    return since


@dataclass
class Finding:
    problem: str
    payment_intent_id: str
    detail: str
    order: object = None
    stripe_amount: int | None = None
    store_amount: int | None = None
    action: str = Action.REPORTED


def reconcile(*, since, fix=False, now=None):
    """Compare the last ``since`` (a timedelta) of Stripe and the store; with ``fix``
    settle what can be settled. Returns the ReconciliationEntry rows written."""
    now = now or timezone.now()
    cutoff = now - since
    intents = gateway.list_payment_intents(created_since=int(cutoff.timestamp()))
    findings = []
    seen = set()
    for intent in intents:
        seen.add(intent.id)
        if intent.succeeded:
            findings += _check_intent(intent, fix=fix)
    findings += _orders_stripe_did_not_list(cutoff, seen)
    findings += _unanswered_payments(cutoff, intents, fix=fix)
    return [_record(finding) for finding in findings]


def _stripe_source(payment_intent_id):
    return (
        Source.objects.filter(source_type__name=SOURCE_TYPE_NAME, reference=payment_intent_id)
        .select_related("order")
        .first()
    )


def _check_intent(intent, *, fix):
    source = _stripe_source(intent.id)
    if source is not None:
        return _compare(source, intent)
    if _refunded_at_stripe(intent.id) >= intent.amount:
        return []  # refunded in full (a payment that could not become an order): settled
    return [_paid_without_order(intent, fix=fix)]


def _refunded_at_stripe(payment_intent_id):
    refunds = gateway.list_refunds(payment_intent_id=payment_intent_id)
    return sum(r.amount for r in refunds if r.status in REFUND_STATUSES)


def _compare(source, intent):
    findings = []
    order = source.order
    captured = to_minor_units(source.amount_debited)
    if captured != intent.amount:
        findings.append(
            Finding(
                Problem.CAPTURED_DIFFERS,
                intent.id,
                f"Order {order.number}: the store recorded {captured} cents captured, "
                f"Stripe {intent.amount}.",
                order=order,
                stripe_amount=intent.amount,
                store_amount=captured,
            )
        )
    refunds = gateway.list_refunds(payment_intent_id=intent.id)
    stripe_refunded = sum(r.amount for r in refunds if r.status in REFUND_STATUSES)
    store_refunded = to_minor_units(source.amount_refunded)
    if stripe_refunded != store_refunded:
        findings.append(
            Finding(
                Problem.REFUNDED_DIFFERS,
                intent.id,
                f"Order {order.number}: the store recorded {store_refunded} cents refunded, "
                f"Stripe {stripe_refunded} ({len(refunds)} refund(s)).",
                order=order,
                stripe_amount=stripe_refunded,
                store_amount=store_refunded,
            )
        )
    return findings


def _paid_without_order(intent, *, fix):
    payment = find_payment(intent)
    finding = Finding(
        Problem.PAID_WITHOUT_ORDER,
        intent.id,
        f"{intent.amount} {intent.currency.upper()} paid at Stripe, no order"
        + (f" (payment {payment.pk}, order number {payment.order_number})." if payment else "."),
        stripe_amount=intent.amount,
    )
    if not fix:
        return finding
    ours = payment is not None or "order_number" in intent.metadata
    if not ours:
        finding.detail += " Not made by this store: left alone."
        return finding
    try:
        if payment is not None:
            payment = complete_payment(payment_intent_id=intent.id)
            if payment.order_id:
                finding.action = Action.ORDER_PLACED
                finding.order = payment.order
                finding.detail += f" Placed order {payment.order.number}."
                _note(payment.order, f"Order placed by reconcile_payments: {finding.detail}")
            elif payment.status == PaymentIntent.Status.REFUNDED:
                finding.action = Action.REFUNDED
                finding.detail += f" Refunded in full: {payment.failure_message}"
        else:
            refund_payment(payment_intent_id=intent.id, idempotency_key=f"refund:{intent.id}")
            finding.action = Action.REFUNDED
            finding.detail += " No payment record in the store: refunded in full."
    except gateway.GatewayError as exc:
        finding.action = Action.FIX_FAILED
        finding.detail += f" Could not fix: {exc}"
    return finding


def _orders_stripe_did_not_list(cutoff, seen):
    """Orders paid by card in the window whose PaymentIntent was not in Stripe's list."""
    findings = []
    sources = Source.objects.filter(
        source_type__name=SOURCE_TYPE_NAME, order__date_placed__gte=cutoff
    ).select_related("order")
    for source in sources.exclude(reference__in=seen):
        try:
            intent = gateway.retrieve_payment_intent(source.reference)
        except gateway.NotFound:
            findings.append(
                Finding(
                    Problem.MISSING_AT_STRIPE,
                    source.reference,
                    f"Order {source.order.number}: Stripe has no PaymentIntent {source.reference}.",
                    order=source.order,
                    store_amount=to_minor_units(source.amount_debited),
                )
            )
            continue
        findings += _compare(source, intent)
    return findings


def _unanswered_payments(cutoff, intents, *, fix):
    """Payments Stripe did not answer for: settled if Stripe made the PaymentIntent (it is
    in the list, handled above), else nothing was charged."""
    made = {str(intent.metadata.get("payment", "")) for intent in intents}
    findings = []
    unanswered = PaymentIntent.objects.filter(
        Q(stripe_id__isnull=True) | Q(stripe_id=""),
        status=PaymentIntent.Status.UNKNOWN,
        created_at__gte=cutoff,
    )
    for payment in unanswered:
        if str(payment.pk) in made:
            continue
        finding = Finding(
            Problem.NEVER_CHARGED,
            "",
            f"Payment {payment.pk} (order number {payment.order_number}): Stripe did not "
            "answer and has no PaymentIntent for it; nothing was charged.",
            store_amount=payment.amount,
        )
        if fix:
            PaymentIntent.objects.filter(pk=payment.pk, status=PaymentIntent.Status.UNKNOWN).update(
                status=PaymentIntent.Status.FAILED,
                failure_message="Stripe did not answer; nothing was charged.",
            )
            finding.action = Action.MARKED_FAILED
        findings.append(finding)
    return findings


def _note(order, message):
    OrderNote.objects.create(order=order, message=message, note_type=OrderNote.SYSTEM)


def _record(finding):
    if finding.order is not None and finding.action == Action.REFUNDED:
        _note(finding.order, f"reconcile_payments: {finding.detail}")
    logger.warning("Reconciliation: %s %s", finding.problem, finding.detail)
    return ReconciliationEntry.objects.create(
        payment_intent_id=finding.payment_intent_id,
        order=finding.order,
        problem=finding.problem,
        action=finding.action,
        stripe_amount=finding.stripe_amount,
        store_amount=finding.store_amount,
        detail=finding.detail,
    )
