"""The Oscar storefront app config, forked to move the dashboard out of the shop URLs and to
add the Stripe webhook.

Oscar mounts its dashboard inside the storefront URL tree; this project serves the
storefront under ``/shop/`` and the dashboard at ``/dashboard/`` (see config/urls.py).
Stripe posts events to ``/shop/stripe/webhook/`` (shop/payments/views.py). Signing out
(``accounts/logout/``, the URL of Oscar's ``customer:logout``) is a POST with a message
(shop/accounts.py), answered here before Oscar's silent GET view. Both registration forms
(``accounts/login/``, ``accounts/register/``) are shop/registration.py's, which answer a known
and an unknown email alike.
"""

from django.urls import path
from oscar import config

from shop.accounts import SignOutView


class Shop(config.Shop):
    def get_urls(self):
        from shop.payments.views import SavedCardsView, stripe_webhook
        from shop.registration import RegistrationView, SignInOrRegisterView

        urls = [
            path("accounts/logout/", SignOutView.as_view(), name="sign-out"),
            path("accounts/login/", SignInOrRegisterView.as_view(), name="sign-in-or-register"),
            path("accounts/register/", RegistrationView.as_view(), name="registration"),
            path("accounts/cards/", SavedCardsView.as_view(), name="saved-cards"),
        ]
        urls += [url for url in super().get_urls() if "dashboard" not in str(url.pattern)]
        return urls + [path("stripe/webhook/", stripe_webhook, name="stripe-webhook")]
