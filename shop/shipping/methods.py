"""The store's shipping methods: US and Canada, standard (free over a threshold) or express.

Amounts come from settings (SHOP_*_SHIPPING_*) so they can change without a deploy. The
charges are before tax; sales tax on shipping, where a state or province charges it, is added
at checkout (shop/tax/).
"""

from decimal import Decimal

from django.conf import settings
from oscar.apps.shipping import methods
from oscar.core import prices


def _price(basket, amount):
    return prices.Price(currency=basket.currency, excl_tax=amount, tax=Decimal("0.00"))


class Standard(methods.Base):
    code = "standard"
    name = "Standard shipping (3-7 business days)"

    @property
    def description(self):
        return f"Free on orders of ${settings.SHOP_FREE_SHIPPING_THRESHOLD} or more."

    def calculate(self, basket):
        # The threshold applies to what the goods cost after discounts, before sales tax.
        if basket.total_excl_tax >= settings.SHOP_FREE_SHIPPING_THRESHOLD:
            return _price(basket, Decimal("0.00"))
        return _price(basket, settings.SHOP_STANDARD_SHIPPING_CHARGE)


class Express(methods.Base):
    code = "express"
    name = "Express shipping (1-2 business days)"
    description = "Tracked, shipped the same day when ordered before 2pm Eastern."

    def calculate(self, basket):
        return _price(basket, settings.SHOP_EXPRESS_SHIPPING_CHARGE)
