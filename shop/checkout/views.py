"""Checkout views changed for Stripe; the rules they apply live in shop/payments/services.py.

- ``PaymentDetailsView``: the review page (lines, addresses, totals) with the card form.
  Oscar's "place order" POST would place an unpaid order, so it is only kept for baskets
  with nothing to pay, and then with the stock rows locked, as a paid order is.
- ``StripePayView``: receives the card token, asks the service to charge, answers JSON for
  static/js/checkout.js.
- ``StripeReturnView``: where the browser lands after 3-D Secure; re-reads the payment.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from oscar.apps.checkout import exceptions
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_class

from shop.payments import services
from shop.payments import stripe_gateway as gateway

SESSION_KEY = "stripe_payment_intents"
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
PAYMENT_INTENT_PATTERN = re.compile(r"^pi_[A-Za-z0-9_]{1,200}$")
PAY_PRE_CONDITIONS = [
    "check_basket_is_not_empty",
    "check_basket_is_valid",
    "check_user_email_is_captured",
    "check_shipping_data_is_captured",
]


def remember_payment_intent(request, payment_intent_id):
    """Only PaymentIntents started in this session may be completed from it."""
    known = [pi for pi in request.session.get(SESSION_KEY, []) if pi != payment_intent_id]
    request.session[SESSION_KEY] = (known + [payment_intent_id])[-10:]


def is_own_payment_intent(request, payment_intent_id):
    return payment_intent_id in request.session.get(SESSION_KEY, [])


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            payment_available=gateway.is_configured(),
            stripe_publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
            stripe_js_url=settings.STRIPE_JS_URL,
        )
        return ctx

    def handle_place_order_submission(self, request):
        submission = self.build_submission()
        total = submission["order_total"]
        if total is None or total.incl_tax > 0:
            messages.error(request, "Please pay by card to place your order.")
            return HttpResponseRedirect(reverse("checkout:payment-details"))
        # Nothing to charge, but the units are still sold once: the stock rows stay locked
        # until the order is placed, so a second shopper waits and is then turned away.
        with transaction.atomic():
            problems = services.stock_problems(submission["basket"], lock=True)
            if problems:
                messages.error(request, " ".join(problems))
                return HttpResponseRedirect(reverse("basket:summary"))
            return self.submit(**submission)


class StripePayView(oscar_views.OrderPlacementMixin, View):
    """POST ``token`` → JSON: ``redirect`` (done), ``client_secret`` (3-D Secure) or
    ``error`` (declined, out of stock, payment unavailable)."""

    pre_conditions = PAY_PRE_CONDITIONS
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        self.checkout_session = CheckoutSessionData(request)
        try:
            self.check_pre_conditions(request)
        except exceptions.FailedPreCondition as exc:
            for message in exc.messages:
                messages.warning(request, message)
            return JsonResponse({"error": "Your checkout needs attention.", "redirect": exc.url})
        return View.dispatch(self, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        submission = self.build_submission()
        if submission["shipping_method"] is None or submission["shipping_address"] is None:
            return JsonResponse(
                {
                    "error": "Please choose a shipping address and method again.",
                    "redirect": reverse("checkout:shipping-address"),
                }
            )
        details = services.CheckoutDetails(
            basket_id=request.basket.id,
            user_id=request.user.pk if request.user.is_authenticated else None,
            guest_email=self.checkout_session.get_guest_email() or "",
            shipping_address=services.address_fields(submission["shipping_address"]),
            shipping_method_code=submission["shipping_method"].code,
        )
        try:
            outcome = services.start_payment(
                details=details, token=request.POST.get("token", ""), request=request
            )
        except services.PaymentUnavailable as exc:
            return JsonResponse({"error": str(exc)}, status=503)
        except services.PaymentRefused as exc:
            return JsonResponse({"error": str(exc)}, status=402)

        payment = outcome.payment
        remember_payment_intent(request, payment.stripe_id)
        return_url = (
            reverse("checkout:stripe-return")
            + "?"
            + urlencode({"payment_intent": payment.stripe_id})
        )
        if outcome.order:
            finish_checkout(request, self.checkout_session, outcome.order)
            return JsonResponse({"redirect": reverse("checkout:thank-you")})
        if outcome.needs_authentication:
            return JsonResponse({"client_secret": outcome.client_secret, "return_url": return_url})
        return JsonResponse({"redirect": return_url})


class StripeReturnView(View):
    """GET ``?payment_intent=pi_…`` after 3-D Secure (or a replay of that URL)."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        payment_intent_id = request.GET.get("payment_intent", "")
        if not (
            PAYMENT_INTENT_PATTERN.match(payment_intent_id)
            and is_own_payment_intent(request, payment_intent_id)
        ):
            messages.error(request, "We could not find that payment. No order was placed.")
            return HttpResponseRedirect(reverse("basket:summary"))
        try:
            payment = services.complete_payment(
                payment_intent_id=payment_intent_id, request=request
            )
        except (gateway.GatewayError, services.PaymentRefused) as exc:
            messages.error(request, f"We could not confirm your payment: {exc}")
            return HttpResponseRedirect(reverse("checkout:payment-details"))
        if payment is None:
            messages.error(request, "We could not find that payment. No order was placed.")
            return HttpResponseRedirect(reverse("basket:summary"))
        if payment.order:
            finish_checkout(request, CheckoutSessionData(request), payment.order)
            return HttpResponseRedirect(reverse("checkout:thank-you"))
        if payment.status == payment.Status.REFUNDED:
            messages.error(request, payment.failure_message)
            return HttpResponseRedirect(reverse("basket:summary"))
        if payment.status == payment.Status.REQUIRES_ACTION:
            messages.warning(request, "Please complete your card's security check to pay.")
        else:
            messages.error(request, payment.failure_message or "Your payment did not go through.")
        return HttpResponseRedirect(reverse("checkout:payment-details"))


def finish_checkout(request, checkout_session, order):
    """What Oscar does after a successful order, minus the email (the service sends it)."""
    checkout_session.flush()
    request.session["checkout_order_id"] = order.id
