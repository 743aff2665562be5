"""Checkout's shipping-address form: Oscar's, with the store's US/Canada address rules
(shop/address/forms.py: labels, state or province from a list, ZIP and postal code checked
against it and formatted, phone keyboards' digits read as ASCII)."""

from oscar.apps.checkout import forms as oscar_forms

from shop.address.forms import NorthAmericanAddressMixin


class ShippingAddressForm(NorthAmericanAddressMixin, oscar_forms.ShippingAddressForm):
    pass
