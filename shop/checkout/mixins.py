"""Oscar's order placement plus the order's taxes by name.

``place_order`` is where both ways of placing an order meet: the paid order
(shop/payments/placement.py, through ``OrderPlacer``) and the order with nothing to pay
(``PaymentDetailsView``'s place-order submission). Both load this class with
``get_class("checkout.mixins", "OrderPlacementMixin")``, so the taxes are stored once, in the
order's transaction, whichever way it is placed.
"""

from oscar.apps.checkout import mixins

from shop.tax.services import record_order_taxes


class OrderPlacementMixin(mixins.OrderPlacementMixin):
    def place_order(self, order_number, user, basket, *args, **kwargs):
        order = super().place_order(order_number, user, basket, *args, **kwargs)
        # The quote ``apply_to_basket`` left on the basket; none for an untaxed address.
        record_order_taxes(order, getattr(basket, "tax_quote", None))
        return order
