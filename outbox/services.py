"""The outbox: queue an email (in the caller's transaction), deliver what is due with
retries and exponential backoff, resend from the order page.

django-post-office owns the queue (``Email``, its ``Log`` of attempts, its admin) and the
delivery (``post_office.mail.send_queued``); this module adds what the store needs around
it: no template rendering of the text we store, a link from each email to its order, and
backoff that grows with each failed attempt.
"""

import logging
from collections import OrderedDict
from contextlib import contextmanager
from datetime import timedelta
from email.mime.base import MIMEBase
from email.utils import make_msgid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import get_connection
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.utils import timezone
from post_office import mail
from post_office.models import PRIORITY, STATUS, Email
from post_office.utils import create_attachments

from outbox.models import OrderEmail

logger = logging.getLogger(__name__)

STATUS_LABELS = {
    STATUS.sent: "sent",
    STATUS.failed: "failed",
    STATUS.queued: "waiting",
    STATUS.requeued: "retrying",
}


def connection_for(order):
    """An email connection whose messages are recorded in the order's email history."""
    return get_connection(order=order)


@contextmanager
def queued_apart(order, what, log=logger):
    """Queue an email in a savepoint of the caller's transaction: an email that cannot be
    written (a template error, a missing row) is logged on ``log`` (the caller's logger) as
    "Order N: <what> email not queued" and must not undo the change it reports (a paid
    order, a refund Stripe has made). Support can resend it from the order page."""
    try:
        with transaction.atomic():
            yield
    except Exception:  # noqa: BLE001 - logged; the change itself stands
        log.exception("Order %s: %s email not queued", order.number, what)


def _queued_email(**fields):
    """A new queued ``Email`` with its own Message-ID."""
    return Email.objects.create(
        message_id=make_msgid(domain=DNS_NAME),
        priority=PRIORITY.medium,
        status=STATUS.queued,
        **fields,
    )


def queue(message, *, order=None):
    """Store one ``EmailMessage`` as a queued ``Email`` (and link it to ``order``).

    post_office's own backend renders subject and body as Django templates; ours are
    already rendered and may hold what customers typed ("{{", "{%"), so they are stored as
    they are.
    """
    html = ""
    body = message.body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    if getattr(message, "content_subtype", "plain") == "html":
        html, body = body, ""
    headers = dict(message.extra_headers)
    if message.reply_to:
        headers.setdefault("Reply-To", ", ".join(str(v) for v in message.reply_to))
    with transaction.atomic():
        email = _queued_email(
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            to=list(message.to),
            cc=list(message.cc),
            bcc=list(message.bcc),
            subject=message.subject,
            message=body,
            html_message=html,
            headers=headers or None,
        )
        files = _attachments(message)
        if files:
            email.attachments.add(*create_attachments(files))
        if order is not None:
            OrderEmail.objects.create(order=order, email=email)
    return email


def _attachments(message):
    files = {}
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            files[attachment.get_filename()] = {
                "file": ContentFile(attachment.get_payload()),
                "mimetype": attachment.get_content_type(),
                "headers": OrderedDict(attachment.items()),
            }
        else:
            name, content, mimetype = attachment
            files[name] = {"file": ContentFile(content), "mimetype": mimetype}
    return files


def deliver_due():
    """Send every email that is due; failures are retried later, each wait twice the last.

    Returns (sent, failed for good, to be retried)."""
    started = timezone.now()
    sent, failed, requeued = mail.send_queued(processes=1, log_level=2)
    if requeued:
        _back_off(started)
    return sent, failed, requeued


def retry_delay(attempts):
    """Wait after the given number of failed attempts: base, 2x base, 4x base, ... capped."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _back_off(since):
    now = timezone.now()
    retrying = Email.objects.filter(status=STATUS.requeued, last_updated__gte=since)
    for email in retrying.only("id", "number_of_retries"):
        Email.objects.filter(pk=email.pk).update(
            scheduled_time=now + retry_delay(email.number_of_retries or 1)
        )


def order_emails(order):
    """The order's emails, newest first, with their delivery attempts."""
    return (
        OrderEmail.objects.filter(order=order)
        .select_related("email", "resent_by")
        .prefetch_related("email__logs")
    )


def status_label(email):
    return STATUS_LABELS.get(email.status, "waiting")


@transaction.atomic
def resend(order_email, *, by):
    """Queue a fresh copy of one of the order's emails (the original keeps its history)."""
    original = order_email.email
    copied = ("from_email", "to", "cc", "bcc", "subject", "message", "html_message", "headers")
    copy = _queued_email(**{name: getattr(original, name) for name in copied})
    copy.attachments.add(*original.attachments.all())
    link = OrderEmail.objects.create(order=order_email.order, email=copy, resent_by=by)
    logger.info("Email %s of order %s resent by %s", original.pk, link.order_id, by)
    return link
