"""Forms for customers (return requests) and staff (refunds, the returns queue).

Forms check shape only; the rules (window, ownership, remainders, lines taken) live in
services.py, so a forged POST meets the same checks as the form.
"""

import uuid

from django import forms

from config.fields import IdMultipleChoiceField, MoneyField
from support import selectors
from support.models import ReturnRequest


class ReturnRequestForm(forms.Form):
    lines = IdMultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Items to return",
        error_messages={"required": "Choose at least one item to return."},
    )
    reason = forms.ChoiceField(choices=[("", "Choose a reason"), *ReturnRequest.Reason.choices])
    comments = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Anything we should know? (optional)",
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        # Any line id is accepted here (the service refuses foreign or taken lines with a
        # clear message), while only returnable lines are offered.
        self.returnable = list(selectors.returnable_lines(order))
        self.fields["lines"].choices = [
            (
                line.pk,
                f"{line.quantity} × {line.title} ({line.line_price_incl_tax} {order.currency})",
            )
            for line in self.returnable
        ]
        self.fields["lines"].valid_value = lambda value: True


class GuestLookupForm(forms.Form):
    order_number = forms.CharField(max_length=128, label="Order number")
    email = forms.EmailField(label="Email used for the order")


class RefundForm(forms.Form):
    """Refund chosen lines or an amount. ``idempotency_key`` is minted when the form is
    drawn, so submitting the same form twice refunds once."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    lines = IdMultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Refund items"
    )
    amount = MoneyField(
        required=False,
        label="…or refund an amount",
        help_text="Leave empty when refunding items. An amount gives back the order's tax in "
        "proportion: its share of the order total.",
    )
    reason = forms.CharField(required=False, max_length=255)

    def __init__(self, *args, order, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", f"refund-{uuid.uuid4()}")
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [
            (line.pk, f"{line.quantity} × {line.title} ({line.line_price_incl_tax} incl. tax)")
            for line in selectors.refundable_lines(order)
        ]
        self.fields["lines"].valid_value = lambda value: True

    def clean(self):
        data = super().clean()
        if bool(data.get("lines")) == (data.get("amount") is not None):
            raise forms.ValidationError("Choose the items to refund or enter an amount.")
        return data


class ReturnQueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", "All statuses"), *ReturnRequest.Status.choices]
    )
    q = forms.CharField(required=False, label="Return, order number or email")
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ShipmentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            ("dispatched", "Dispatched (carrier and tracking number)"),
            ("delivered", "Delivered"),
        ],
        label="The file lists orders",
    )
    file = forms.FileField(label="CSV file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 2 MB; split it.")
        return upload
