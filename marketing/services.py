"""Newsletter write-side rules (double opt-in, unsubscribe) and the once-only Purchase report.

Links in emails are signed with ``django.core.signing`` (a salt per purpose), so they need
no token table: a changed character fails the signature, and a confirmation link expires
after ``NEWSLETTER_CONFIRM_MAX_AGE`` seconds. Unsubscribe links never expire: an old email
must still let its reader leave.
"""

import logging
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import selectors
from .models import ReportedPurchase, Subscriber

logger = logging.getLogger(__name__)

CONFIRM_SALT = "marketing.newsletter.confirm"
UNSUBSCRIBE_SALT = "marketing.newsletter.unsubscribe"
DEFAULT_CONFIRM_MAX_AGE = 60 * 60 * 24 * 7
# A second sign-up within this time sends no second email, so a form cannot be used to
# flood someone's inbox.
RESEND_AFTER = timedelta(minutes=10)


class InvalidLink(Exception):
    """The link was altered, or names a subscriber that no longer exists."""


class ExpiredLink(InvalidLink):
    """The link is genuine but older than it may be."""


def _base_url(base_url):
    return base_url or settings.SITE_URL


def confirm_max_age():
    return getattr(settings, "NEWSLETTER_CONFIRM_MAX_AGE", DEFAULT_CONFIRM_MAX_AGE)


def _token(subscriber, salt):
    return signing.dumps({"id": subscriber.pk, "email": subscriber.email.lower()}, salt=salt)


def _subscriber_from_token(token, *, salt, max_age=None):
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise ExpiredLink("This link has expired.")
    except signing.BadSignature:
        raise InvalidLink("This link is not valid.")
    subscriber = Subscriber.objects.filter(
        pk=data.get("id"), email__iexact=data.get("email", "")
    ).first()
    if subscriber is None:
        raise InvalidLink("This link is not valid.")
    return subscriber


def confirm_url(subscriber, *, base_url=None):
    path = reverse("marketing:newsletter-confirm", args=[_token(subscriber, CONFIRM_SALT)])
    return urljoin(_base_url(base_url), path)


def unsubscribe_url(subscriber, *, base_url=None):
    path = reverse("marketing:newsletter-unsubscribe", args=[_token(subscriber, UNSUBSCRIBE_SALT)])
    return urljoin(_base_url(base_url), path)


def send_marketing_email(
    *, subscriber, subject, template_name, context=None, base_url=None, require_confirmed=True
):
    """The one way to email a subscriber: every message gets the unsubscribe link in its
    text and in the List-Unsubscribe headers (one-click, RFC 8058).

    ``template_name`` is a plain-text template; it receives ``unsubscribe_url``.
    """
    if require_confirmed and subscriber.status != Subscriber.Status.CONFIRMED:
        return False
    leave = unsubscribe_url(subscriber, base_url=base_url)
    body = render_to_string(
        template_name,
        {
            **(context or {}),
            "subscriber": subscriber,
            "unsubscribe_url": leave,
            "shop_name": settings.OSCAR_SHOP_NAME,
        },
    )
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return True


def send_confirmation_email(subscriber, *, base_url=None):
    return send_marketing_email(
        subscriber=subscriber,
        subject=f"Please confirm your {settings.OSCAR_SHOP_NAME} newsletter sign-up",
        template_name="marketing/emails/confirm_subscription.txt",
        context={
            "confirm_url": confirm_url(subscriber, base_url=base_url),
            "confirm_days": confirm_max_age() // (60 * 60 * 24),
        },
        base_url=base_url,
        require_confirmed=False,
    )


def _find_or_create(email, defaults):
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is not None:
        return subscriber
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=email, **defaults)
    except IntegrityError:
        # The same address signed up at the same moment in another request.
        return Subscriber.objects.select_for_update().get(email__iexact=email)


def subscribe(*, email, source="", source_url="", base_url=None):
    """Sign ``email`` up and send the confirmation email, unless it is already confirmed or
    one was sent moments ago. Returns the subscriber. The caller tells the visitor the same
    thing in every case ("check your inbox"), so the form reveals nobody's subscription."""
    email = email.strip()
    now = timezone.now()
    with transaction.atomic():
        subscriber = _find_or_create(email, {"source": source[:40], "source_url": source_url[:300]})
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return subscriber
        recently_sent = (
            subscriber.status == Subscriber.Status.PENDING
            and subscriber.confirmation_sent_at is not None
            and now - subscriber.confirmation_sent_at < RESEND_AFTER
        )
        if recently_sent:
            return subscriber
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            # Coming back is a new consent, given where they sign up now.
            subscriber.source = source[:40]
            subscriber.source_url = source_url[:300]
        subscriber.status = Subscriber.Status.PENDING
        subscriber.confirmation_sent_at = now
        subscriber.save()
        # Queued in the outbox with the sign-up, so neither exists without the other.
        send_confirmation_email(subscriber, base_url=base_url)
    return subscriber


def check_confirm_token(token):
    """The subscriber a confirmation link is for; raises InvalidLink / ExpiredLink."""
    return _subscriber_from_token(token, salt=CONFIRM_SALT, max_age=confirm_max_age())


def check_unsubscribe_token(token):
    return _subscriber_from_token(token, salt=UNSUBSCRIBE_SALT)


def confirm(*, token):
    """Confirm the subscription the link is for. Idempotent."""
    subscriber = check_confirm_token(token)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "updated_at"])
        logger.info("newsletter: subscriber %s confirmed", subscriber.pk)
    return subscriber


def unsubscribe(*, token):
    """Unsubscribe whoever the link is for. Idempotent."""
    subscriber = check_unsubscribe_token(token)
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
        logger.info("newsletter: subscriber %s unsubscribed", subscriber.pk)
    return subscriber


def claim_purchase_report(order_number):
    """True the first time it is called for an order, False ever after: the thank-you page
    carries the Purchase event only on its first showing."""
    try:
        with transaction.atomic():
            _, created = ReportedPurchase.objects.get_or_create(order_number=str(order_number))
    except IntegrityError:
        return False
    return created


def claim_purchase_report_for(request, order):
    """Whether the page showing ``order`` should carry its Purchase event: only where
    tracking is on, and then only the first time (it claims the report). Called by the view
    (``marketing.middleware``), never while the page renders: rendering writes nothing."""
    if order is None or not selectors.tracking_settings_for(request).is_enabled:
        return False
    return claim_purchase_report(order.number)
