"""Template tags for pages support does not own (the account's order page, Oscar's)."""

from django import template
from django.conf import settings

from support import selectors

register = template.Library()


@register.simple_tag
def order_shipments(order):
    return selectors.order_shipments(order)


@register.simple_tag
def guarantee_window(order):
    return selectors.guarantee_window(order)


@register.filter
def shopper_words(status):
    """An order status or shipping event in the customer's words (selectors.shopper_words)."""
    return selectors.shopper_words(status)


@register.filter
def person(user):
    """Name and email of an account (see selectors.person)."""
    return selectors.person(user)


@register.simple_tag
def guarantee_terms():
    """The settings that decide the guarantee window, for the guarantee page."""
    return {
        "days": settings.MONEY_BACK_GUARANTEE_DAYS,
        "delivered_after_days": settings.SUPPORT_DELIVERED_AFTER_DAYS,
    }
