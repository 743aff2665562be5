"""Which queued emails belong to which order (the order page's email history).

The emails themselves are django-post-office's ``Email`` rows (status, attempts, logs)."""

from django.conf import settings
from django.db import models


class OrderEmail(models.Model):
    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="outbox_emails")
    email = models.OneToOneField(
        "post_office.Email", on_delete=models.CASCADE, related_name="order_link"
    )
    # Set on a copy queued by "Resend" on the order page.
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.order_id}: {self.email.subject}"
