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
        REFUNDED = "refunded", "Refunded"

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
    """A Stripe event already handled; its unique id makes redelivery a no-op."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=128)
    received_at = models.DateTimeField(auto_now_add=True)

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
