"""Oscar's checkout, forked into one page paid with Stripe's Payment Element.

Changes: ``checkout:index`` is the whole checkout (views.CheckoutView: contact, address,
shipping method, payment, summary); ``quote/`` prices the address as it is typed (for the
page and the wallets); ``stripe/return/`` is where the browser comes back after 3-D Secure.
Oscar's step pages (gateway, shipping address, shipping method, payment, preview) lead to
the one page; the thank-you page is Oscar's own.
"""

from django.urls import path
from oscar.apps.checkout import apps
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.index_view = get_class("checkout.views", "CheckoutView")
        to_checkout = get_class("checkout.views", "ToCheckout")
        self.shipping_address_view = to_checkout
        self.user_address_update_view = to_checkout
        self.user_address_delete_view = to_checkout
        self.shipping_method_view = to_checkout
        self.payment_method_view = to_checkout
        self.payment_details_view = to_checkout
        self.quote_view = get_class("checkout.views", "QuoteView")
        self.stripe_return_view = get_class("checkout.views", "StripeReturnView")

    def get_urls(self):
        urls = super().get_urls()
        urls += self.post_process_urls(
            [
                path("quote/", self.quote_view.as_view(), name="quote"),
                path("stripe/return/", self.stripe_return_view.as_view(), name="stripe-return"),
            ]
        )
        return urls
