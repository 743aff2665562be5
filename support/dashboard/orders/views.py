"""The forked order list and order page (see apps.py in this package for what changes)."""

import logging

from django.core.exceptions import PermissionDenied
from oscar.apps.dashboard.orders import views
from oscar.views import sort_queryset

from outbox import services as outbox
from support import selectors
from support.forms import RefundForm

security_log = logging.getLogger("support.security")


class OrderListView(views.OrderListView):
    template_name = "support/dashboard/order_list.html"

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


class OrderDetailView(views.OrderDetailView):
    template_name = "support/dashboard/order_detail.html"

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

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order = self.object
        user = self.request.user
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
