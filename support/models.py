"""Return requests (RMAs), refunds and the audit trail of who did what to an order.

Money is recorded the Oscar way: a refund is a ``PaymentEvent`` of type "Refund" on the
order and a refund ``Transaction`` on its payment ``Source``. ``Refund`` here is the
bookkeeping around it that Oscar has no place for: the staff member, the idempotency key
that makes a double click refund once, and the Stripe refund id that makes the
``charge.refunded`` webhook a no-op for refunds we made ourselves.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from support import carriers


class ReturnRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        RECEIVED = "received", "Received"
        REFUNDED = "refunded", "Refunded"

    class Reason(models.TextChoices):
        NOT_HELPING = "not_helping", "It doesn't help with my pain"
        DISCOMFORT = "discomfort", "It is uncomfortable to use"
        DEFECTIVE = "defective", "It arrived damaged or doesn't work"
        WRONG_ITEM = "wrong_item", "I received the wrong item"
        NO_LONGER_NEEDED = "no_longer_needed", "I no longer need it"
        OTHER = "other", "Another reason"

    number = models.CharField(max_length=40, unique=True)
    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="return_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="return_requests",
        help_text="The customer's account; empty when a guest asked with order number and email.",
    )
    email = models.EmailField(help_text="Where the return's emails go.")
    reason = models.CharField(max_length=32, choices=Reason.choices)
    comments = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    staff_note = models.TextField(blank=True, help_text="Why it was rejected, for example.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"Return {self.number} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status in (self.Status.NEW, self.Status.APPROVED, self.Status.RECEIVED)

    def total(self):
        return sum((line.amount for line in self.lines.all()), start=0)


class ReturnLine(models.Model):
    """One order line in a return request; a line is in at most one live request."""

    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        "order.Line", on_delete=models.PROTECT, related_name="return_lines"
    )
    quantity = models.PositiveIntegerField()
    # False once the request is rejected, which frees the line for a new request. The partial
    # unique constraint below is what makes "a line cannot be returned twice" a database rule.
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_line"],
                condition=Q(is_active=True),
                name="support_one_live_return_per_line",
            )
        ]

    def __str__(self):
        return f"{self.quantity} × {self.order_line.title}"

    @property
    def amount(self):
        return self.order_line.line_price_incl_tax


class Refund(models.Model):
    class Origin(models.TextChoices):
        DASHBOARD = "dashboard", "Dashboard"
        STRIPE = "stripe", "Stripe dashboard (webhook)"

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="refunds")
    return_request = models.ForeignKey(
        ReturnRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    payment_intent_id = models.CharField(max_length=255)
    stripe_refund_id = models.CharField(max_length=255, unique=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    payment_event = models.OneToOneField(
        "order.PaymentEvent", on_delete=models.PROTECT, related_name="support_refund"
    )
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.DASHBOARD)
    reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member; empty for refunds made in Stripe's own dashboard.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Refund {self.stripe_refund_id} of {self.amount} {self.currency}"


class RefundLine(models.Model):
    """An order line refunded by line; unique, so a line is never refunded twice."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.OneToOneField(
        "order.Line", on_delete=models.PROTECT, related_name="support_refund_line"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    def __str__(self):
        return f"{self.order_line.title}: {self.amount}"


class AuditEntry(models.Model):
    """Who did what to an order, and when: the order page's timeline."""

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="audit_entries")
    return_request = models.ForeignKey(
        ReturnRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.message}"


class OrderSearchEntry(models.Model):
    """One row per order holding what the dashboard's email and name look-ups search, so
    each is one trigram-indexed column instead of a union over orders, accounts and
    addresses (support/order_search.py builds the rows; support/signals.py keeps them up
    to date; the trigram indexes are in migration 0004, PostgreSQL only).

    ``email``: the guest email and the account's email, lower-cased, one a line.
    ``name``: "\\n" + "first\\tlast" for the shipping address, the billing address and the
    account (each once), lower-cased, so "starts with" on either name is a plain LIKE.
    """

    order = models.OneToOneField(
        "order.Order",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="support_search_entry",
    )
    email = models.TextField(blank=True)
    name = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "order search entries"

    def __str__(self):
        return f"Search entry for order {self.order_id}"


class Shipment(models.Model):
    """Carrier and tracking number of a "Dispatched" shipping event (or the source of a
    "Delivered" one). Oscar's ``ShippingEvent`` holds the lines, quantities and date; this
    holds what Oscar has no field for, and who recorded it and how."""

    class Source(models.TextChoices):
        ORDER_PAGE = "order_page", "Order page"
        BULK = "bulk", "Order list (bulk)"
        CSV = "csv", "CSV upload"

    event = models.OneToOneField(
        "order.ShippingEvent", on_delete=models.CASCADE, related_name="support_shipment"
    )
    carrier = models.CharField(max_length=32, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True, db_index=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.ORDER_PAGE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.carrier} {self.tracking_number}".strip() or f"Shipment {self.pk}"

    @property
    def carrier_name(self):
        return carriers.name(self.carrier)

    @property
    def tracking_url(self):
        return carriers.tracking_url(self.carrier, self.tracking_number)
