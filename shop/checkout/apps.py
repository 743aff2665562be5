"""Oscar's checkout, forked to take card payments with Stripe PaymentIntents.

Changes: the payment-details page becomes the order review with the card form
(views.PaymentDetailsView), and two URLs are added: ``stripe/pay/`` (the browser sends the
card token; the server charges) and ``stripe/return/`` (the browser comes back after 3-D
Secure). Everything else, from the guest/sign-in gateway to shipping, is Oscar's own.
"""

from django.urls import path
from oscar.apps.checkout import apps
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.stripe_pay_view = get_class("checkout.views", "StripePayView")
        self.stripe_return_view = get_class("checkout.views", "StripeReturnView")

    def get_urls(self):
        urls = super().get_urls()
        urls += self.post_process_urls(
            [
                path("stripe/pay/", self.stripe_pay_view.as_view(), name="stripe-pay"),
                path("stripe/return/", self.stripe_return_view.as_view(), name="stripe-return"),
            ]
        )
        return urls
