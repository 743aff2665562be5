"""Customer-facing pages: return requests (from the order page, in the account or as a
guest; the rules are in services.request_return), the order number + email look-up, and the
one order page every customer sees (selectors.order_page)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from oscar.core.loading import get_class, get_model

from config.security import client_ip
from support import selectors, services
from support.forms import GuestLookupForm, ReturnRequestForm
from support.models import ReturnRequest

Order = get_model("order", "Order")
OscarOrderDetailView = get_class("customer.views", "OrderDetailView")
security_log = logging.getLogger("support.security")

# Orders a guest has proved (number + email) in this session may be returned from it.
SESSION_KEY = "support_guest_orders"


@login_required
@require_http_methods(["GET", "POST"])
def account_return(request, number):
    order = Order.objects.filter(number=number, user=request.user).first()
    if order is None:
        if Order.objects.filter(number=number).exists():
            security_log.warning(
                "Denied: %s opened the return form of order %s, which is not theirs",
                request.user.get_username(),
                number,
            )
        raise Http404("No such order in your account.")
    return _return_form(request, order, customer=request.user, email=request.user.email)


NOT_FOUND = "We couldn't find an order with that number and email address."
TOO_MANY = "Too many look-ups from your connection; please try again in 15 minutes."
LOOKUP_WINDOW_SECONDS = 15 * 60


def _find_guest_order(request, form):
    """The order matching the form's number and email, remembered in the session; None
    with the same message for a wrong number and a wrong email, so nothing can be
    enumerated, and a limit on failed look-ups per address."""
    key = f"support:order-lookup:{client_ip(request)}"
    if (cache.get(key) or 0) >= settings.SUPPORT_ORDER_STATUS_LOOKUPS:
        form.add_error(None, TOO_MANY)
        return None
    email = form.cleaned_data["email"]
    order = Order.objects.filter(
        Q(guest_email__iexact=email) | Q(user__email__iexact=email),
        number=form.cleaned_data["order_number"].strip(),
    ).first()
    if order is None:
        if not cache.add(key, 1, LOOKUP_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.add(key, 1, LOOKUP_WINDOW_SECONDS)
        form.add_error(None, NOT_FOUND)
        return None
    _remember(request, order)
    return order


def _guest_lookup(request, *, then, template, context=None):
    """The order number + email form; a guest who proves an order goes on to ``then``."""
    form = GuestLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        order = _find_guest_order(request, form)
        if order is not None:
            return redirect(then, number=order.number)
    return render(
        request, template, {"form": form, **(context or {})}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def guest_lookup(request):
    return _guest_lookup(
        request,
        then="support:order-status",
        template="support/guest_lookup.html",
        context={"guarantee_days": settings.MONEY_BACK_GUARANTEE_DAYS},
    )


@require_http_methods(["GET", "POST"])
def guest_return(request, number):
    if number not in request.session.get(SESSION_KEY, []):
        return redirect("support:return-lookup")
    order = get_object_or_404(Order, number=number)
    email = order.guest_email or (order.user.email if order.user_id else "")
    return _return_form(request, order, customer=None, email=email)


def return_created(request, return_number):
    return_request = get_object_or_404(ReturnRequest, number=return_number)
    owns = request.user.is_authenticated and return_request.order.user_id == request.user.pk
    if not owns and return_request.order.number not in request.session.get(SESSION_KEY, []):
        raise Http404("No such return.")
    return render(
        request,
        "support/return_created.html",
        {
            "return_request": return_request,
            "order": return_request.order,
            "return_address": settings.SUPPORT_RETURN_ADDRESS,
        },
    )


def _return_form(request, order, *, customer, email):
    window = selectors.guarantee_window(order)
    form = ReturnRequestForm(request.POST or None, order=order)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                return_request = services.request_return(
                    order=order,
                    line_ids=form.cleaned_data["lines"],
                    reason=form.cleaned_data["reason"],
                    comments=form.cleaned_data["comments"],
                    email=email,
                    customer=customer,
                )
            except services.SupportError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Return {return_request.number} requested.")
                return redirect("support:return-created", return_number=return_request.number)
        status = 400
    return render(
        request,
        "support/return_request.html",
        {
            "order": order,
            "form": form,
            "window": window,
            "window_open": window.is_open(),
            "guarantee_days": settings.MONEY_BACK_GUARANTEE_DAYS,
            "returns": selectors.returns_for_customer(order),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def order_status_lookup(request):
    return _guest_lookup(
        request, then="support:order-status", template="support/order_status_lookup.html"
    )


# --- The one order page ---------------------------------------------------------------------
# Shown in the account (Oscar's customer:order URL, served here), to a guest through the
# signed link in the confirmation email and on the thank-you page (Oscar's customer:anon-order
# URL, served here, with no email form in between), and after the number + email look-up.

ORDER_PAGE = "support/order_page.html"


def _order_page_context(order, *, in_account):
    return {
        "order": order,
        "page": selectors.order_page(order, in_account=in_account),
        "guarantee_days": settings.MONEY_BACK_GUARANTEE_DAYS,
    }


def _render_order_page(request, order, *, in_account):
    return render(request, ORDER_PAGE, _order_page_context(order, in_account=in_account))


def _remember(request, order):
    """Let this session return items from ``order`` (guest_return checks this list)."""
    proved = request.session.get(SESSION_KEY, [])
    if order.number not in proved:
        request.session[SESSION_KEY] = [*proved, order.number][-20:]


@method_decorator([never_cache, login_required], name="dispatch")
class AccountOrderView(OscarOrderDetailView):
    """Oscar's account order page (its re-order action stays) drawn as the one order page."""

    def get_template_names(self):
        return [ORDER_PAGE]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **_order_page_context(self.object, in_account=True),
        }


def _owns(request, order):
    return request.user.is_authenticated and order.user_id == request.user.pk


@never_cache
def signed_order(request, order_number, hash):
    """The order page for whoever holds the signed link (Order.verification_hash)."""
    order = Order.objects.filter(number=order_number).first()
    if order is None or not order.check_verification_hash(hash):
        raise Http404("No such order.")
    _remember(request, order)
    return _render_order_page(request, order, in_account=_owns(request, order))


def signed_order_form(request, order_number, hash):
    """Oscar's email form in front of the signed page: the signature is proof enough."""
    return redirect("customer:anon-order", order_number=order_number, hash=hash)


@never_cache
def order_status(request, number):
    order = get_object_or_404(Order, number=number)
    owns = _owns(request, order)
    if not owns and number not in request.session.get(SESSION_KEY, []):
        return redirect("support:order-status-lookup")
    return _render_order_page(request, order, in_account=owns)


# --- Guest orders into the account (services.claim_guest_orders) ----------------------------


@login_required
@require_http_methods(["GET"])
def claim_orders(request, token):
    try:
        orders = services.claim_guest_orders(user=request.user, token=token)
    except services.ClaimRefused as exc:
        messages.error(request, str(exc))
    else:
        if orders:
            messages.success(
                request,
                f"{len(orders)} order{'s' if len(orders) != 1 else ''} added to your account.",
            )
        else:
            messages.info(request, "Your orders are already in your account.")
    return redirect("customer:order-list")


@login_required
@require_http_methods(["POST"])
def send_claim_link(request):
    if services.send_claim_link(user=request.user):
        messages.success(
            request,
            f"We've emailed {request.user.email} a link; open it to add your orders here.",
        )
    else:
        messages.info(request, f"We found no other orders placed with {request.user.email}.")
    return redirect("customer:order-list")
