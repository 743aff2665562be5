"""Read-mostly admin for support records; the dashboard is where staff act on them."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from support.models import AuditEntry, Refund, RefundLine, ReturnLine, ReturnRequest


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


def _superuser_only(model):
    """Re-register ``model``'s admin with the superuser-only checks."""
    registered = admin.site._registry.get(model)
    if registered is None:
        return
    admin.site.unregister(model)
    admin_class = type(
        f"SuperuserOnly{type(registered).__name__}", (SuperuserOnlyMixin, type(registered)), {}
    )
    admin.site.register(model, admin_class)


_superuser_only(get_user_model())
_superuser_only(Group)
