"""Emails to the customer at each step of a return or refund, and when an order is dispatched.

Each email is rendered from templates/support/emails/<step>_subject.txt and _body.txt,
sent with an HTML version of the same text in the store's email layout (Oscar's, as the
order confirmation), and recorded as an Oscar ``CommunicationEvent`` on the order, which is
how the order page lists "emails sent".
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from oscar.core.loading import get_model

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
    """Send now; services call this after their transaction has committed."""
    event_type, _ = CommunicationEventType.objects.get_or_create(
        code=step.upper(),
        defaults={"name": STEPS[step], "category": CommunicationEventType.ORDER_RELATED},
    )
    CommunicationEvent.objects.create(order=order, event_type=event_type)
    context = {
        "order": order,
        "site_url": settings.SITE_URL,
        "shop_name": settings.OSCAR_SHOP_NAME,
        "guarantee_days": settings.MONEY_BACK_GUARANTEE_DAYS,
        "return_address": settings.SUPPORT_RETURN_ADDRESS,
        **context,
    }
    subject = render_to_string(f"support/emails/{step}_subject.txt", context).strip()
    body = render_to_string(f"support/emails/{step}_body.txt", context)
    # As plain (not "safe") text, so the HTML version escapes what customers and staff wrote.
    plain = "".join(body)
    html = render_to_string("support/emails/body.html", {**context, "text": plain})
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()
