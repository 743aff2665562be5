"""Taxes by name and rate ("GST 5%", "QST 9.975%"), for the money summary (shop/totals.py)
and any template that shows an order's or a basket's taxes."""

from dataclasses import dataclass
from decimal import Decimal

from .models import tax_label

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TaxAmount:
    name: str
    rate: Decimal | None  # percent; None for an order placed before taxes were stored
    amount: Decimal

    @property
    def label(self):
        return tax_label(self.name, self.rate)


def order_taxes(order):
    """The taxes the order was charged, as stored when it was placed; an order placed before
    they were stored shows its total tax as one "Tax" row (none when it paid no tax)."""
    rows = [TaxAmount(row.name, row.rate, row.amount) for row in order.taxes.all()]
    if rows:
        return rows
    if order.total_tax:
        return [TaxAmount("Tax", None, order.total_tax)]
    return []


def quote_taxes(quote):
    """The basket's taxes for its shipping address (``basket.tax_quote``), as charged."""
    if quote is None:
        return []
    return [TaxAmount(c.name, c.rate, c.amount) for c in quote.components if c.amount]
