"""What the store remembers about Stripe: one row per PaymentIntent, one per webhook event.

A ``PaymentIntent`` row is written *before* Stripe is asked to charge, and keeps everything
needed to place the order without the shopper's session (basket, addresses, shipping
method, email), because the webhook may be the only thing that ever comes back. Its
one-to-one link to the order is what makes "exactly one order per payment" a database rule,
not a convention: the browser's return and the webhook both lock the row and the second one
finds the order already there.

Money itself is recorded the Oscar way once the order exists (payment ``Source`` of type
"Stripe" and a ``PaymentEvent``); these rows are the bookkeeping around the provider.
"""

from django.conf import settings
from django.db import models


class PaymentIntent(models.Model):
    class Status(models.TextChoices):
        CREATED = "created", "Created"
        REQUIRES_ACTION = "requires_action", "Waiting for 3-D Secure"
        SUCCEEDED = "succeeded", "Paid, order placed"
        FAILED = "failed", "Failed"
        # Paid but cannot become an order; the refund is made after the row locks are gone.
        REFUND_DUE = "refund_due", "Refund due"
        REFUNDED = "refunded", "Refunded"
        # Stripe did not answer the charge in time: the webhook or reconciliation settles it.
        UNKNOWN = "unknown", "Stripe did not answer"

    stripe_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    basket = models.ForeignKey(
        "basket.Basket", null=True, on_delete=models.SET_NULL, related_name="stripe_payments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    guest_email = models.EmailField(blank=True)
    order_number = models.CharField(max_length=128)
    order = models.OneToOneField(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stripe_payment",
    )
    amount = models.PositiveIntegerField(help_text="In the currency's minor unit (cents).")
    currency = models.CharField(max_length=3)
    basket_version = models.CharField(
        max_length=64, help_text="Fingerprint of the basket's lines and prices when charged."
    )
    shipping_address = models.JSONField()
    shipping_method_code = models.CharField(max_length=128)
    card_label = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.CREATED)
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.stripe_id or 'pending'} for order {self.order_number} ({self.status})"


class WebhookEvent(models.Model):
    """A Stripe event, stored when received and marked processed in the same transaction as
    its effect: redelivery of a processed event is a no-op, of a received one finishes it."""

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=128)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    result = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.stripe_id}"


class StripeCustomer(models.Model):
    """A signed-in shopper's customer at Stripe, made at their first card payment and used
    for every later one, so Stripe's dashboard shows one customer with all their payments
    (guests get a customer per payment: nothing ties two guest checkouts together)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_customer"
    )
    stripe_id = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} → {self.stripe_id}"


class ReconciliationEntry(models.Model):
    """What ``manage.py reconcile_payments`` found where Stripe and the orders disagree, and
    what it did about it (with ``--fix``)."""

    class Problem(models.TextChoices):
        PAID_WITHOUT_ORDER = "paid_without_order", "Paid at Stripe, no order"
        CAPTURED_DIFFERS = "captured_differs", "Captured amount differs"
        REFUNDED_DIFFERS = "refunded_differs", "Refunded amount differs"
        MISSING_AT_STRIPE = "missing_at_stripe", "Order's payment not found at Stripe"
        NEVER_CHARGED = "never_charged", "Stripe did not answer; nothing was charged"

    class Action(models.TextChoices):
        REPORTED = "reported", "Reported"
        ORDER_PLACED = "order_placed", "Order placed"
        REFUNDED = "refunded", "Refunded in full"
        MARKED_FAILED = "marked_failed", "Marked failed"
        FIX_FAILED = "fix_failed", "Fix failed"

    payment_intent_id = models.CharField(max_length=255, blank=True)
    order = models.ForeignKey(
        "order.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    problem = models.CharField(max_length=32, choices=Problem.choices)
    action = models.CharField(max_length=32, choices=Action.choices, default=Action.REPORTED)
    stripe_amount = models.IntegerField(null=True, blank=True, help_text="Cents, per Stripe.")
    store_amount = models.IntegerField(null=True, blank=True, help_text="Cents, per the store.")
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "reconciliation entries"

    def __str__(self):
        return f"{self.get_problem_display()}: {self.payment_intent_id} ({self.action})"
