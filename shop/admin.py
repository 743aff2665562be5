"""The store's Django-admin pages.

- Payment records (reconciliation entries, PaymentIntents, webhook events) are read-only:
  what Stripe said, what the webhooks did and what ``reconcile_payments`` found. Nothing here
  changes money; refunds and fixes go through the dashboard and the command, which talk to
  Stripe and record what they did.
- Oscar's pages for offer conditions and benefits refuse a row that has neither a known type
  nor a loadable proxy class. Oscar's admin saves such a row and then fails to name it
  (``str()`` raises "Unrecognised benefit type") while logging the addition: a 500, found by
  tests/config/test_sweep.py. The dashboard's own offer forms always set a type.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from oscar.apps.offer.utils import load_proxy
from oscar.core.loading import get_model

from shop.payments.models import PaymentIntent, ReconciliationEntry, WebhookEvent

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")


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


class OfferPartForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        model = self._meta.model
        proxy_class = data.get("proxy_class")
        if proxy_class:
            try:
                proxy = load_proxy(proxy_class)
            except (ImproperlyConfigured, ValueError):
                proxy = None
            if not (isinstance(proxy, type) and issubclass(proxy, model)):
                raise ValidationError({"proxy_class": f"Not a {model._meta.verbose_name} class."})
        elif data.get("type") not in model().proxy_map:
            raise ValidationError({"type": "Choose a type."})
        return data


def _checked(model):
    registered = admin.site._registry.get(model)
    if registered is None:
        return
    admin.site.unregister(model)
    form = type(
        f"{model.__name__}AdminForm",
        (OfferPartForm,),
        {"Meta": type("Meta", (), {"model": model, "fields": "__all__"})},
    )
    admin.site.register(model, type(type(registered).__name__, (type(registered),), {"form": form}))


_checked(Benefit)
_checked(Condition)
