"""Tell a running localstripe where to send webhooks: this site's Stripe endpoint.

localstripe has no Stripe "webhook endpoint" API; it takes ``POST /_config/webhooks/<id>``
with the URL, the signing secret and optionally the event types. Used by ``make run``
after starting ``python -m devtools.localstripe_server``.
"""

import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

WEBHOOK_ID = "reliefworks"
EVENT_TYPES = ["payment_intent.succeeded", "payment_intent.payment_failed"]


def register_webhook(*, api_base, url, secret, events=None, timeout=10.0):
    body = {"url": url, "secret": secret}
    if events is not None:
        body["events"] = events
    if not api_base.startswith(("http://", "https://")):
        raise CommandError(f"STRIPE_API_BASE must be an http(s) URL, not {api_base!r}.")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        f"{api_base.rstrip('/')}/_config/webhooks/{WEBHOOK_ID}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                return response.status
        except urllib.error.URLError:
            # localstripe may still be starting when `make run` calls us.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class Command(BaseCommand):
    help = "Register this site's Stripe webhook URL with a running localstripe."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="Base URL localstripe can reach this site on (default: SITE_URL).",
        )

    def handle(self, *args, site_url, **options):
        api_base = settings.STRIPE_API_BASE
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not api_base or not secret:
            raise CommandError("Set STRIPE_API_BASE (localstripe's URL) and STRIPE_WEBHOOK_SECRET.")
        url = site_url.rstrip("/") + reverse("stripe-webhook")
        try:
            register_webhook(api_base=api_base, url=url, secret=secret, events=EVENT_TYPES)
        except urllib.error.URLError as exc:
            raise CommandError(f"localstripe is not answering at {api_base}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"localstripe will post webhooks to {url}"))
