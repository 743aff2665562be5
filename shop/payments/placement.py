"""Writing the order the Oscar way once Stripe says the payment succeeded: payment source,
"Paid" event, order, basket submitted, confirmation email and ``post_checkout`` after
commit. No Stripe call is made here."""

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.models import Site
from django.db import transaction
from django.urls import reverse
from oscar.apps.checkout.signals import post_checkout
from oscar.core.loading import get_class, get_model

from outbox.services import connection_for, queued_apart

from .models import PaymentIntent

logger = logging.getLogger(__name__)

CommunicationEventType = get_model("communication", "CommunicationEventType")
OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

SOURCE_TYPE_NAME = "Stripe"
PAID_EVENT_NAME = "Paid"


class OrderPlacer(OrderPlacementMixin):
    """Oscar's order-writing half of checkout (addresses, order, payment sources and
    events, confirmation email), usable without a request so the webhook can place orders.
    """

    def __init__(self, request=None):
        self.request = request

    def send_order_placed_email(self, order):
        # Apart: an email that cannot be written must not undo a paid order.
        with queued_apart(order, "confirmation", logger):
            # Oscar records the email in the order's history only if its type exists.
            CommunicationEventType.objects.get_or_create(
                code=OrderDispatcher.ORDER_PLACED_EVENT_CODE,
                defaults={"name": "Order placed"},
            )
            dispatcher = OrderDispatcher(logger=logger, mail_connection=connection_for(order))
            dispatcher.send_order_placed_email_for_user(order, self.get_message_context(order))

    def get_message_context(self, order):
        if order.user_id:
            path = reverse("customer:order", kwargs={"order_number": order.number})
        else:
            path = reverse(
                "customer:anon-order",
                kwargs={"order_number": order.number, "hash": order.verification_hash()},
            )
        # The Site's domain is Django's placeholder (example.com); SITE_URL is the store's
        # canonical address, as in every other email.
        return {
            "user": order.user,
            "order": order,
            "lines": order.lines.all(),
            "site": Site.objects.get_current(),
            "site_url": settings.SITE_URL,
            "status_path": path,
            "status_url": f"{settings.SITE_URL.rstrip('/')}{path}",
        }


def place_order_safely(payment, submission, *, request):
    """Place the order now; if that fails unexpectedly, leave the paid row for the webhook
    or the browser's return to complete, rather than losing the record of the charge."""
    try:
        with transaction.atomic():
            place_order(payment, submission, request=request)
    except Exception:  # noqa: BLE001 - the charge is recorded; completion retries later
        logger.exception("Order %s: paid but not placed yet", payment.order_number)
        payment.refresh_from_db()


def submission_arguments(submission):
    """Oscar's ``place_order`` arguments that come from the priced submission."""
    return {
        "user": submission.user,
        "basket": submission.basket,
        "shipping_address": submission.shipping_address,
        "shipping_method": submission.shipping_method,
        "shipping_charge": submission.shipping_charge,
        "order_total": submission.total,
        "surcharges": submission.surcharges,
    }


def place_order(payment, submission, *, request):
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
        billing_address=None,
        request=request,
        **submission_arguments(submission),
        **order_kwargs,
    )
    submission.basket.submit()
    payment.order = order
    payment.status = PaymentIntent.Status.SUCCEEDED
    payment.failure_message = ""
    payment.save()
    # Queued in the outbox in this transaction; the worker delivers it after commit.
    placer.send_order_placed_email(order)
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
