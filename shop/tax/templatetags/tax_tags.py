from decimal import Decimal

from django import template

from shop.tax import services
from shop.tax.forms import DestinationForm

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_tax_estimate(context):
    """The basket page's estimated tax: {"amount", "quote", "destination", "form"}; the
    amount is None until a destination is known."""
    request, basket = context.get("request"), context.get("basket")
    known = getattr(basket, "_tax_estimate", None)
    if known is not None:
        return known
    destination = services.destination_for_request(request) if request else None
    initial = {"region": f"{destination.country}-{destination.region}"} if destination else {}
    if destination:
        initial["postcode"] = destination.postcode
    result = {"amount": None, "destination": destination, "form": DestinationForm(initial=initial)}
    if destination is not None and basket is not None and not basket.is_empty:
        result["amount"], result["quote"] = services.estimate(
            basket, context.get("shipping_charge"), destination
        )
    if basket is not None:
        basket._tax_estimate = result
    return result


@register.filter
def add_money(value, other):
    return (value or Decimal("0.00")) + (other or Decimal("0.00"))


@register.filter
def line_taxes(order):
    """[(line, tax)] when the order's lines were taxed at different rates (an exempt item, a
    local rate), so a receipt can say which; [] when one rate covers every line."""
    lines = list(order.lines.all())
    ratios = {
        (line.line_price_incl_tax - line.line_price_excl_tax) / line.line_price_excl_tax
        for line in lines
        if line.line_price_excl_tax
    }
    if len(ratios) <= 1:
        return []
    return [(line, line.line_price_incl_tax - line.line_price_excl_tax) for line in lines]


@register.filter
def add_money_diff(value, other):
    return (value or Decimal("0.00")) - (other or Decimal("0.00"))
