"""Write-side rules for returns and refunds. Views, admin and the Stripe webhook call these.

Every function takes keyword arguments, checks the actor's permission itself (views check
too; this is the last line), validates, and runs in one transaction that locks the order
row, so two staff members (or one double click) acting on the same order take turns.
Emails go out after the transaction has committed.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from oscar.core.loading import get_model

from config.fields import coerce_id, parse_money
from outbox import services as outbox
from shop.payments.money import from_minor_units, to_minor_units
from shop.payments.refunds import refund_payment
from shop.payments.stripe_gateway import GatewayError, GatewayUnreachable
from shop.tax.services import refund_tax
from support import emails, selectors
from support.models import AuditEntry, Refund, RefundLine, ReturnLine, ReturnRequest

logger = logging.getLogger(__name__)
security_log = logging.getLogger("support.security")

Order = get_model("order", "Order")
OrderStatusChange = get_model("order", "OrderStatusChange")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

REFUND_EVENT = "Refund"

# Statuses support moves orders and lines into. They are written whatever the store's
# pipeline allows, because a refund must be recordable from any status (one made in
# Stripe's dashboard can arrive at any time); each change is still an OrderStatusChange.
ORDER_RETURN_APPROVED = "Return approved"
ORDER_RETURNED = "Returned"
ORDER_PARTIALLY_REFUNDED = "Partially refunded"
ORDER_REFUNDED = "Refunded"
ORDER_STATUSES = [ORDER_RETURN_APPROVED, ORDER_RETURNED, ORDER_PARTIALLY_REFUNDED, ORDER_REFUNDED]
LINE_RETURN_APPROVED = "Return approved"
LINE_RETURNED = "Returned"
LINE_REFUNDED = "Refunded"

PERM_REFUND = "support.add_refund"
PERM_PROCESS_RETURN = "support.change_returnrequest"


class SupportError(Exception):
    """A request that breaks a rule; the message is written for the person who made it."""


class ReturnRefused(SupportError):
    pass


class RefundRefused(SupportError):
    pass


def require_permission(user, permission, *, action, order=None):
    """Raise PermissionDenied, and log the attempt, unless ``user`` holds ``permission``."""
    if user is not None and user.is_active and user.has_perm(permission):
        return
    security_log.warning(
        "Denied: %s tried to %s%s without %s",
        getattr(user, "username", None) or "anonymous",
        action,
        f" on order {order.number}" if order is not None else "",
        permission,
    )
    raise PermissionDenied(f"You don't have permission to {action}.")


# --- Returns ------------------------------------------------------------------------------


def request_return(*, order, line_ids, reason, email, comments="", customer=None):
    """A customer asks to return some lines under the money-back guarantee.

    ``customer`` is the signed-in account; None for a guest whose order number and email
    the view has already matched. Returns the new ReturnRequest.
    """
    if customer is not None and order.user_id != customer.pk:
        security_log.warning(
            "Denied: %s asked to return order %s, which is not theirs", customer, order.number
        )
        raise ReturnRefused("We couldn't find that order in your account.")
    if reason not in ReturnRequest.Reason.values:
        raise ReturnRefused("Please choose a reason for the return.")
    window = selectors.guarantee_window(order)
    if not window.has_started:
        raise ReturnRefused(
            "This order hasn't shipped yet, so it can't be returned. "
            "Contact us if you'd like to cancel it."
        )
    if not window.is_open():
        raise ReturnRefused(
            f"The {settings.MONEY_BACK_GUARANTEE_DAYS}-day money-back guarantee for this "
            f"order closed on {window.closes_on:%B} {window.closes_on.day}, "
            f"{window.closes_on.year} ({settings.MONEY_BACK_GUARANTEE_DAYS} days after it "
            f"was {window.basis_words})."
        )
    line_ids = _clean_ids(line_ids)
    if not line_ids:
        raise ReturnRefused("Choose at least one item to return.")
    try:
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order.pk)
            returnable = {line.pk: line for line in selectors.returnable_lines(order)}
            unknown = [pk for pk in line_ids if pk not in returnable]
            if unknown:
                if order.lines.filter(pk__in=unknown).count() != len(unknown):
                    raise ReturnRefused("Some of the items chosen are not part of this order.")
                raise ReturnRefused(
                    "Some of the items chosen have already been returned or refunded."
                )
            count = ReturnRequest.objects.filter(order=order).count()
            return_request = ReturnRequest.objects.create(
                number=f"R{order.number}-{count + 1}",
                order=order,
                user=customer,
                email=email,
                reason=reason,
                comments=comments,
            )
            ReturnLine.objects.bulk_create(
                ReturnLine(
                    return_request=return_request,
                    order_line=returnable[pk],
                    quantity=returnable[pk].quantity,
                )
                for pk in line_ids
            )
            _audit(
                order,
                customer,
                "return_requested",
                f"Return {return_request.number} requested ({return_request.get_reason_display()})",
                return_request,
            )
            emails.send(
                "return_requested",
                order=order,
                to=email,
                context={"return_request": return_request, "window": window},
            )
    except IntegrityError:
        # Two requests for the same line at the same moment: the constraint kept one.
        raise ReturnRefused("Some of the items chosen have already been returned or refunded.")
    return return_request


@dataclass(frozen=True)
class _ReturnStep:
    """A staff step on a return: the permission's wording, the statuses it may start from,
    where it leads, the line and order statuses it sets and the email it sends."""

    action: str
    allowed_from: tuple
    to: str
    email: str
    line_status: str = ""
    order_status: str = ""


APPROVE = _ReturnStep(
    "approve returns",
    (ReturnRequest.Status.NEW,),
    ReturnRequest.Status.APPROVED,
    "return_approved",
    LINE_RETURN_APPROVED,
    ORDER_RETURN_APPROVED,
)
REJECT = _ReturnStep(
    "reject returns",
    (ReturnRequest.Status.NEW, ReturnRequest.Status.APPROVED),
    ReturnRequest.Status.REJECTED,
    "return_rejected",
)
RECEIVE = _ReturnStep(
    "mark returns received",
    (ReturnRequest.Status.APPROVED,),
    ReturnRequest.Status.RECEIVED,
    "return_received",
    LINE_RETURNED,
    ORDER_RETURNED,
)


def _take_step(step, return_request, by, note=""):
    with transaction.atomic():
        return_request = _move_return(return_request, by, step, note)
        _email(return_request, step.email)
    return return_request


def approve_return(*, return_request, by):
    return _take_step(APPROVE, return_request, by)


def reject_return(*, return_request, by, note=""):
    return _take_step(REJECT, return_request, by, note)


def mark_received(*, return_request, by):
    return _take_step(RECEIVE, return_request, by)


def refund_return(*, return_request, by, idempotency_key):
    """Refund a received return's lines to the card, then close the return."""
    require_permission(by, PERM_PROCESS_RETURN, action="refund returns", order=return_request.order)
    return_request = ReturnRequest.objects.get(pk=return_request.pk)
    existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.return_request_id == return_request.pk:
        return existing  # the same form submitted twice
    if return_request.status != ReturnRequest.Status.RECEIVED:
        raise ReturnRefused(
            f"Return {return_request.number} is {return_request.get_status_display().lower()}; "
            "only a received return can be refunded."
        )
    line_ids = list(
        return_request.lines.filter(is_active=True).values_list("order_line", flat=True)
    )
    return refund_order(
        order=return_request.order,
        by=by,
        idempotency_key=idempotency_key,
        line_ids=line_ids,
        reason=f"Return {return_request.number}",
        return_request=return_request,
    )


def _move_return(return_request, by, step, note):
    require_permission(by, PERM_PROCESS_RETURN, action=step.action, order=return_request.order)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=return_request.order_id)
        return_request = ReturnRequest.objects.select_for_update().get(pk=return_request.pk)
        if return_request.status not in step.allowed_from:
            raise ReturnRefused(
                f"Return {return_request.number} is already "
                f"{return_request.get_status_display().lower()}."
            )
        return_request.status = step.to
        if note:
            return_request.staff_note = note
        return_request.save(update_fields=["status", "staff_note", "updated_at"])
        lines = [rl.order_line for rl in return_request.lines.select_related("order_line")]
        if step.to == ReturnRequest.Status.REJECTED:
            return_request.lines.update(is_active=False)
        if step.line_status:
            _set_line_statuses(lines, step.line_status)
        if step.order_status:
            _set_order_status(order, step.order_status)
        _audit(
            order,
            by,
            f"return_{step.to}",
            f"Return {return_request.number} {return_request.get_status_display().lower()}"
            + (f": {note}" if note else ""),
            return_request,
        )
    return return_request


def _email(return_request, step, **context):
    emails.send(
        step,
        order=return_request.order,
        to=return_request.email,
        context={"return_request": return_request, **context},
    )


# --- Refunds ------------------------------------------------------------------------------


def parse_amount(value):
    """A refund amount from a form: positive, ASCII digits, at most two decimal places."""
    try:
        amount = parse_money(value)
    except ValueError as error:
        raise RefundRefused(str(error))
    if amount <= 0:
        raise RefundRefused("The refund amount must be more than zero.")
    return amount


def refund_order(
    *,
    order,
    by,
    idempotency_key,
    amount=None,
    line_ids=None,
    reason="",
    return_request=None,
):
    """Refund part or all of an order's card payment through Stripe.

    Give either ``line_ids`` (refunds those lines' prices; a line is refunded once) or an
    ``amount``. Never more than captured minus refunded. The idempotency key comes from
    the form, so a double click (or a retry after a timeout) finds the first refund
    instead of making a second one, here and at Stripe.
    """
    require_permission(by, PERM_REFUND, action="refund orders", order=order)
    if not idempotency_key or len(idempotency_key) > 100:
        raise RefundRefused("The form has expired; reload the page and try again.")
    if (amount is None) == (not line_ids):
        raise RefundRefused("Choose the items to refund or enter an amount, not both.")
    if amount is not None:
        amount = parse_amount(amount)
    try:
        with transaction.atomic():
            refund, created = _refund_locked(
                order=order,
                by=by,
                idempotency_key=idempotency_key,
                amount=amount,
                line_ids=_clean_ids(line_ids or []),
                reason=reason,
                return_request=return_request,
            )
            to = return_request.email if return_request else _customer_email(refund.order)
            if created and to:
                emails.send(
                    "refund_issued",
                    order=refund.order,
                    to=to,
                    context={"refund": refund, "return_request": return_request},
                )
    except IntegrityError:
        # Without row locks (SQLite) a simultaneous twin of this request may have recorded
        # the refund first; Stripe's idempotency key made it the same refund.
        existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    return refund


def _refund_locked(*, order, by, idempotency_key, amount, line_ids, reason, return_request):
    order = Order.objects.select_for_update().get(pk=order.pk)
    existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.order_id != order.pk:
            raise RefundRefused("The form has expired; reload the page and try again.")
        return existing, False
    source = selectors.stripe_source(order)
    if source is None:
        raise RefundRefused("This order has no card payment to refund.")
    lines = []
    if line_ids:
        lines = list(order.lines.filter(pk__in=line_ids).select_related("support_refund_line"))
        if len(lines) != len(line_ids):
            raise RefundRefused("Some of the items chosen are not part of this order.")
        if any(hasattr(line, "support_refund_line") for line in lines):
            raise RefundRefused("Some of the items chosen have already been refunded.")
        amount = sum((line.line_price_incl_tax for line in lines), start=Decimal("0.00"))
    remainder = selectors.refundable_amount(order)
    if amount > remainder:
        raise RefundRefused(
            f"Only {remainder} {order.currency} of this order can still be refunded."
        )
    # Stripe is called with the order row locked: that is what keeps two refunds from
    # together exceeding what was captured. The call is bounded (STRIPE_TIMEOUT_SECONDS).
    try:
        refund_id = refund_payment(
            payment_intent_id=source.reference,
            amount=amount,
            currency=order.currency,
            idempotency_key=idempotency_key,
        )
    except GatewayUnreachable as exc:
        logger.warning("Refund of order %s: Stripe did not answer: %s", order.number, exc)
        raise RefundRefused(
            "Stripe did not answer in time, so the refund may or may not have been made. "
            "Submit this same form again (it cannot refund twice), or check the order later: "
            "a refund Stripe made is recorded when Stripe reports it."
        )
    except GatewayError as exc:
        logger.warning("Refund of order %s failed at Stripe: %s", order.number, exc)
        raise RefundRefused(f"Stripe did not make the refund: {exc}")
    refund = _record_refund(
        order=order,
        source=source,
        amount=amount,
        stripe_refund_id=refund_id,
        idempotency_key=idempotency_key,
        by=by,
        lines=lines,
        reason=reason,
        return_request=return_request,
        origin=Refund.Origin.DASHBOARD,
    )
    return refund, True


def reconcile_stripe_refund(charge):
    """Record refunds made outside the store (Stripe's dashboard), from ``charge.refunded``.

    ``charge`` is the event's data object. Refunds already recorded (ours, or an earlier
    delivery of the same event) are skipped by their Stripe id, so redelivery is harmless.
    Returns the refunds recorded now. ``charge`` may be a dict or a stripe object (anything
    with ``to_dict()``), as the webhook view has it.
    """
    if hasattr(charge, "to_dict"):
        charge = charge.to_dict()
    payment_intent_id = charge.get("payment_intent")
    if not payment_intent_id:
        return []
    source = selectors.Source.objects.filter(reference=payment_intent_id).first()
    if source is None:
        logger.warning("charge.refunded for unknown PaymentIntent %s", payment_intent_id)
        return []
    recorded = []
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=source.order_id)
        source = selectors.Source.objects.get(pk=source.pk)
        for refund_id, cents in _charge_refunds(charge, payment_intent_id):
            if Refund.objects.filter(stripe_refund_id=refund_id).exists():
                continue
            recorded.append(
                _record_refund(
                    order=order,
                    source=source,
                    amount=from_minor_units(cents),
                    stripe_refund_id=refund_id,
                    idempotency_key=f"stripe:{refund_id}",
                    by=None,
                    lines=[],
                    reason="Refunded in Stripe's dashboard",
                    return_request=None,
                    origin=Refund.Origin.STRIPE,
                )
            )
        to = _customer_email(order)
        for refund in recorded:
            if to:
                emails.send("refund_issued", order=order, to=to, context={"refund": refund})
    return recorded


def _charge_refunds(charge, payment_intent_id):
    """(refund id, amount in cents) for each succeeded refund on the charge.

    Recent Stripe API versions leave ``refunds`` out of charge objects; then the charge's
    ``amount_refunded`` beyond what is already recorded becomes one refund, named after the
    charge and the refunded total so that a redelivery finds it.
    """
    refunds = (charge.get("refunds") or {}).get("data")
    if refunds is not None:
        return [
            (r["id"], int(r["amount"]))
            for r in refunds
            if r.get("status", "succeeded") in ("succeeded", "pending")
        ]
    total_cents = int(charge.get("amount_refunded") or 0)
    known = sum(
        Refund.objects.filter(payment_intent_id=payment_intent_id).values_list("amount", flat=True),
        start=Decimal("0"),
    )
    missing = total_cents - to_minor_units(known)
    if missing <= 0:
        return []
    return [(f"{charge['id']}:refunded-{total_cents}", missing)]


def _record_refund(
    *,
    order,
    source,
    amount,
    stripe_refund_id,
    idempotency_key,
    by,
    lines,
    reason,
    return_request,
    origin,
):
    event_type, _ = PaymentEventType.objects.get_or_create(name=REFUND_EVENT)
    event = PaymentEvent.objects.create(
        order=order, amount=amount, reference=stripe_refund_id, event_type=event_type
    )
    for line in lines:
        PaymentEventQuantity.objects.create(event=event, line=line, quantity=line.quantity)
    source.refund(amount, reference=stripe_refund_id)
    refund = Refund.objects.create(
        order=order,
        return_request=return_request,
        amount=amount,
        currency=order.currency,
        payment_intent_id=source.reference,
        stripe_refund_id=stripe_refund_id,
        idempotency_key=idempotency_key,
        payment_event=event,
        origin=origin,
        reason=reason,
        created_by=by,
    )
    RefundLine.objects.bulk_create(
        RefundLine(refund=refund, order_line=line, amount=line.line_price_incl_tax)
        for line in lines
    )
    if lines:
        _set_line_statuses(lines, LINE_REFUNDED)
    fully = selectors.refundable_amount(order) == 0
    _set_order_status(order, ORDER_REFUNDED if fully else ORDER_PARTIALLY_REFUNDED)
    if return_request is not None:
        return_request.status = ReturnRequest.Status.REFUNDED
        return_request.save(update_fields=["status", "updated_at"])
    what = f"Refunded {amount} {order.currency} ({stripe_refund_id})"
    tax = refund_tax(order, amount, lines)
    if tax:
        what += f", including {tax} {order.currency} tax"
    if lines:
        what += ": " + ", ".join(line.title for line in lines)
    if origin == Refund.Origin.STRIPE:
        what += " in Stripe's dashboard"
    _audit(order, by, "refund", what, return_request)
    return refund


# --- Helpers ------------------------------------------------------------------------------


def _clean_ids(values):
    ids = []
    for value in values:
        try:
            ids.append(coerce_id(value))
        except (TypeError, ValueError):
            raise SupportError("Some of the items chosen are not part of this order.")
    return sorted(set(ids))


def _customer_email(order):
    return order.guest_email or (order.user.email if order.user_id else "")


def _set_order_status(order, status):
    old = order.status
    if old == status:
        return
    order.status = status
    order.save(update_fields=["status"])
    OrderStatusChange.objects.create(order=order, old_status=old, new_status=status)


def _set_line_statuses(lines, status):
    for line in lines:
        line.status = status
        line.save(update_fields=["status"])


def _audit(order, actor, action, message, return_request=None):
    AuditEntry.objects.create(
        order=order, actor=actor, action=action, message=message, return_request=return_request
    )


def resend_order_email(*, order, order_email_id, by):
    """Queue one of the order's emails again (order page, "Resend"); None if not the order's."""
    with transaction.atomic():
        original = outbox.order_emails(order).filter(pk=order_email_id).first()
        if original is None:
            return None
        copy = outbox.resend(original, by=by)
        _audit(
            order,
            by,
            "email_resent",
            f"Email resent: {original.email.subject} (to {', '.join(original.email.to)})",
        )
    return copy


# --- Guest orders in an account -----------------------------------------------------------
# A guest's orders join the account with the same email only once the account holder has
# shown the address is theirs by opening a signed link sent to it: registering with an
# address proves nothing, and would otherwise show a stranger's orders (and addresses).

CLAIM_SALT = "support.claim-guest-orders"
CLAIM_MAX_AGE_DAYS = 7


class ClaimRefused(SupportError):
    pass


def unclaimed_guest_orders(email):
    if not email:
        return Order.objects.none()
    return Order.objects.filter(user__isnull=True, guest_email__iexact=email.strip())


def claim_link(user):
    token = signing.dumps({"user": user.pk, "email": user.email.strip().lower()}, salt=CLAIM_SALT)
    path = reverse("support:claim-orders", kwargs={"token": token})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def send_claim_link(*, user):
    """Email ``user`` a link that adds the guest orders placed with their email to their
    account; nothing is sent when there are none. Returns how many there are."""
    count = unclaimed_guest_orders(user.email).count()
    if count:
        emails.send_message(
            "claim_orders",
            to=user.email,
            context={
                "count": count,
                "email": user.email,
                "link": claim_link(user),
                "max_age_days": CLAIM_MAX_AGE_DAYS,
            },
        )
    return count


def claim_guest_orders(*, user, token):
    """Attach the guest orders placed with the email the signed ``token`` was sent to,
    when ``user`` is the account it was sent for and still has that email. Following the
    link again attaches nothing more. Returns the orders attached."""
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_MAX_AGE_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise ClaimRefused("This link has expired; ask for a new one from your order list.")
    except signing.BadSignature:
        raise ClaimRefused("This link is not valid; ask for a new one from your order list.")
    if data.get("user") != user.pk or data.get("email") != user.email.strip().lower():
        security_log.warning("Denied: %s opened another account's order link", user)
        raise ClaimRefused("This link was sent for another account or email address.")
    with transaction.atomic():
        orders = list(unclaimed_guest_orders(data["email"]).select_for_update())
        for order in orders:
            order.user = user
            order.save(update_fields=["user"])
            _audit(order, user, "guest_order_claimed", f"Guest order added to account {user.email}")
    return orders
