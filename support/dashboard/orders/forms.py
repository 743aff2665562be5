"""Oscar's order search form plus the look-ups support needs (see selectors.search_orders)."""

from django import forms
from oscar.apps.dashboard.orders import forms as oscar_forms

from config.fields import IdField
from support import services


class OrderSearchForm(oscar_forms.OrderSearchForm):
    email = forms.CharField(required=False, label="Customer email (whole or part)")
    postcode = forms.CharField(required=False, label="Postcode")
    phone = forms.CharField(required=False, label="Phone")
    payment_intent = forms.CharField(required=False, label="Stripe PaymentIntent id")
    customer = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The statuses support writes are outside the store's pipeline; offer them too.
        known = {value for value, _ in self.fields["status"].choices}
        self.fields["status"].choices += [
            (status, status) for status in services.ORDER_STATUSES if status not in known
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The start date must be before the end date.")
        return data
