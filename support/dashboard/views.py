"""Support screens inside the Oscar dashboard: the returns queue, a return's page with its
actions, the refund form of an order, and dispatch and delivery of many orders (bulk and
CSV). Thin: the rules are in support/services.py and support/fulfilment.py."""

import io
import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from oscar.core.loading import get_model

from support import carriers, fulfilment, selectors, services, shipments_csv
from support.forms import RefundForm, ReturnQueueFilterForm, ShipmentUploadForm
from support.models import ReturnRequest

Order = get_model("order", "Order")
security_log = logging.getLogger("support.security")


class StaffPermissionMixin:
    """Staff with ``permission`` only. Others get a 403 page that says why; the attempt is
    logged. Per-action permissions (``action_permissions``) are checked on POST."""

    permission = ""
    action_permissions = {}

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("dashboard:login"))
        needed = self.permission
        if request.method == "POST":
            action = request.POST.get("action", "")
            needed = self.action_permissions.get(action, self.permission)
        if not (user.is_staff and user.is_active and user.has_perm(needed)):
            return self.forbidden(request, needed, kwargs)
        return super().dispatch(request, *args, **kwargs)

    def forbidden(self, request, permission, kwargs):
        security_log.warning(
            "Denied: %s %s %s without %s",
            request.user.get_username(),
            request.method,
            request.path,
            permission,
        )
        return render(
            request,
            "support/dashboard/forbidden.html",
            {"message": "You don't have permission to do this. Ask an administrator."},
            status=403,
        )


class ReturnQueueView(StaffPermissionMixin, View):
    permission = "support.view_returnrequest"

    def get(self, request):
        form = ReturnQueueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        returns = selectors.return_queue(**{k: v for k, v in filters.items() if v})
        return render(
            request,
            "support/dashboard/return_list.html",
            {"form": form, "returns": returns[:200], "statuses": ReturnRequest.Status},
        )


# What the staff member reads after each step of a return, as a sentence.
DONE_MESSAGES = {
    "approve": "Return {number} is approved; the customer has been emailed how to send it back.",
    "reject": "Return {number} is rejected; the customer has been emailed the reason.",
    "receive": "Return {number} is marked received; refund it when you've checked the items.",
    "refund": "Return {number} is refunded to the customer's card; they have been emailed.",
}


class ReturnDetailView(StaffPermissionMixin, View):
    permission = "support.view_returnrequest"
    action_permissions = {
        "approve": services.PERM_PROCESS_RETURN,
        "reject": services.PERM_PROCESS_RETURN,
        "receive": services.PERM_PROCESS_RETURN,
        "refund": services.PERM_REFUND,
    }

    def get(self, request, number, status=200):
        return_request = get_object_or_404(ReturnRequest, number=number)
        return render(
            request,
            "support/dashboard/return_detail.html",
            {
                "return_request": return_request,
                "order": return_request.order,
                "lines": return_request.lines.select_related("order_line"),
                "audit": return_request.audit_entries.select_related("actor"),
                "refund_key": RefundForm(order=return_request.order).initial["idempotency_key"],
            },
            status=status,
        )

    def post(self, request, number):
        return_request = get_object_or_404(ReturnRequest, number=number)
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.approve_return(return_request=return_request, by=request.user)
            elif action == "reject":
                services.reject_return(
                    return_request=return_request,
                    by=request.user,
                    note=request.POST.get("note", "")[:2000],
                )
            elif action == "receive":
                services.mark_received(return_request=return_request, by=request.user)
            elif action == "refund":
                services.refund_return(
                    return_request=return_request,
                    by=request.user,
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )
            else:
                messages.error(request, "Unknown action.")
                return self.get(request, number, status=400)
        except services.SupportError as exc:
            messages.error(request, str(exc))
            return self.get(request, number, status=409)
        messages.success(request, DONE_MESSAGES[action].format(number=number))
        return redirect("support:return-detail", number=number)


class OrderRefundView(StaffPermissionMixin, View):
    permission = services.PERM_REFUND

    def get(self, request, number):
        order = get_object_or_404(Order, number=number)
        return self.render_form(request, order, RefundForm(order=order))

    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        form = RefundForm(request.POST, order=order)
        if not form.is_valid():
            return self.render_form(request, order, form, status=400)
        data = form.cleaned_data
        try:
            refund = services.refund_order(
                order=order,
                by=request.user,
                idempotency_key=data["idempotency_key"],
                amount=data["amount"],
                line_ids=data["lines"],
                reason=data["reason"],
            )
        except services.SupportError as exc:
            form.add_error(None, str(exc))
            return self.render_form(request, order, form, status=400)
        messages.success(
            request, f"Refunded {refund.amount} {refund.currency} ({refund.stripe_refund_id})."
        )
        return redirect(reverse("dashboard:order-detail", kwargs={"number": order.number}))

    def render_form(self, request, order, form, status=200):
        return render(
            request,
            "support/dashboard/refund.html",
            {
                "order": order,
                "form": form,
                "refundable_amount": selectors.refundable_amount(order),
                "stripe_source": selectors.stripe_source(order),
                "refunds": selectors.refunds_for_order(order),
            },
            status=status,
        )


class OrderEmailResendView(StaffPermissionMixin, View):
    """The order page's "Resend": queues a fresh copy of one of the order's emails."""

    permission = "order.change_order"

    def post(self, request, number, email_id):
        order = get_object_or_404(Order, number=number)
        copy = services.resend_order_email(order=order, order_email_id=email_id, by=request.user)
        if copy is None:
            messages.error(request, "That email is not one of this order's.")
        else:
            messages.success(request, f"Email queued again for {', '.join(copy.email.to)}.")
        page = reverse("dashboard:order-detail", kwargs={"number": order.number})
        return redirect(f"{page}#emails")


class BulkShipmentView(StaffPermissionMixin, View):
    """The orders ticked in the order list, each with its own carrier and tracking number
    (dispatch) or date (delivery), recorded together with a report per order."""

    permission = fulfilment.PERM_SHIP

    def get(self, request):
        kind = _kind(request.GET.get("kind"))
        numbers = [n for n in request.GET.get("orders", "").split(",") if n.strip()][:200]
        orders = Order.objects.filter(number__in=numbers).order_by("number")
        return self.render_page(request, kind, orders)

    def post(self, request):
        kind = _kind(request.POST.get("kind"))
        numbers = request.POST.getlist("order_number")[:200]
        rows = [
            fulfilment.Row(
                row=index,
                order_number=number,
                carrier=request.POST.get(f"carrier_{number}", ""),
                tracking_number=request.POST.get(f"tracking_{number}", "")[:100],
                on=request.POST.get(f"on_{number}", "") or request.POST.get("on_all", ""),
            )
            for index, number in enumerate(numbers, start=1)
        ]
        if not rows:
            messages.error(request, "Choose some orders in the order list first.")
            return redirect("dashboard:order-list")
        report = fulfilment.apply_rows(kind=kind, rows=rows, by=request.user, source="bulk")
        orders = Order.objects.filter(number__in=numbers).order_by("number")
        return self.render_page(
            request, kind, orders, report=report, status=200 if not report.refused else 400
        )

    def render_page(self, request, kind, orders, report=None, status=200):
        return render(
            request,
            "support/dashboard/shipments_bulk.html",
            {
                "kind": kind,
                "orders": orders,
                "carriers": carriers.CHOICES,
                "report": report,
                "posted": request.POST,
            },
            status=status,
        )


class ShipmentUploadView(StaffPermissionMixin, View):
    """Upload a CSV of dispatches or deliveries; the page shows a line per row, and the
    report downloads as CSV."""

    permission = fulfilment.PERM_SHIP

    def get(self, request):
        return self.render_page(request, ShipmentUploadForm())

    def post(self, request):
        form = ShipmentUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        kind = form.cleaned_data["kind"]
        report = shipments_csv.apply(form.cleaned_data["file"].read(), kind=kind, by=request.user)
        if request.POST.get("format") == "csv":
            stream = io.StringIO()
            shipments_csv.write_report(report, stream)
            response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="shipments-report.csv"'
            return response
        status = 400 if report.error or report.refused else 200
        return self.render_page(request, form, report=report, status=status)

    def render_page(self, request, form, report=None, status=200):
        return render(
            request,
            "support/dashboard/shipments_upload.html",
            {
                "form": form,
                "report": report,
                "columns": shipments_csv.COLUMNS,
                "carriers": carriers.CARRIERS.values(),
            },
            status=status,
        )


def _kind(value):
    return fulfilment.DELIVERED if value == fulfilment.DELIVERED else fulfilment.DISPATCHED
