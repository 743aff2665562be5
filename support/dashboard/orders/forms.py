"""Oscar's order search form plus the look-ups support needs (see selectors.search_orders)."""

from django import forms
from oscar.apps.dashboard.orders import forms as oscar_forms

from config.fields import IdField
from support import fulfilment, services

CANCELLED = "Cancelled"
CONFIRM_CANCEL_LABEL = "Yes, cancel this order. This can't be undone."
CONFIRM_CANCEL_MESSAGE = "To cancel, tick the box that confirms it; nothing was changed."


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


class OrderStatusForm(oscar_forms.OrderStatusForm):
    """Oscar's status form offering only the next statuses staff set by hand (Dispatched
    and Delivered come from the dispatch and delivery forms), none chosen in advance, and
    a cancel only with its confirmation ticked: no one-click cancel."""

    confirm_cancel = forms.BooleanField(required=False, label=CONFIRM_CANCEL_LABEL)

    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        field = self.fields["new_status"]
        statuses = fulfilment.manual_statuses([value for value, _ in field.choices])
        field.choices = [("", "Choose the new status"), *((s, s) for s in statuses)]
        field.error_messages["required"] = "Choose the new status."

    @property
    def has_choices(self):
        return len(self.fields["new_status"].choices) > 1

    def clean(self):
        data = super().clean()
        if data.get("new_status") == CANCELLED and not data.get("confirm_cancel"):
            self.add_error("confirm_cancel", CONFIRM_CANCEL_MESSAGE)
        return data
