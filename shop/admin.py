"""Read-only admin for the payment records: what Stripe said, what the webhooks did and
what ``reconcile_payments`` found. Nothing here changes money; refunds and fixes go through
the dashboard and the command, which talk to Stripe and record what they did."""

from django.contrib import admin

from shop.payments.models import PaymentIntent, ReconciliationEntry, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReconciliationEntry)
class ReconciliationEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "problem", "action", "payment_intent_id", "order"]
    list_filter = ["problem", "action"]
    search_fields = ["payment_intent_id", "order__number", "detail"]
    date_hierarchy = "created_at"
    list_select_related = ["order"]


@admin.register(PaymentIntent)
class PaymentIntentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "stripe_id", "order_number", "status", "amount", "currency"]
    list_filter = ["status"]
    search_fields = ["stripe_id", "order_number", "guest_email"]
    date_hierarchy = "created_at"
    # The address is the shopper's; staff see it on the order page.
    exclude = ["shipping_address"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "type", "stripe_id", "state", "result", "processed_at"]
    list_filter = ["state", "type"]
    search_fields = ["stripe_id"]
