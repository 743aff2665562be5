"""Stripe webhooks, crash-safe.

Each event is stored as *received* (committed at once), then applied; it becomes
*processed* in the same transaction as its effect (the order placement, the refund record).
So a worker killed at any point leaves either nothing, or a received event whose effect
did not commit: the next delivery of that event does the work. A processed event is
answered "duplicate". The effect itself re-reads the PaymentIntent from Stripe, so events
may arrive in any order, and before or after the shopper's browser.
"""

import logging

from django.db import transaction
from django.utils import timezone

from . import stripe_gateway as gateway
from .intents import complete_payment
from .models import WebhookEvent
from .signals import stripe_refund_reported

logger = logging.getLogger(__name__)

HANDLED_EVENT_TYPES = frozenset(
    {"payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"}
)


def handle_webhook(*, payload, signature):
    """Verify and apply one Stripe event; returns what was done, for the response body.

    Raises ``stripe_gateway.InvalidWebhook`` for a bad signature or body (answer 400). Any
    other exception leaves the event received but unprocessed (answer 500: Stripe retries).
    """
    event = gateway.parse_webhook(payload=payload, signature=signature)
    if event.type not in HANDLED_EVENT_TYPES:
        return "ignored"
    row, _ = WebhookEvent.objects.get_or_create(stripe_id=event.id, defaults={"type": event.type})
    if row.state == WebhookEvent.State.PROCESSED:
        return "duplicate"
    if event.type == "charge.refunded":
        with transaction.atomic():
            row = WebhookEvent.objects.select_for_update().get(pk=row.pk)
            if row.state == WebhookEvent.State.PROCESSED:
                return "duplicate"
            stripe_refund_reported.send(sender=WebhookEvent, charge=event.data)
            _mark_processed(row, "processed")
        return "processed"
    try:
        payment = complete_payment(
            payment_intent_id=event.object_id,
            on_settled=lambda: _mark_processed(row, "processed"),
        )
    except gateway.NotFound:
        payment = None
    if payment is None:
        _mark_processed(row, "unknown payment")
        return "unknown payment"
    return "processed"


def _mark_processed(row, result):
    WebhookEvent.objects.filter(pk=row.pk).update(
        state=WebhookEvent.State.PROCESSED, result=result, processed_at=timezone.now()
    )
