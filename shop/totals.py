"""One money language for every place a shopper sees an amount.

The cart, checkout, thank-you page, order page and emails each used to total the same order
in their own words ("Cart total", "Items total", "Total inc tax", "Line price excl. tax").
They now all show a ``Summary`` built here and rendered by one template
(``templates/includes/money/summary.html``):

    Items and discount rows (only when there is a discount)
    Subtotal     the items after discounts, before shipping and tax (the mini cart's figure)
    Shipping     with the method's name
    each tax     by name and rate ("GST 5%", "QST 9.975%"), as stored on the order
    Total        what is charged

and, wherever a Canadian address is in play, "All prices in US dollars".
"""

from dataclasses import dataclass, field
from decimal import Decimal

from shop.tax import selectors as tax_selectors

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Row:
    label: str
    amount: Decimal


@dataclass
class Summary:
    currency: str
    subtotal: Decimal
    total: Decimal  # with tax_known False: before tax ("+ tax")
    items_before_discounts: Decimal | None = None
    discounts: list = field(default_factory=list)  # [Row], amounts positive (taken off)
    shipping: Decimal | None = None  # None: chosen at checkout
    shipping_method: str = ""
    taxes: list = field(default_factory=list)  # [Row]
    tax_known: bool = True  # False: no destination yet, "Calculated at checkout"
    tax_place: str = ""  # "Ontario": where an estimate's taxes were worked out for
    estimate: bool = False  # the cart page: shipping and tax may still change
    usd_note: bool = False
    pending_text: str = "Calculated at checkout"  # what shipping and tax say until known

    @property
    def tax_total(self):
        return sum((row.amount for row in self.taxes), ZERO)


def _is_canadian(country):
    return str(country or "").upper() == "CA"


def basket_discount_rows(basket):
    rows = [Row(d["name"], d["discount"]) for d in basket.offer_discounts]
    for d in basket.grouped_voucher_discounts:
        voucher = d["voucher"]
        rows.append(Row(f"{voucher.name} ({voucher.code})", d["discount"]))
    return rows


def for_basket(basket, *, shipping_charge=None, shipping_method=None, order_total=None):
    """The summary at checkout, once the shipping address has been taxed
    (``shop.tax.services.apply_to_basket`` leaves its quote on the basket)."""
    quote = getattr(basket, "tax_quote", None)
    taxes = [Row(t.label, t.amount) for t in tax_selectors.quote_taxes(quote)] if quote else []
    discounts = basket_discount_rows(basket)
    total = order_total.incl_tax if order_total is not None else basket.total_incl_tax
    return Summary(
        currency=basket.currency,
        subtotal=basket.total_excl_tax,
        items_before_discounts=basket.total_excl_tax_excl_discounts if discounts else None,
        discounts=discounts,
        shipping=shipping_charge.excl_tax if shipping_charge is not None else None,
        shipping_method=getattr(shipping_method, "name", "") or "",
        taxes=taxes,
        tax_known=quote is not None,
        total=total,
        usd_note=bool(quote) and _is_canadian(quote.destination.country),
    )


def for_cart(basket, *, shipping_charge=None, shipping_method=None, estimate=None):
    """The cart page's summary: the taxes estimated for where the shopper said they ship
    to (``estimate`` is ``shop.tax.templatetags.basket_tax_estimate``'s answer), or
    "Calculated at checkout" until they say."""
    discounts = basket_discount_rows(basket)
    quote = (estimate or {}).get("quote")
    destination = (estimate or {}).get("destination")
    taxes = [Row(t.label, t.amount) for t in tax_selectors.quote_taxes(quote)] if quote else []
    shipping = shipping_charge.excl_tax if shipping_charge is not None else None
    known = quote is not None
    total = basket.total_excl_tax + (shipping or ZERO) + sum((r.amount for r in taxes), ZERO)
    return Summary(
        currency=basket.currency,
        subtotal=basket.total_excl_tax,
        items_before_discounts=basket.total_excl_tax_excl_discounts if discounts else None,
        discounts=discounts,
        shipping=shipping,
        shipping_method=getattr(shipping_method, "name", "") or "",
        taxes=taxes,
        tax_known=known,
        tax_place=destination.label if destination is not None else "",
        total=total,
        estimate=True,
        usd_note=destination is not None and _is_canadian(destination.country),
    )


def for_order(order):
    """A placed order's summary, from what was stored when it was placed."""
    discounts = [Row(d.offer_name or "Discount", d.amount) for d in order.basket_discounts]
    address = order.shipping_address
    return Summary(
        currency=order.currency,
        subtotal=order.basket_total_excl_tax,
        items_before_discounts=order.basket_total_before_discounts_excl_tax if discounts else None,
        discounts=discounts,
        shipping=order.shipping_excl_tax,
        shipping_method=order.shipping_method or "",
        taxes=[Row(t.label, t.amount) for t in tax_selectors.order_taxes(order)],
        total=order.total_incl_tax,
        usd_note=address is not None and _is_canadian(address.country_id),
    )
