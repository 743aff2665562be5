"""The tax provider interface and the default, offline provider (the dashboard's table).

A provider answers one question: for this destination, these items and this shipping
charge, how much tax per unit of each item and on the shipping? ``SHOP_TAX_PROVIDER`` names
the class (dotted path); a provider for Stripe Tax or Avalara implements ``quote`` with the
same arguments and returns the same ``TaxQuote``, and nothing else in the shop changes.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .models import TaxClass, TaxRate
from .regions import normalise_postcode, region_name

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_cents(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Destination:
    country: str  # ISO code: US, CA
    region: str  # state or province code: NY, QC
    postcode: str = ""

    @property
    def label(self):
        return region_name(self.country, self.region)


@dataclass(frozen=True)
class TaxableItem:
    key: object  # the caller's id for the item (a basket line's id)
    unit_price: Decimal  # before tax
    quantity: int
    tax_class: str = TaxClass.STANDARD


@dataclass(frozen=True)
class TaxComponent:
    name: str  # "Sales tax", "GST", "QST"
    rate: Decimal  # percent
    shipping_taxable: bool = True

    @property
    def label(self):
        return f"{self.name} {self.rate.normalize():f}%"


@dataclass
class TaxQuote:
    destination: Destination
    unit_tax: dict = field(default_factory=dict)  # item key -> tax on one unit
    shipping_tax: Decimal = ZERO
    components: list = field(default_factory=list)

    def line_tax(self, key, quantity):
        return self.unit_tax.get(key, ZERO) * quantity

    @property
    def label(self):
        """'GST 5% + QST 9.975%', or '' where no tax applies."""
        return " + ".join(component.label for component in self.components)


class TaxProvider(Protocol):
    def quote(self, *, destination, items, shipping_charge) -> TaxQuote: ...


class TableTaxProvider:
    """Rates from the ``TaxRate`` table. Each tax is computed on one unit's price and rounded
    half up to the cent, then multiplied by the quantity, so a line's tax is always
    ``quantity × unit tax`` (how Oscar stores order lines). Shipping is taxed by the taxes
    marked as applying to shipping, in the proportion of the goods that are taxable."""

    def rates_for(self, destination):
        postcode = normalise_postcode(destination.postcode)
        chosen = {}
        rows = TaxRate.objects.filter(country=destination.country, region=destination.region)
        for row in rows.order_by("name", "postcode_prefix"):
            if row.postcode_prefix and not postcode.startswith(row.postcode_prefix):
                continue
            current = chosen.get(row.name)
            if current is None or len(row.postcode_prefix) > len(current.postcode_prefix):
                chosen[row.name] = row
        return [
            TaxComponent(row.name, row.rate, row.shipping_taxable)
            for row in sorted(chosen.values(), key=lambda row: (row.postcode_prefix, row.pk))
        ]

    def quote(self, *, destination, items, shipping_charge):
        components = self.rates_for(destination)
        quote = TaxQuote(destination=destination, components=components)
        taxable_goods = all_goods = ZERO
        for item in items:
            goods = item.unit_price * item.quantity
            all_goods += goods
            if item.tax_class == TaxClass.EXEMPT:
                quote.unit_tax[item.key] = ZERO
                continue
            taxable_goods += goods
            quote.unit_tax[item.key] = sum(
                (round_cents(item.unit_price * c.rate / 100) for c in components), ZERO
            )
        shipping = Decimal(shipping_charge or 0)
        if shipping > 0 and taxable_goods > 0:
            taxable_shipping = shipping * taxable_goods / all_goods
            quote.shipping_tax = sum(
                (
                    round_cents(taxable_shipping * c.rate / 100)
                    for c in components
                    if c.shipping_taxable
                ),
                ZERO,
            )
        return quote


@cache
def _provider_class(path):
    return import_string(path)


def get_provider() -> TaxProvider:
    return _provider_class(settings.SHOP_TAX_PROVIDER)()
