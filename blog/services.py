"""Write-side rules for reader comments and download leads. Views and admin actions call these."""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from staff.editorial_groups import MODERATORS

from .models import ArticleComment, Lead

logger = logging.getLogger(__name__)

DOWNLOAD_SALT = "blog.download"


class CommentsClosed(Exception):
    pass


class RateLimited(Exception):
    """Too many accepted posts: ``shared`` when it is the whole address's allowance (many
    people behind one connection), not this person's own."""

    def __init__(self, shared=False):
        super().__init__("rate limited")
        self.shared = shared


def _rate_limit_settings():
    return getattr(settings, "BLOG_COMMENT_RATE_LIMIT", (5, 600))  # (posts, seconds)


def _rate_keys(scope, ip_address, identity):
    """(cache key, limit) pairs: one per person (address and email) and a looser one per
    address, so one visitor cannot flood with made-up emails and a shared address (an
    office, a school) does not stop everyone behind it after one person's posts."""
    limit, _window = _rate_limit_settings()
    address = ip_address or "unknown"
    person = f"{address}|{(identity or '').strip().casefold()}"

    def key(kind, value):
        digest = hashlib.sha256(value.encode()).hexdigest()[:32]
        return f"blog:rate:{scope}:{kind}:{digest}"

    return [
        (key("person", person), limit),
        (key("address", address), limit * getattr(settings, "BLOG_RATE_LIMIT_ADDRESS_FACTOR", 5)),
    ]


def check_rate_limit(*, scope, ip_address, identity=""):
    """Raise RateLimited when this client has used its allowance of accepted posts.

    Only accepted posts count (``record_accepted_post``): a form refused for a missing field
    or by this very limit costs nothing. The window is a fixed bucket in the shared cache:
    good enough to stop a flood, and it costs no database writes.
    """
    keys = _rate_keys(scope, ip_address, identity)
    counts = cache.get_many([key for key, _limit in keys])
    person_key, person_limit = keys[0]
    if counts.get(person_key, 0) >= person_limit:
        raise RateLimited(shared=False)
    address_key, address_limit = keys[1]
    if counts.get(address_key, 0) >= address_limit:
        raise RateLimited(shared=True)


def record_accepted_post(*, scope, ip_address, identity=""):
    _limit, window = _rate_limit_settings()
    for key, _key_limit in _rate_keys(scope, ip_address, identity):
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, window)


def moderator_emails():
    group = Group.objects.filter(name=MODERATORS).first()
    emails = []
    if group is not None:
        emails = list(
            group.user_set.filter(is_active=True).exclude(email="").values_list("email", flat=True)
        )
    return emails or [settings.STAFF_NOTIFY_EMAIL]


def post_comment(*, page, name, email, text, parent=None, ip_address=None):
    """Store a reader's comment as pending and tell the moderators.

    A reply to a reply is attached to the top-level comment: threads are one level deep.
    """
    if not page.comments_accepted:
        raise CommentsClosed
    if parent is not None:
        if parent.page_id != page.pk or parent.status != ArticleComment.Status.APPROVED:
            parent = None
        elif parent.parent_id is not None:
            parent = parent.parent
    with transaction.atomic():
        comment = ArticleComment.objects.create(
            page=page,
            parent=parent,
            name=name,
            email=email,
            text=text,
            ip_address=ip_address,
        )
        # Queued in the outbox with the comment; the outbox worker sends it.
        notify_moderators(comment)
    return comment


def notify_moderators(comment):
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailsnippets_blog_articlecomment:list"
    )
    body = render_to_string(
        "blog/emails/new_comment.txt", {"comment": comment, "admin_url": admin_url}
    )
    send_mail(
        f"New comment awaiting moderation on {comment.page.title}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        moderator_emails(),
        fail_silently=True,
    )


def moderate_comments(comments, status):
    """Set the status of the given comments (one or many). One UPDATE, then one save
    signal so the page cache is invalidated and the change shows on the article."""
    ids = [comment.pk for comment in comments]
    now = timezone.now()
    updated = ArticleComment.objects.filter(pk__in=ids).update(status=status, moderated_at=now)
    first = ArticleComment.objects.filter(pk__in=ids).first()
    if first is not None:
        # A bulk UPDATE sends no signal; saving one row lets the page cache see the change.
        first.save(update_fields=["status", "moderated_at"])
    return updated


@transaction.atomic
def capture_lead(*, email, page, document, marketing_consent):
    """Record (or refresh) the lead for this email; one row per address."""
    email = email.strip().lower()
    now = timezone.now()
    lead, created = Lead.objects.select_for_update().get_or_create(
        email=email,
        defaults={
            "page": page,
            "document": document,
            "marketing_consent": marketing_consent,
            "created_at": now,
            "updated_at": now,
        },
    )
    if not created:
        lead.page = page
        lead.document = document
        # Consent given once stays until the person withdraws it; an unticked box on a
        # second request is not a withdrawal.
        lead.marketing_consent = lead.marketing_consent or marketing_consent
        lead.updated_at = now
        lead.requests += 1
        lead.save()
    return lead


def download_max_age():
    return getattr(settings, "BLOG_DOWNLOAD_LINK_MAX_AGE", 7 * 24 * 3600)


def make_download_token(lead, document):
    return signing.TimestampSigner(salt=DOWNLOAD_SALT).sign_object(
        {"l": lead.pk, "d": document.pk}, compress=True
    )


def read_download_token(token):
    """Return (lead_id, document_id). Raises signing.SignatureExpired when too old and
    signing.BadSignature when altered."""
    data = signing.TimestampSigner(salt=DOWNLOAD_SALT).unsign_object(
        token, max_age=download_max_age()
    )
    if not isinstance(data, dict) or not {"l", "d"} <= data.keys():
        raise signing.BadSignature("Unexpected payload")
    return data["l"], data["d"]


def send_download_email(lead, document, download_url):
    body = render_to_string(
        "blog/emails/download.txt",
        {
            "lead": lead,
            "document": document,
            "download_url": download_url,
            "days": max(1, download_max_age() // 86400),
        },
    )
    send_mail(
        f"Your download: {document.title}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [lead.email],
        fail_silently=True,
    )
