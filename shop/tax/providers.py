"""The tax provider interface and the default, offline provider (the dashboard's table).

A provider answers one question: for this destination, these items and this shipping
charge, how much tax per unit of each item and on the shipping? ``SHOP_TAX_PROVIDER`` names
the class (dotted path); a provider for Stripe Tax or Avalara implements ``quote`` with the
same arguments and returns the same ``TaxQuote``, and nothing else in the shop changes.
"""

from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .models import TaxClass, TaxRate, tax_label
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


def allocate(total, weights):
    """Split ``total`` (cents) in proportion to ``weights``, each part to the cent, so the
    parts add up to ``total`` exactly (largest remainder: the cents lost to rounding down go
    to the parts that lost most). All-zero weights split evenly."""
    total = Decimal(total)
    weights = [Decimal(weight) for weight in weights]
    if not weights:
        return []
    base = sum(weights, ZERO)
    if base == 0:
        weights, base = [Decimal(1)] * len(weights), Decimal(len(weights))
    exact = [total * weight / base for weight in weights]
    parts = [value.quantize(CENT, rounding=ROUND_DOWN) for value in exact]
    left = int((total - sum(parts, ZERO)) / CENT)
    by_remainder = sorted(range(len(parts)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[:left]:
        parts[i] += CENT
    return parts


@dataclass(frozen=True)
class TaxComponent:
    """One tax of a quote: its name and rate, and how much of it the quote charges (on the
    goods and the shipping together)."""

    name: str  # "Sales tax", "GST", "QST"
    rate: Decimal | None  # percent; None when a provider gives no single rate
    shipping_taxable: bool = True
    amount: Decimal = ZERO

    @property
    def label(self):
        return tax_label(self.name, self.rate)


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

    @property
    def components_total(self):
        return sum((component.amount for component in self.components), ZERO)

    def with_total(self, total):
        """The components with their amounts scaled to add up to ``total`` exactly: what
        Oscar charges once a discount has reduced the taxed price (its tax ratio), or what a
        provider's figures come to once each line's tax is a whole number of unit taxes."""
        if self.components_total == total:
            return list(self.components)
        if not self.components:
            return [TaxComponent("Tax", None, amount=total)] if total else []
        amounts = allocate(total, [component.amount for component in self.components])
        return [
            replace(component, amount=amount)
            for component, amount in zip(self.components, amounts, strict=True)
        ]


class TaxProvider(Protocol):
    def quote(self, *, destination, items, shipping_charge) -> TaxQuote: ...


class TableTaxProvider:
    """Rates from the ``TaxRate`` table, worked out per unit so a line's tax is always
    ``quantity × unit tax`` (how Oscar stores order lines), and rounded half up to the cent
    the way each authority expects (``rounding_groups``). Shipping is taxed by the taxes
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

    def rounding_groups(self, destination, rates):
        """The taxes rounded together, as lists of indexes into ``rates``. A US sale pays the
        combined rate of its state and local taxes, rounded once (the states publish
        combined rates for this, e.g. 8.875 % in New York City); in Canada each tax is
        computed and rounded on its own on the same price (GST, then QST or PST)."""
        if destination.country == "US":
            return [list(range(len(rates)))] if rates else []
        return [[i] for i in range(len(rates))]

    def taxes_on(self, amount, rates, groups):
        """Each tax's cents on ``amount``: a group's combined rate rounded half up once, the
        result shared between its taxes in proportion to their rates."""
        taxes = [ZERO] * len(rates)
        for group in groups:
            group_rates = [rates[i].rate for i in group]
            total = round_cents(amount * sum(group_rates, ZERO) / 100)
            for i, part in zip(group, allocate(total, group_rates), strict=True):
                taxes[i] = part
        return taxes

    def quote(self, *, destination, items, shipping_charge):
        rates = self.rates_for(destination)
        groups = self.rounding_groups(destination, rates)
        quote = TaxQuote(destination=destination)
        # Every tax's amount is made of exactly the cents of the unit taxes (× quantity) and
        # the shipping tax, so the components add up to the quote's tax to the cent.
        amounts = [ZERO] * len(rates)
        taxable_goods = all_goods = ZERO
        for item in items:
            goods = item.unit_price * item.quantity
            all_goods += goods
            if item.tax_class == TaxClass.EXEMPT:
                quote.unit_tax[item.key] = ZERO
                continue
            taxable_goods += goods
            unit_taxes = self.taxes_on(item.unit_price, rates, groups)
            quote.unit_tax[item.key] = sum(unit_taxes, ZERO)
            amounts = [a + t * item.quantity for a, t in zip(amounts, unit_taxes, strict=True)]
        shipping = Decimal(shipping_charge or 0)
        if shipping > 0 and taxable_goods > 0:
            taxable_shipping = shipping * taxable_goods / all_goods
            on_shipping = [[i for i in group if rates[i].shipping_taxable] for group in groups]
            shipping_taxes = self.taxes_on(taxable_shipping, rates, on_shipping)
            quote.shipping_tax = sum(shipping_taxes, ZERO)
            amounts = [a + t for a, t in zip(amounts, shipping_taxes, strict=True)]
        quote.components = [
            replace(c, amount=amount) for c, amount in zip(rates, amounts, strict=True)
        ]
        return quote


@cache
def _provider_class(path):
    return import_string(path)


def get_provider() -> TaxProvider:
    return _provider_class(settings.SHOP_TAX_PROVIDER)()
