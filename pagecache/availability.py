"""Availability as the shopper sees it, in three bands: in stock, "only N left", out of
stock.

Oscar's own message ("In stock (37 available)") changes with every sale, so every order
would make the product's cached pages (and every listing or article showing it) stale.
Shown in bands, a sale changes a page only when it crosses a threshold the shopper sees:
above ``SHOP_LOW_STOCK_THRESHOLD`` units the page says "In stock"; at or below it "Only N
left"; at none "Unavailable". The page cache invalidates a product on a stock change only
when ``shown_stock`` changes (signals.py).
"""

from django.conf import settings
from django.utils.translation import gettext as _


def shown_stock(num_available):
    """What a shopper is told about ``num_available`` units: a value that changes only
    when the message does."""
    if num_available is None:
        return ("in_stock", None)
    if num_available <= 0:
        return ("out_of_stock", None)
    if num_available <= settings.SHOP_LOW_STOCK_THRESHOLD:
        return ("low_stock", num_available)
    return ("in_stock", None)


def message(num_available):
    band, count = shown_stock(num_available)
    if band == "out_of_stock":
        return _("Unavailable")
    if band == "low_stock":
        return _("In stock: only %(count)d left") % {"count": count}
    return _("In stock")


def install():
    """Make Oscar's stock-tracked availability speak in bands, everywhere it is shown
    (product pages, listings, product blocks in articles, the basket)."""
    from oscar.apps.partner.availability import StockRequired

    def banded_message(self):
        return message(self.num_available)

    StockRequired.message = property(banded_message)
