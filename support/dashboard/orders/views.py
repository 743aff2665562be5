"""The forked order list and order page (see apps.py in this package for what changes)."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from oscar.apps.dashboard.orders import views
from oscar.views import sort_queryset

from outbox import services as outbox
from support import carriers, fulfilment, selectors
from support.dashboard.exports import SafeUnicodeCSVWriter
from support.dashboard.orders.forms import (
    CANCELLED,
    CONFIRM_CANCEL_MESSAGE,
    LineActionForm,
    NoteIdForm,
    OrderStatusForm,
    PaymentEventForm,
    error_text,
)
from support.forms import RefundForm

security_log = logging.getLogger("support.security")


class OrderListView(views.OrderListView):
    template_name = "support/dashboard/order_list.html"
    actions = (*views.OrderListView.actions, "dispatch_selected", "deliver_selected")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["order_statuses"] = fulfilment.manual_statuses(ctx["order_statuses"])
        ctx["can_ship"] = self.request.user.has_perm(fulfilment.PERM_SHIP)
        return ctx

    def change_order_statuses(self, request, orders):
        new_status = request.POST.get("new_status", "").strip()
        if not new_status:
            messages.error(request, CHOOSE_STATUS_MESSAGE)
            return redirect("dashboard:order-list")
        if new_status == CANCELLED and not request.POST.get("confirm_cancel"):
            messages.error(request, CONFIRM_CANCEL_MESSAGE)
            return redirect("dashboard:order-list")
        return super().change_order_statuses(request, orders)

    def change_order_status(self, request, order):
        if request.POST.get("new_status", "").strip() in fulfilment.EVENT_STATUSES:
            messages.error(request, _EVENT_STATUS_MESSAGE)
            return
        super().change_order_status(request, order)

    def dispatch_selected(self, request, orders):
        return self._bulk(orders, fulfilment.DISPATCHED)

    def deliver_selected(self, request, orders):
        return self._bulk(orders, fulfilment.DELIVERED)

    def _bulk(self, orders, kind):
        """To the bulk page, which asks for each order's carrier and tracking number."""
        numbers = ",".join(orders.order_by("number").values_list("number", flat=True)[:200])
        url = reverse("support:shipments-bulk")
        return redirect(f"{url}?{urlencode({'kind': kind, 'orders': numbers})}")

    def get_queryset(self):
        """Oscar's filters, then support's, all through the selector."""
        self.form = self.form_class(self.request.GET)
        queryset = sort_queryset(self.base_queryset, self.request, ["number", "total_incl_tax"])
        if not self.form.is_valid():
            return queryset
        data = self.form.cleaned_data
        queryset = selectors.search_orders(
            queryset,
            number=data["order_number"],
            email=data["email"],
            name=data["name"],
            postcode=data["postcode"],
            phone=data["phone"],
            payment_intent=data["payment_intent"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            status=data["status"],
            user_id=data["customer"],
        )
        if data["product_title"]:
            queryset = queryset.filter(lines__title__istartswith=data["product_title"]).distinct()
        if data["upc"]:
            queryset = queryset.filter(lines__upc=data["upc"])
        if data["partner_sku"]:
            queryset = queryset.filter(lines__partner_sku=data["partner_sku"])
        if data["voucher"]:
            queryset = queryset.filter(discounts__voucher_code=data["voucher"]).distinct()
        if data["payment_method"]:
            queryset = queryset.filter(sources__source_type__code=data["payment_method"]).distinct()
        return queryset

    def get_search_filter_descriptions(self):
        descriptions = super().get_search_filter_descriptions()
        data = getattr(self.form, "cleaned_data", None) or {}
        labels = {
            "email": "Email contains",
            "postcode": "Postcode is",
            "phone": "Phone contains",
            "payment_intent": "PaymentIntent is",
            "customer": "Customer #",
        }
        for field, label in labels.items():
            if data.get(field):
                descriptions.append(f'{label} "{data[field]}"')
        return descriptions

    def download_selected_orders(self, request, orders):
        """Oscar's export, written spreadsheet-safe: names and emails are shopper-typed."""
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = (
            f"attachment; filename={self.get_download_filename(request)}"
        )
        writer = SafeUnicodeCSVWriter(open_file=response)
        writer.writerow(self.CSV_COLUMNS.values())
        for order in orders:
            values = self.get_row_values(order)
            writer.writerow([values.get(column, "") for column in self.CSV_COLUMNS])
        return response


CHOOSE_STATUS_MESSAGE = "Choose the new status; nothing was changed."
_EVENT_STATUS_MESSAGE = (
    "Dispatched and Delivered follow the shipping records: use Mark dispatched or Mark "
    "delivered on the order page (or the CSV upload), which also record the tracking number."
)


class OrderDetailView(views.OrderDetailView):
    template_name = "support/dashboard/order_detail.html"
    line_actions = (
        "change_line_statuses",
        "create_payment_event",
        "dispatch_lines",
        "deliver_lines",
    )

    def post(self, request, *args, **kwargs):
        # Oscar's permission for this URL is view_order; changing an order needs more.
        if not request.user.has_perm("order.change_order"):
            security_log.warning(
                "Denied: %s tried to change order %s (%s) without order.change_order",
                request.user.get_username(),
                kwargs.get("number"),
                request.POST.get("order_action") or request.POST.get("line_action"),
            )
            raise PermissionDenied("You don't have permission to change orders.")
        return super().post(request, *args, **kwargs)

    def handle_line_action(self, request, order, action):
        """Oscar's, with the ticked lines and quantities read by ``LineActionForm``."""
        if action not in self.line_actions:
            return self.reload_page(error="Unknown action; nothing was changed.")
        # Dispatch and delivery with no line ticked mean the whole order.
        if action in ("dispatch_lines", "deliver_lines") and not request.POST.getlist(
            "selected_line"
        ):
            return getattr(self, action)(request, order, None, None)
        form = LineActionForm(request.POST, lines=self.get_order_lines())
        if not form.is_valid():
            return self.reload_page(error=error_text(form))
        lines, quantities = form.chosen()
        return getattr(self, action)(request, order, lines, quantities)

    def delete_note(self, request, order):
        form = NoteIdForm(request.POST)
        if not form.is_valid():
            return self.reload_page(error=error_text(form))
        return super().delete_note(request, order)

    def create_order_payment_event(self, request, order):
        form = PaymentEventForm(request.POST)
        if not form.is_valid() or form.cleaned_data["amount"] is None:
            return self.reload_page(error=error_text(form) or "Enter the amount.")
        return self._create_payment_event(request, order, form.cleaned_data["amount"])

    def create_payment_event(self, request, order, lines, quantities):
        form = PaymentEventForm(request.POST)
        if not form.is_valid():
            return self.reload_page(error=error_text(form))
        return super().create_payment_event(request, order, lines, quantities)

    def get_order_status_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return OrderStatusForm(order=self.object, data=data)

    def change_order_status(self, request, order):
        form = self.get_order_status_form()
        if not form.is_valid():
            return self.reload_page(error=error_text(form))
        return super().change_order_status(request, order)

    def change_line_statuses(self, request, order, lines, quantities):
        new_status = request.POST.get("new_status", "").strip()
        if not new_status:
            return self.reload_page(error=CHOOSE_STATUS_MESSAGE)
        if new_status in fulfilment.EVENT_STATUSES:
            return self.reload_page(error=_EVENT_STATUS_MESSAGE)
        return super().change_line_statuses(request, order, lines, quantities)

    def dispatch_lines(self, request, order, lines, quantities):
        return self._ship(
            request,
            order,
            lines,
            lambda line_ids, on: fulfilment.record_dispatch(
                order=order,
                by=request.user,
                carrier=request.POST.get("carrier", ""),
                tracking_number=request.POST.get("tracking_number", "")[:100],
                line_ids=line_ids,
                dispatched_on=on,
            ),
            "dispatched_on",
        )

    def deliver_lines(self, request, order, lines, quantities):
        return self._ship(
            request,
            order,
            lines,
            lambda line_ids, on: fulfilment.record_delivery(
                order=order, by=request.user, line_ids=line_ids, delivered_on=on
            ),
            "delivered_on",
        )

    def _ship(self, request, order, lines, record, date_field):
        line_ids = None if lines is None else [line.pk for line in lines]
        try:
            outcome = record(line_ids, fulfilment.parse_date(request.POST.get(date_field, "")))
        except fulfilment.SupportError as exc:
            return self.reload_page(error=str(exc))
        messages.success(request, outcome.message)
        return self.reload_page()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order = self.object
        user = self.request.user
        ctx["line_statuses"] = fulfilment.manual_statuses(ctx["line_statuses"])
        ctx["carriers"] = carriers.CHOICES
        ctx["can_ship"] = user.has_perm(fulfilment.PERM_SHIP)
        ctx["support_shipments"] = selectors.order_shipments(order)
        ctx["support_refunds"] = selectors.refunds_for_order(order)
        ctx["support_returns"] = selectors.returns_for_customer(order)
        ctx["support_emails"] = [
            (link, outbox.status_label(link.email)) for link in outbox.order_emails(order)
        ]
        ctx["support_timeline"] = selectors.order_timeline(order)
        ctx["stripe_source"] = selectors.stripe_source(order)
        ctx["refundable_amount"] = selectors.refundable_amount(order)
        ctx["guarantee_window"] = selectors.guarantee_window(order)
        ctx["can_refund"] = user.has_perm("support.add_refund")
        ctx["can_change_order"] = user.has_perm("order.change_order")
        if ctx["can_refund"]:
            ctx["refund_form"] = RefundForm(order=order)
        return ctx
