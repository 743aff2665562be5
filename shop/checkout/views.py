"""The one-page checkout; the rules it applies live in shop/payments/ and shop/checkout/page.py.

- ``CheckoutView`` (``checkout:index``): contact, shipping address, shipping method,
  payment and the order summary on one page. Without JavaScript its form posts here:
  "Update" saves the details and shows the new totals; "Pay" pays with a saved card (or
  places an order with nothing to pay). With JavaScript static/js/checkout.js posts the
  same form, with the PaymentMethod Stripe.js made, and gets JSON back.
- ``QuoteView`` (``checkout:quote``): the summary, shipping methods and amount for the
  address as typed so far, for the page and for the wallets' address sheet.
- ``StripeReturnView``: where the browser lands after 3-D Secure; re-reads the payment.
- Oscar's step pages (shipping address, method, payment, preview) lead to the one page.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from oscar.apps.checkout import exceptions
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_class

from shop.payments import services
from shop.payments import stripe_gateway as gateway
from shop.payments.money import to_minor_units

from . import page

SESSION_KEY = "stripe_payment_intents"
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
PAYMENT_INTENT_PATTERN = re.compile(r"^pi_[A-Za-z0-9_]{1,200}$")
JS_NEEDED = (
    "To pay with a new card, please turn on JavaScript: the card form is Stripe's secure "
    "form and needs it. Your details are saved."
)


def remember_payment_intent(request, payment_intent_id):
    """Only PaymentIntents started in this session may be completed from it."""
    known = [pi for pi in request.session.get(SESSION_KEY, []) if pi != payment_intent_id]
    request.session[SESSION_KEY] = (known + [payment_intent_id])[-10:]


def is_own_payment_intent(request, payment_intent_id):
    return payment_intent_id in request.session.get(SESSION_KEY, [])


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


class CheckoutView(oscar_views.PaymentDetailsView):
    """One page from cart to paid. Subclasses Oscar's payment view for its session and
    order-placement mixins (used for orders with nothing to pay)."""

    template_name = "oscar/checkout/one_page.html"
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid"]
    skip_conditions = []

    def dispatch(self, request, *args, **kwargs):
        self.checkout_session = CheckoutSessionData(request)
        try:
            self.check_pre_conditions(request)
        except exceptions.FailedPreCondition as exc:
            for message in exc.messages:
                messages.warning(request, message)
            if wants_json(request):
                body = {"error": "Your checkout needs attention.", "redirect": exc.url}
                return JsonResponse(body)
            return HttpResponseRedirect(exc.url)
        return View.dispatch(self, request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        state = page.CheckoutPage.from_session(request, self.checkout_session)
        return self.render_page(state)

    def post(self, request, *args, **kwargs):
        state = page.CheckoutPage.from_post(request, self.checkout_session)
        if request.POST.get("action") != "pay":
            # "Update": keep what is valid, show the new totals and what needs fixing.
            state.save(self.checkout_session)
            if wants_json(request):
                return JsonResponse({"saved": True, "fields": state.errors()})
            return self.render_page(state)
        if not state.is_valid():
            return self.refuse(state, "Please check the highlighted details.", status=400)
        state.save(self.checkout_session)
        if state.amount_due <= 0:
            return self.place_free_order(state)
        payment_method, saved = state.payment.chosen()
        if not payment_method and not wants_json(request):
            return self.refuse(state, JS_NEEDED, status=400)
        return self.pay(state, payment_method, saved)

    # --- Pages and answers ---------------------------------------------------------------

    def render_page(self, state, status=200, error=""):
        context = self.get_context_data(state=state, payment_error=error)
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        state = kwargs["state"]
        return {
            **kwargs,
            **state.context(),
            "payment_available": gateway.is_configured(),
            "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "basket": self.request.basket,
        }

    def refuse(self, state, message, *, status, redirect_url=""):
        if wants_json(self.request):
            body = {"error": message, "fields": state.errors()}
            if redirect_url:
                body["redirect"] = redirect_url
            return JsonResponse(body, status=status)
        if redirect_url:
            messages.error(self.request, message)
            return HttpResponseRedirect(redirect_url)
        return self.render_page(state, status=status, error=message)

    def done(self, url):
        if wants_json(self.request):
            return JsonResponse({"redirect": url})
        return HttpResponseRedirect(url)

    # --- Paying --------------------------------------------------------------------------

    def pay(self, state, payment_method, saved):
        request = self.request
        return_url = request.build_absolute_uri(reverse("checkout:stripe-return"))
        try:
            outcome = services.start_payment(
                details=state.details(),
                payment_method=payment_method,
                saved=saved,
                save_card=state.save_card,
                return_url=return_url,
                request=request,
            )
        except services.PaymentUnavailable as exc:
            return self.refuse(state, str(exc), status=503)
        except services.PaymentRefused as exc:
            return self.refuse(state, str(exc), status=402)

        payment = outcome.payment
        remember_payment_intent(request, payment.stripe_id)
        query = urlencode({"payment_intent": payment.stripe_id})
        return_path = f"{reverse('checkout:stripe-return')}?{query}"
        if outcome.order:
            finish_checkout(request, self.checkout_session, outcome.order)
            return self.done(reverse("checkout:thank-you"))
        if outcome.needs_authentication:
            if not wants_json(request):
                return self.refuse(state, JS_NEEDED, status=400)
            return JsonResponse({"client_secret": outcome.client_secret, "return_url": return_path})
        return self.done(return_path)

    def place_free_order(self, state):
        """Nothing to charge, but the units are still sold once: the stock rows stay locked
        until the order is placed, so a second shopper waits and is then turned away."""
        submission = self.build_submission()
        total = submission["order_total"]
        if total is None or total.incl_tax > 0:
            return self.refuse(state, "Please pay by card to place your order.", status=400)
        with transaction.atomic():
            problems = services.stock_problems(submission["basket"], lock=True)
            if problems:
                return self.refuse(
                    state, " ".join(problems), status=409, redirect_url=reverse("basket:summary")
                )
            response = self.submit(**submission)
        if wants_json(self.request):
            return JsonResponse({"redirect": response["Location"]})
        return response


class QuoteView(View):
    """POST the checkout form as typed so far → the summary, the shipping methods and the
    amount in cents; also what the wallets' sheet needs (shipping rates, line items)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if request.basket.is_empty:
            return JsonResponse({"error": "Your cart is empty."}, status=409)
        # Prices only: the saved cards (a Stripe request) are not needed for a quote.
        state = page.CheckoutPage.from_post(request, CheckoutSessionData(request), cards=False)
        if not state.ships_there:
            return JsonResponse({"error": page.NOT_SHIPPED}, status=400)
        context = {**state.context(), "basket": request.basket, "request": request}
        summary = state.summary
        return JsonResponse(
            {
                "amount": to_minor_units(summary.total),
                "currency": summary.currency.lower(),
                "tax_known": summary.tax_known,
                "summary_html": render_to_string(
                    "oscar/checkout/partials/summary.html", context, request=request
                ),
                "methods_html": render_to_string(
                    "oscar/checkout/partials/shipping_methods.html", context, request=request
                ),
                "pay_label": render_to_string(
                    "oscar/checkout/partials/pay_label.txt", context
                ).strip(),
                "shipping_rates": state.shipping_rates(),
                "line_items": state.line_items(),
            }
        )


class ToCheckout(View):
    """Oscar's step pages: everything they asked is on the one page now."""

    preview = False  # Oscar passes it to its payment-details URLs

    def dispatch(self, request, *args, **kwargs):
        return redirect("checkout:index")


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
            return HttpResponseRedirect(reverse("checkout:index"))
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
        return HttpResponseRedirect(reverse("checkout:index"))


def finish_checkout(request, checkout_session, order):
    """What Oscar does after a successful order, minus the email (the service sends it)."""
    checkout_session.flush()
    request.session["checkout_order_id"] = order.id
