"""Oscar's checkout session mixin plus sales tax.

Oscar's documented way for US-style tax: prices carry no tax until the shipping address is
known, then ``build_submission`` applies it to the basket lines and the shipping charge and
recomputes the order total, which every checkout page, the order and the charge then use.
"""

from oscar.apps.checkout import session

from shop.tax.services import apply_to_basket


class CheckoutSessionMixin(session.CheckoutSessionMixin):
    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        address, charge = submission["shipping_address"], submission["shipping_charge"]
        if address is not None and charge is not None:
            apply_to_basket(submission["basket"], charge, address)  # also basket.tax_quote
            submission["order_total"] = self.get_order_totals(
                submission["basket"], shipping_charge=charge, surcharges=submission["surcharges"]
            )
        return submission
