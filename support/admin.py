"""Read-mostly admin for support records; the dashboard is where staff act on them."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from oscar.core.loading import get_model

from support.models import AuditEntry, Refund, RefundLine, ReturnLine, ReturnRequest

Order = get_model("order", "Order")
# The order, what was bought and what has happened to it: changed by the workflow only.
WORKFLOW_MODELS = [
    "Order",
    "Line",
    "LinePrice",
    "LineAttribute",
    "OrderDiscount",
    "Surcharge",
    "OrderStatusChange",
    "ShippingEvent",
    "PaymentEvent",
    "CommunicationEvent",
]


class ReturnLineInline(admin.TabularInline):
    model = ReturnLine
    extra = 0
    raw_id_fields = ["order_line"]
    readonly_fields = ["order_line", "quantity", "is_active"]
    can_delete = False


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "order", "email", "status", "reason", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["number", "order__number", "email"]
    raw_id_fields = ["order", "user"]
    # Status moves only through the dashboard's actions, which refund, email and audit.
    readonly_fields = ["number", "order", "user", "email", "status", "created_at", "updated_at"]
    inlines = [ReturnLineInline]


class RefundLineInline(admin.TabularInline):
    model = RefundLine
    extra = 0
    readonly_fields = ["order_line", "amount"]
    can_delete = False


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["stripe_refund_id", "order", "amount", "currency", "origin", "created_by"]
    list_filter = ["origin"]
    search_fields = ["stripe_refund_id", "order__number", "payment_intent_id"]
    inlines = [RefundLineInline]

    def has_add_permission(self, request):
        return False  # refunds go through Stripe from the dashboard

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "order", "actor", "action", "message"]
    list_filter = ["action"]
    search_fields = ["order__number", "message"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SuperuserOnlyMixin:
    """Users and groups in the Django admin are for superusers only (support/PERMISSIONS.md).

    Support holds ``auth.view_user`` for the dashboard's customer pages; without this the
    Django admin would also show them every account's superuser flag, groups and password
    hash summary.
    """

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


WORKFLOW_ONLY = (
    "Orders change only through the dashboard's workflow (dispatch, delivery, returns, "
    "refunds), which records the shipping event, emails the customer and keeps the audit "
    "trail; here they are read-only. Open the order in the dashboard: {url}"
)


class WorkflowOnlyMixin:
    """Oscar's order records, read-only in the Django admin for everyone but superusers.

    Oscar registers them editable: with ``change_order`` (which Support holds for the
    dashboard's notes and status changes) a status, date or email could be set here with
    no shipping event, email or audit entry, and the customer would read "Delivered" while
    the tracking disagreed. The change page says where the change belongs instead.
    """

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_change_permission(request):
            order = _order_of(self.get_object(request, unquote(object_id)))
            url = reverse("dashboard:order-list")
            if order is not None:
                url = reverse("dashboard:order-detail", kwargs={"number": order.number})
            messages.info(request, WORKFLOW_ONLY.format(url=url))
        return super().change_view(request, object_id, form_url, extra_context)


def _order_of(record):
    if record is None or isinstance(record, Order):
        return record
    return getattr(record, "order", None)


def _reregister(model, mixin, prefix):
    """Re-register ``model``'s admin with ``mixin``'s checks in front of its own."""
    registered = admin.site._registry.get(model)
    if registered is None:
        return
    admin.site.unregister(model)
    admin_class = type(f"{prefix}{type(registered).__name__}", (mixin, type(registered)), {})
    admin.site.register(model, admin_class)


_reregister(get_user_model(), SuperuserOnlyMixin, "SuperuserOnly")
_reregister(Group, SuperuserOnlyMixin, "SuperuserOnly")
for _name in WORKFLOW_MODELS:
    _reregister(get_model("order", _name), WorkflowOnlyMixin, "WorkflowOnly")
