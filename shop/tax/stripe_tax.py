"""Stripe Tax behind the provider interface (``SHOP_TAX_PROVIDER=
shop.tax.stripe_tax.StripeTaxProvider``): one Tax Calculation per quote, through the Stripe
gateway (shop/payments/stripe_gateway.py, the only code that talks to Stripe).

Oscar stores a line's tax as quantity × unit tax, and Stripe rounds the tax of a whole line.
When a line's tax does not divide by its quantity, the unit tax is rounded half up to the
cent and the line is charged quantity × that: at most half a cent per unit away from Stripe's
figure. What is charged is what the order stores, and the taxes by name are scaled to add
up to it (``TaxQuote.with_total``).

If Stripe does not answer or refuses the request, the quote comes from the rate table
(``TableTaxProvider``, with the local rates of the largest cities) and a warning is logged:
the sale goes on at the table's rate rather than being lost.
"""

import hashlib
import json
import logging
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from shop.payments import stripe_gateway as gateway

from .models import TaxClass
from .providers import ZERO, TableTaxProvider, TaxComponent, TaxQuote, round_cents

logger = logging.getLogger(__name__)

# Stripe's tax codes: general tangible goods, and nontaxable.
TAX_CODES = {TaxClass.STANDARD: "txcd_99999999", TaxClass.EXEMPT: "txcd_00000000"}
# Canada's taxes are known by their type's initials; US taxes by their jurisdiction.
TAX_TYPE_NAMES = {"gst": "GST", "hst": "HST", "pst": "PST", "qst": "QST", "rst": "RST"}
LEVELS = ["country", "state", "province", "county", "city", "district"]
# The same basket priced again (every checkout page, then the charge, then the webhook's
# placement) is answered from the cache: one calculation, and the same figures each time.
CACHE_SECONDS = 15 * 60


def cents(amount):
    return int(round_cents(amount) * 100)


def from_cents(value):
    return Decimal(value) / 100


def component_name(part):
    if part.tax_type in TAX_TYPE_NAMES:
        return TAX_TYPE_NAMES[part.tax_type]
    kind = part.tax_type.replace("_", " ") or "tax"
    return f"{part.jurisdiction} {kind}".strip()[:80]


def components_of(parts):
    """Stripe's taxes of every line and the shipping, one component per tax and rate, the
    widest jurisdiction first."""
    amounts, order = {}, {}
    for part in parts:
        key = (component_name(part), Decimal(part.percentage))
        amounts[key] = amounts.get(key, 0) + part.amount
        level = LEVELS.index(part.level) if part.level in LEVELS else len(LEVELS)
        order.setdefault(key, (level, len(order)))
    return [
        TaxComponent(name, rate.normalize(), amount=from_cents(amounts[(name, rate)]))
        for name, rate in sorted(amounts, key=order.get)
    ]


class StripeTaxProvider:
    def quote(self, *, destination, items, shipping_charge):
        request = {
            "currency": settings.OSCAR_DEFAULT_CURRENCY,
            "line_items": [
                {
                    "amount": cents(item.unit_price * item.quantity),
                    "reference": str(item.key),
                    "quantity": item.quantity,
                    "tax_code": TAX_CODES.get(item.tax_class, TAX_CODES[TaxClass.STANDARD]),
                }
                for item in items
            ],
            "address": {
                "country": destination.country,
                "state": destination.region,
                "postal_code": destination.postcode,
            },
            "shipping_amount": cents(Decimal(shipping_charge or 0)),
        }
        try:
            calculation = self.calculate(request)
        except gateway.GatewayError as exc:
            logger.warning(
                "Stripe Tax failed (%s); taxing %s from the rate table", exc, destination.label
            )
            return TableTaxProvider().quote(
                destination=destination, items=items, shipping_charge=shipping_charge
            )
        return self.quote_from(calculation, destination=destination, items=items)

    def calculate(self, request):
        digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
        key = f"stripe-tax:{digest}"
        found = cache.get(key)
        if found is None:
            found = gateway.calculate_tax(**request)
            cache.set(key, found, CACHE_SECONDS)
        return found

    def quote_from(self, calculation, *, destination, items):
        quote = TaxQuote(destination=destination)
        charged = ZERO
        for item in items:
            line_tax = from_cents(calculation.line_tax.get(str(item.key), 0))
            quote.unit_tax[item.key] = round_cents(line_tax / item.quantity) if line_tax else ZERO
            charged += quote.unit_tax[item.key] * item.quantity
        quote.shipping_tax = from_cents(calculation.shipping_tax)
        quote.components = components_of(calculation.parts)
        quote.components = quote.with_total(charged + quote.shipping_tax)
        return quote
