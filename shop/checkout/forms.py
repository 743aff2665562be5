"""The one-page checkout's forms: contact, shipping address, shipping method, payment.

The address form is Oscar's with the store's US/Canada address rules
(shop/address/forms.py: labels, state or province from a list, ZIP and postal code checked
against it and formatted, phone keyboards' digits read as ASCII). The four forms post
together, unprefixed, so the page works as one plain form without JavaScript.
"""

from django import forms
from oscar.apps.checkout import forms as oscar_forms
from oscar.core.loading import get_model

from shop.address.forms import NorthAmericanAddressMixin
from shop.tax.regions import REGIONS

Country = get_model("address", "Country")
NEW_CARD = "new"


class ShippingAddressForm(NorthAmericanAddressMixin, oscar_forms.ShippingAddressForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "notes" in self.fields:
            self.fields["notes"].widget.attrs["rows"] = 2  # a line or two, on a phone too


class ContactForm(forms.Form):
    """A guest's email (a signed-in shopper's is their account's)."""

    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="We send your order confirmation and tracking here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


class ShippingMethodForm(forms.Form):
    shipping_method = forms.ChoiceField(
        label="Shipping method", widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_method"].choices = list(choices)


class PaymentForm(forms.Form):
    """Which card: a saved one (its PaymentMethod id) or a new one, whose PaymentMethod
    the page's script makes with Stripe.js and sends as ``payment_method``."""

    card = forms.ChoiceField(
        label="Pay with",
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    payment_method = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    save_card = forms.BooleanField(
        label="Save this card for my next orders",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, saved_cards=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(card.id, f"{card.label}, expires {card.expiry}") for card in saved_cards] + [
            (NEW_CARD, "A new card")
        ]
        self.fields["card"].choices = choices
        self.fields["card"].initial = choices[0][0]
        if not saved_cards:
            self.fields["card"].widget = forms.HiddenInput()

    def chosen(self):
        """(PaymentMethod id, saved?) from valid data."""
        card = self.cleaned_data.get("card") or NEW_CARD
        if card != NEW_CARD:
            return card, True
        return self.cleaned_data.get("payment_method", ""), False


def wallet_address_data(data):
    """A wallet's shipping address (Apple Pay, Google Pay, Link) as the address form's
    fields: wallets send state names ("Illinois") or codes, and one name line."""
    data = data.copy()  # a QueryDict: one value per field, as the form reads it
    country = str(data.get("country", "")).upper()
    state = str(data.get("state", "")).strip()
    names = {name.lower(): code for code, name in REGIONS.get(country, {}).items()}
    data["country"] = country
    data["state"] = names.get(state.lower(), state.upper())
    return data
