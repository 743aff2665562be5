"""The one money summary (shop/totals.py) for templates: cart, checkout, order pages and
emails all render ``includes/money/summary.html`` (or its text twin) through these tags."""

from django import template

from shop import totals
from shop.tax.templatetags.tax_tags import basket_tax_estimate

register = template.Library()

SUMMARY_HTML = "includes/money/summary.html"
SUMMARY_TEXT = "includes/money/summary.txt"


@register.inclusion_tag(SUMMARY_HTML)
def order_summary(order):
    return {"summary": totals.for_order(order)}


@register.inclusion_tag(SUMMARY_TEXT)
def order_summary_text(order):
    return {"summary": totals.for_order(order)}


@register.inclusion_tag(SUMMARY_HTML, takes_context=True)
def checkout_summary(context):
    """At checkout: the shipping address's taxes, which are what is charged."""
    summary = totals.for_basket(
        context["basket"],
        shipping_charge=context.get("shipping_charge"),
        shipping_method=context.get("shipping_method"),
        order_total=context.get("order_total"),
    )
    return {"summary": summary}


@register.inclusion_tag(SUMMARY_HTML, takes_context=True)
def cart_summary(context):
    """On the cart page: an estimate for where the shopper said they ship to."""
    summary = totals.for_cart(
        context["basket"],
        shipping_charge=context.get("shipping_charge"),
        shipping_method=context.get("shipping_method"),
        estimate=basket_tax_estimate(context),
    )
    return {"summary": summary}
