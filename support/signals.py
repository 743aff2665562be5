"""Keep the order search table (support/order_search.py) in step with what it copies: the
order's guest email and links, its shipping and billing addresses, and its customer's
account (email and name); record refunds Stripe reports (shop.payments.signals); and email
a new account the link that adds its guest orders to it.
Connected in SupportConfig.ready()."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from oscar.apps.customer.signals import user_registered
from oscar.core.loading import get_model

from shop.payments.signals import stripe_refund_reported
from support import order_search, services

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")

ORDER_FIELDS = {
    "guest_email",
    "user",
    "user_id",
    "shipping_address",
    "shipping_address_id",
    "billing_address",
    "billing_address_id",
}
ACCOUNT_FIELDS = {"email", "first_name", "last_name"}
# What each related model's orders are found by.
LINKS = {ShippingAddress: "shipping_address_id", BillingAddress: "billing_address_id"}


def _changes(update_fields, fields):
    return update_fields is None or bool(fields.intersection(update_fields))


def _orders_of(instance):
    field = LINKS.get(type(instance), "user_id")
    return Order.objects.filter(**{field: instance.pk})


@receiver(post_save, sender=Order, dispatch_uid="support_search_order")
def order_saved(sender, instance, update_fields=None, **kwargs):
    if _changes(update_fields, ORDER_FIELDS):
        order_search.refresh(Order.objects.filter(pk=instance.pk))


@receiver(post_save, sender=ShippingAddress, dispatch_uid="support_search_shipping")
@receiver(post_save, sender=BillingAddress, dispatch_uid="support_search_billing")
def address_saved(sender, instance, **kwargs):
    order_search.refresh(_orders_of(instance))


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="support_search_user")
def account_saved(sender, instance, created=False, update_fields=None, **kwargs):
    # Skips new accounts and sign-ins (update_fields=["last_login"]).
    if not created and _changes(update_fields, ACCOUNT_FIELDS):
        order_search.refresh(_orders_of(instance))


# Deleting an address or an account sets the orders' link to NULL without saving them:
# note the orders before, rebuild their rows after.
@receiver(pre_delete, sender=ShippingAddress, dispatch_uid="support_search_ship_pre")
@receiver(pre_delete, sender=BillingAddress, dispatch_uid="support_search_bill_pre")
@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="support_search_u_pre")
def linked_deleting(sender, instance, **kwargs):
    instance._support_search_orders = list(_orders_of(instance).values_list("pk", flat=True))


@receiver(post_delete, sender=ShippingAddress, dispatch_uid="support_search_ship_post")
@receiver(post_delete, sender=BillingAddress, dispatch_uid="support_search_bill_post")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="support_search_u_post")
def linked_deleted(sender, instance, **kwargs):
    if order_ids := getattr(instance, "_support_search_orders", None):
        order_search.refresh(Order.objects.filter(pk__in=order_ids))


# Refunds Stripe reports (e.g. made in Stripe's dashboard) are recorded on the order here:
# the store sends the signal and never imports support.
@receiver(stripe_refund_reported, dispatch_uid="support_record_stripe_refund")
def stripe_refund_reported_received(sender, charge, **kwargs):
    services.reconcile_stripe_refund(charge)


# A new account's email is not proven: send a link to it, which attaches the guest orders
# placed with it (services.claim_guest_orders) once opened.
@receiver(user_registered, dispatch_uid="support_claim_link_on_registration")
def user_registered_received(sender, user, **kwargs):
    services.send_claim_link(user=user)
