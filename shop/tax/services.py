"""Applying tax the Oscar way (its documented US approach): once the shipping address is
known, each basket line's price gets its tax and so does the shipping charge, and Oscar's
own totals (``line_price_incl_tax``, ``order_total.incl_tax``) then include it. Oscar copies
those figures onto the order and its lines (``*_incl_tax``), and the Stripe amount is the
order total including tax.
"""

from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

from .models import OrderTax, TaxClass
from .providers import ZERO, Destination, TaxableItem, get_provider, round_cents
from .regions import REGIONS, normalise_postcode, region_of

AttributeOption = get_model("catalogue", "AttributeOption")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

ATTRIBUTE_CODE = "tax_class"
OPTION_GROUP_NAME = "Tax class"
SESSION_KEY = "tax_destination"


def ensure_tax_class_attribute(product_class):
    group, _ = AttributeOptionGroup.objects.get_or_create(name=OPTION_GROUP_NAME)
    for value, _label in TaxClass.choices:
        AttributeOption.objects.get_or_create(group=group, option=value)
    ProductAttribute.objects.get_or_create(
        product_class=product_class,
        code=ATTRIBUTE_CODE,
        defaults={"name": "Tax class", "type": "option", "option_group": group},
    )


def set_tax_class(product, tax_class):
    """Give a product a tax class (the dashboard's product form does the same)."""
    attribute = ProductAttribute.objects.get(
        product_class=product.get_product_class(), code=ATTRIBUTE_CODE
    )
    option = AttributeOption.objects.get(group=attribute.option_group, option=tax_class)
    ProductAttributeValue.objects.update_or_create(
        product=product, attribute=attribute, defaults={"value_option": option}
    )


def tax_classes(products):
    """{product id: tax class} in one query; a variant without its own takes its parent's."""
    ids = set()
    for product in products:
        ids.add(product.id)
        if product.parent_id:
            ids.add(product.parent_id)
    found = dict(
        ProductAttributeValue.objects.filter(
            product_id__in=ids, attribute__code=ATTRIBUTE_CODE, value_option__isnull=False
        ).values_list("product_id", "value_option__option")
    )
    return {
        product.id: found.get(product.id) or found.get(product.parent_id) or TaxClass.STANDARD
        for product in products
    }


def destination_of_address(address):
    """The tax destination of an Oscar address (shipping or user address), or None."""
    if address is None:
        return None
    country = getattr(address, "country_id", "") or ""
    if country not in REGIONS:
        return None
    region = region_of(country, address.postcode, getattr(address, "state", ""))
    if not region:
        return None
    return Destination(country, region, normalise_postcode(address.postcode))


def quote_basket(basket, shipping_charge, destination):
    """The provider's quote for the basket as it is priced now (discounts included)."""
    lines = list(basket.all_lines())
    classes = tax_classes([line.product for line in lines])
    items = []
    for line in lines:
        if line.unit_price_excl_tax is None:
            continue
        items.append(
            TaxableItem(
                key=line.id,
                unit_price=line.unit_price_excl_tax,
                quantity=line.quantity,
                tax_class=classes[line.product.id],
            )
        )
    charge = shipping_charge.excl_tax if shipping_charge is not None else ZERO
    return get_provider().quote(destination=destination, items=items, shipping_charge=charge)


def apply_to_basket(basket, shipping_charge, shipping_address):
    """Set each line's unit tax and the shipping charge's tax for this destination.

    Returns the quote (also kept as ``basket.tax_quote`` for templates), or None when the
    address is not one we can tax (the prices then stay tax-free, as Oscar left them).
    Safe to call again: it sets, never adds.
    """
    destination = destination_of_address(shipping_address)
    if destination is None:
        return None
    quote = quote_basket(basket, shipping_charge, destination)
    for line in basket.all_lines():
        if line.id in quote.unit_tax:
            line.purchase_info.price.tax = quote.unit_tax[line.id]
    if shipping_charge is not None:
        shipping_charge.tax = quote.shipping_tax
    # A discount lowers a line's tax by Oscar's tax ratio, not by the provider's rounding:
    # the components then say how the tax Oscar charges splits between the taxes.
    charged = sum((line.line_tax or ZERO for line in basket.all_lines()), ZERO)
    charged += quote.shipping_tax if shipping_charge is not None else ZERO
    quote.components = quote.with_total(charged)
    basket.tax_quote = quote
    return quote


def record_order_taxes(order, quote):
    """Store the order's taxes by name and rate (``OrderTax``), adding up to its total tax.

    Called as the order is placed, in its transaction (shop/checkout/mixins.py). ``quote`` is
    the basket's (``basket.tax_quote``); None for an address that is not taxed, and then
    nothing is stored. Taxes of nothing (every item exempt) are not stored.
    """
    if quote is None:
        return []
    components = quote.with_total(order.total_tax or ZERO)
    rows = [
        OrderTax(order=order, name=c.name, rate=c.rate, amount=c.amount, position=position)
        for position, c in enumerate(components)
        if c.amount
    ]
    with transaction.atomic():
        order.taxes.all().delete()
        return OrderTax.objects.bulk_create(rows)


# --- The basket page's estimate -----------------------------------------------------------


def destination_for_request(request):
    """Where the shopper said they ship to on the basket page, else their default address."""
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if isinstance(chosen, dict) and chosen.get("country") in REGIONS:
        region = chosen.get("region", "")
        if region in REGIONS[chosen["country"]]:
            return Destination(chosen["country"], region, chosen.get("postcode", ""))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        address = user.addresses.filter(is_default_for_shipping=True).first()
        return destination_of_address(address)
    return None


def remember_destination(request, destination):
    request.session[SESSION_KEY] = {
        "country": destination.country,
        "region": destination.region,
        "postcode": destination.postcode,
    }


def estimate(basket, shipping_charge, destination):
    """Estimated tax (total, and the quote) for a basket not yet at checkout."""
    quote = quote_basket(basket, shipping_charge, destination)
    goods = sum((quote.line_tax(line.id, line.quantity) for line in basket.all_lines()), ZERO)
    return goods + quote.shipping_tax, quote


# --- Refunds ------------------------------------------------------------------------------


def tax_share(order, amount):
    """The tax part of a refund of ``amount`` that is not tied to lines: the order's tax in
    proportion to its total (a refund of a third of the order gives back a third of its
    tax), rounded to the cent."""
    total = order.total_incl_tax or ZERO
    if total <= 0:
        return ZERO
    return round_cents(Decimal(amount) * order.total_tax / total)


def refund_tax(order, amount, lines=()):
    """The tax given back by a refund: refunded lines give back their own tax (their price
    including tax is what is refunded); an amount gives back ``tax_share``."""
    if lines:
        return sum((line.line_price_incl_tax - line.line_price_excl_tax for line in lines), ZERO)
    return tax_share(order, amount)
