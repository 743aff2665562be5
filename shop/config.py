"""The Oscar storefront app config, forked to move the dashboard out of the shop URLs and to
add the Stripe webhook.

Oscar mounts its dashboard inside the storefront URL tree; this project serves the
storefront under ``/shop/`` and the dashboard at ``/dashboard/`` (see config/urls.py).
Stripe posts events to ``/shop/stripe/webhook/`` (shop/payments/views.py).
"""

from django.urls import path
from oscar import config


class Shop(config.Shop):
    def get_urls(self):
        from shop.payments.views import stripe_webhook

        urls = [url for url in super().get_urls() if "dashboard" not in str(url.pattern)]
        return urls + [path("stripe/webhook/", stripe_webhook, name="stripe-webhook")]
