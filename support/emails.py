"""Emails to the customer at each step of a return or refund, and when an order is dispatched.

Each email is rendered from templates/support/emails/<step>_subject.txt and _body.txt,
queued in the outbox (``outbox/``, in the caller's transaction) with an HTML version of the
same text in the store's email layout (Oscar's, as the order confirmation), linked to the
order for the order page's email history, and recorded as an Oscar ``CommunicationEvent``.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from oscar.core.loading import get_model

from outbox.services import connection_for, queued_apart

logger = logging.getLogger(__name__)

CommunicationEvent = get_model("order", "CommunicationEvent")
CommunicationEventType = get_model("communication", "CommunicationEventType")

STEPS = {
    "return_requested": "Return requested",
    "return_approved": "Return approved",
    "return_rejected": "Return declined",
    "return_received": "Return received",
    "refund_issued": "Refund issued",
    "order_dispatched": "Order dispatched",
}


def send(step, *, order, to, context):
    """Queue the email; services call this inside the transaction that made the change.

    Apart (``outbox.services.queued_apart``): an email that cannot be written (a template
    error) is logged and must not undo a refund Stripe has already made."""
    with queued_apart(order, step, logger):
        _send(step, order=order, to=to, context=context)


def _send(step, *, order, to, context):
    event_type, _ = CommunicationEventType.objects.get_or_create(
        code=step.upper(),
        defaults={"name": STEPS[step], "category": CommunicationEventType.ORDER_RELATED},
    )
    CommunicationEvent.objects.create(order=order, event_type=event_type)
    context = {
        "order": order,
        "guarantee_days": settings.MONEY_BACK_GUARANTEE_DAYS,
        "return_address": settings.SUPPORT_RETURN_ADDRESS,
        **context,
    }
    send_message(step, to=to, context=context, connection=connection_for(order))


def send_message(template, *, to, context, connection=None):
    """Render templates/support/emails/<template>_subject.txt and _body.txt, with an HTML
    version of the same text, and send it (the outbox queues it)."""
    context = {"site_url": settings.SITE_URL, "shop_name": settings.OSCAR_SHOP_NAME, **context}
    subject = render_to_string(f"support/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"support/emails/{template}_body.txt", context)
    # As plain (not "safe") text, so the HTML version escapes what customers and staff wrote.
    plain = "".join(body)
    html = render_to_string("support/emails/body.html", {**context, "text": plain})
    message = EmailMultiAlternatives(
        subject, body, settings.DEFAULT_FROM_EMAIL, [to], connection=connection
    )
    message.attach_alternative(html, "text/html")
    message.send()
