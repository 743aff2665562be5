"""Models of the store app live in their concern's module (payments/); Django finds them here."""

from shop.payments.models import (
    PaymentIntent,
    ReconciliationEntry,
    StripeCustomer,
    WebhookEvent,
)

__all__ = ["PaymentIntent", "ReconciliationEntry", "StripeCustomer", "WebhookEvent"]
