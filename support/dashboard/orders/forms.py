"""Oscar's order search form plus the look-ups support needs (see selectors.search_orders)."""

from django import forms
from oscar.apps.dashboard.orders import forms as oscar_forms

from config.fields import IdField, IdMultipleChoiceField, MoneyField, QuantityField
from support import fulfilment, services

CANCELLED = "Cancelled"
CONFIRM_CANCEL_LABEL = "Yes, cancel this order. This can't be undone."
CONFIRM_CANCEL_MESSAGE = "To cancel, tick the box that confirms it; nothing was changed."
CHOOSE_LINES_MESSAGE = "Choose the lines to act on (tick them); nothing was changed."


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


def error_text(form):
    """A form's errors as one message for the order page (Oscar shows it at the top)."""
    return " ".join(error for errors in form.errors.values() for error in errors)


class LineActionForm(forms.Form):
    """Oscar's line actions (``selected_line`` and ``selected_line_qty_<id>``) read by a
    form instead of ``int()`` on the POST: a ticked line must be one of the order's, ticked
    once, with a whole quantity from 1 to the line's own (issue 24). Nothing runs unless
    the whole form is valid, so an action is never half applied."""

    selected_line = IdMultipleChoiceField(
        error_messages={
            "required": CHOOSE_LINES_MESSAGE,
            "invalid_choice": "That line is not one of this order's; nothing was changed.",
        }
    )

    def __init__(self, data, *, lines):
        super().__init__(data)
        self.lines = {str(line.pk): line for line in lines}
        self.fields["selected_line"].choices = [(pk, pk) for pk in self.lines]
        for pk, line in self.lines.items():
            wrong = f"Enter a quantity from 1 to {line.quantity} for line #{pk}."
            self.fields[f"selected_line_qty_{pk}"] = QuantityField(
                required=False,
                max_value=line.quantity,
                error_messages={"invalid": wrong, "min_value": wrong, "max_value": wrong},
            )

    def clean(self):
        data = super().clean()
        chosen = [str(pk) for pk in data.get("selected_line") or []]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError("Each line can be chosen once; nothing was changed.")
        for pk in chosen:
            name = f"selected_line_qty_{pk}"
            if name not in self.errors and data.get(name) is None:
                self.add_error(name, f"Enter the quantity for line #{pk}.")
        return data

    def chosen(self):
        """(lines, quantities) in the order they were ticked, as Oscar's actions take them."""
        lines = [self.lines[str(pk)] for pk in self.cleaned_data["selected_line"]]
        return lines, [self.cleaned_data[f"selected_line_qty_{line.pk}"] for line in lines]


class PaymentEventForm(forms.Form):
    """The amount of Oscar's payment-event actions: empty (the lines' total) or money."""

    amount = MoneyField(required=False)


class NoteIdForm(forms.Form):
    """The note to delete, as the order page's own form sends it."""

    note_id = IdField(error_messages={"required": "Choose the note to delete."})
