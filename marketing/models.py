"""Tracking settings, newsletter subscribers and the record of reported purchases."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="view")
class TrackingSettings(BaseSiteSetting):
    """Ids of the ad and analytics tags (Settings > Tracking). Empty ids mean no tracking
    code at all on the site; set ids load their scripts only after the visitor consents
    (static/js/tracking.js)."""

    meta_pixel_id = models.CharField(
        "Meta Pixel id",
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9]{6,20}$", "A Meta Pixel id is a number, e.g. 1234567890.")
        ],
        help_text="From Meta Events Manager. Leave empty to switch the pixel off.",
    )
    ga4_measurement_id = models.CharField(
        "GA4 measurement id",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^G-[A-Z0-9]{4,16}$", "A GA4 id looks like G-ABC123DEF4.")],
        help_text="Optional. From Google Analytics > Admin > Data streams.",
    )

    panels = [
        HelpPanel(
            content=(
                "Visitors see a cookie banner once an id is set; nothing is loaded for a "
                "visitor who has not agreed."
            )
        ),
        FieldPanel("meta_pixel_id"),
        FieldPanel("ga4_measurement_id"),
    ]

    class Meta:
        verbose_name = "Tracking"

    @property
    def is_enabled(self):
        return bool(self.meta_pixel_id or self.ga4_measurement_id)


class Subscriber(models.Model):
    """One newsletter address. Signing up again with the same address, in any letter case,
    finds this row (the unique index is on the lower-cased address); the status moves
    pending -> confirmed (double opt-in) -> unsubscribed, and back to pending on a new
    sign-up."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    source = models.CharField(
        max_length=40,
        blank=True,
        help_text="Where the visitor gave consent: footer, article, guide or page.",
    )
    source_url = models.CharField("Signed up on", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="marketing_subscriber_email_ci_unique")
        ]

    def __str__(self):
        return self.email


class ReportedPurchase(models.Model):
    """An order whose Purchase event the thank-you page has already handed to the browser.

    The page may be reloaded or revisited; only its first rendering carries the event, so
    an order is counted once by the ad platforms. The browser keeps its own list too
    (localStorage), for a copy of the page served before this row existed."""

    order_number = models.CharField(max_length=128, unique=True)
    reported_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.order_number
