"""A Stripe that hangs: every call is bounded, stock locks are released within the bound,
the shopper is told clearly, and the charge (if Stripe made it) is not lost.

Stripe is localstripe behind a small proxy that passes every request through except
creating a PaymentIntent, which it either never forwards (``hang``) or forwards and then
never answers (``swallow``: charged at Stripe, answer lost).
"""

import http.server
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from shop.payments import services
from shop.payments.intents import NO_ANSWER_MESSAGE
from shop.payments.models import PaymentIntent, ReconciliationEntry

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

VISA = "4242424242424242"
TIMEOUT = 1.0
RETRIES = 1
# One attempt, one retry, and the library's back-off (0.5-1 s) between them.
BOUND = (RETRIES + 1) * TIMEOUT + 1.0


class StuckStripe:
    def __init__(self, upstream, mode, path="/v1/payment_intents"):
        self.upstream = upstream
        self.mode = mode
        self.path = path
        self.stuck = threading.Event()  # a PaymentIntent create is being held
        self.release = threading.Event()
        self.creates = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self, body):
                request = urllib.request.Request(
                    proxy.upstream + self.path, data=body, method=self.command
                )
                for name in ("Authorization", "Content-Type", "Idempotency-Key", "Stripe-Version"):
                    if self.headers.get(name):
                        request.add_header(name, self.headers[name])
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        return response.status, response.read()
                except urllib.error.HTTPError as exc:
                    return exc.code, exc.read()

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if self.command == "POST" and self.path.rstrip("/") == proxy.path:
                    proxy.creates += 1
                    if proxy.mode == "swallow":
                        self._forward(body)
                    proxy.stuck.set()
                    proxy.release.wait(30)
                    return
                status, payload = self._forward(body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stuck_stripe(localstripe, settings):
    proxies = []

    def start(mode="hang"):
        proxy = StuckStripe(localstripe.base_url, mode)
        proxies.append(proxy)
        settings.STRIPE_API_BASE = proxy.url
        settings.STRIPE_TIMEOUT_SECONDS = TIMEOUT
        settings.STRIPE_MAX_NETWORK_RETRIES = RETRIES
        return proxy

    yield start
    for proxy in proxies:
        proxy.close()


@pytest.mark.django_db
def test_stripe_that_never_answers_gives_a_clear_message_within_the_bound(
    stuck_stripe, localstripe, product, make_basket, make_details
):
    stuck = stuck_stripe("hang")
    basket = make_basket((product, 1))
    started = time.monotonic()
    with pytest.raises(services.PaymentRefused) as refused:
        services.start_payment(
            details=make_details(basket), payment_method=localstripe.payment_method(VISA)
        )
    assert time.monotonic() - started < BOUND + 2
    assert str(refused.value) == NO_ANSWER_MESSAGE
    assert stuck.creates == RETRIES + 1  # retried, with the same idempotency key
    payment = PaymentIntent.objects.get()
    assert payment.status == PaymentIntent.Status.UNKNOWN
    assert payment.stripe_id is None
    assert not Order.objects.exists()
    basket.refresh_from_db()
    assert basket.status == basket.OPEN


@pytest.mark.django_db
def test_charge_whose_answer_was_lost_is_found_and_ordered_by_reconciliation(
    stuck_stripe, localstripe, settings, product, make_basket, make_details
):
    stuck_stripe("swallow")
    basket = make_basket((product, 1))
    with pytest.raises(services.PaymentRefused):
        services.start_payment(
            details=make_details(basket), payment_method=localstripe.payment_method(VISA)
        )
    payment = PaymentIntent.objects.get()
    assert payment.status == PaymentIntent.Status.UNKNOWN

    settings.STRIPE_API_BASE = localstripe.base_url  # Stripe answers again
    call_command("reconcile_payments", "--since", "1h", "--fix")

    payment.refresh_from_db()
    assert payment.order is not None, ReconciliationEntry.objects.values("detail")
    assert Order.objects.count() == 1
    entry = ReconciliationEntry.objects.get(payment_intent_id=payment.stripe_id)
    assert entry.action == ReconciliationEntry.Action.ORDER_PLACED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_stripe_that_hangs_holds_stock_locks_no_longer_than_the_bound(
    stuck_stripe, localstripe, make_basket, make_details
):
    stuck = stuck_stripe("hang")
    product = create_product(title="Last unit", price=Decimal("80.00"), num_in_stock=1)
    record = product.stockrecords.get()
    basket = make_basket((product, 1))
    details = make_details(basket)
    token = localstripe.payment_method(VISA)
    outcome = {}

    def shopper():
        try:
            services.start_payment(details=details, payment_method=token)
        except services.PaymentRefused as exc:
            outcome["message"] = str(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=shopper)
    thread.start()
    assert stuck.stuck.wait(15), "the PaymentIntent create never reached Stripe"
    stuck_at = time.monotonic()
    # A second, real connection (another shopper, or staff editing stock) wants the row.
    with transaction.atomic():
        StockRecord.objects.select_for_update().get(pk=record.pk)
        waited = time.monotonic() - stuck_at
    thread.join(30)

    assert 0.3 < waited < BOUND + 1, waited  # it was locked, and released within the bound
    assert outcome["message"] == NO_ANSWER_MESSAGE
    assert PaymentIntent.objects.get().status == PaymentIntent.Status.UNKNOWN
    assert not Order.objects.exists()
