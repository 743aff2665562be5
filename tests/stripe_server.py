"""A localstripe server for the test suite (pytest plugin, see tests/conftest.py).

``localstripe`` (session scope) starts the fake Stripe on a free loopback port, points the
Stripe settings at it with test keys for the whole session, and stops it at the end.
Payment tests go through it for real: no mocking of the stripe library.
``localstripe_webhooks`` additionally makes localstripe post its events to the live server.
``localstripe_deliveries`` makes localstripe post its signed events to a small capturing
server instead, so a test can replay a real delivery (body and signature) to the site as
often as it likes, e.g. after a crash it injected.
"""

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "sk_test_localstripe"
PUBLISHABLE_KEY = "pk_test_localstripe"
WEBHOOK_SECRET = "whsec_localstripe_tests"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalStripe:
    """The running server, plus what a browser would do with Stripe.js."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.js_url = f"{base_url}/js.stripe.com/v3/"

    def _post(self, path, data, *, form=True):
        body = urllib.parse.urlencode(data) if form else json.dumps(data)
        request = urllib.request.Request(f"{self.base_url}{path}", data=body.encode())
        if form:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")

    def card_token(self, number, exp_month="12", exp_year="2034", cvc="123"):
        """stripe.createToken(cardElement) as Stripe.js does it, with the publishable key."""
        token = self._post(
            "/v1/tokens",
            {
                "card[number]": number,
                "card[exp_month]": exp_month,
                "card[exp_year]": exp_year,
                "card[cvc]": cvc,
                "key": PUBLISHABLE_KEY,
            },
        )
        return token["id"]

    def authenticate(self, client_secret, *, success=True):
        """stripe.confirmCardPayment(clientSecret): the 3-D Secure step, answered."""
        pi = client_secret.split("_secret_")[0]
        flag = "true" if success else "false"
        return self._post(
            f"/v1/payment_intents/{pi}/_authenticate?success={flag}",
            {"key": PUBLISHABLE_KEY, "client_secret": client_secret},
            form=False,
        )

    def payment_method(
        self, number, exp_month="12", exp_year="2034", cvc="123", *, wallet=None, secret=False
    ):
        """stripe.createPaymentMethod({elements}) as the Payment Element does it, with the
        publishable key; ``secret=True`` creates it with the secret key instead, which the
        fake allows for a card already expired (Stripe.js refuses one)."""
        data = {
            "type": "card",
            "card[number]": number,
            "card[exp_month]": exp_month,
            "card[exp_year]": exp_year,
            "card[cvc]": cvc,
        }
        if wallet:
            data["card[wallet]"] = wallet
        if not secret:
            data["key"] = PUBLISHABLE_KEY
        request = urllib.request.Request(
            f"{self.base_url}/v1/payment_methods", data=urllib.parse.urlencode(data).encode()
        )
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        if secret:
            request.add_header("Authorization", f"Bearer {SECRET_KEY}")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["id"]

    def register_webhook(self, url, events=None):
        data = {"url": url, "secret": WEBHOOK_SECRET}
        if events is not None:
            data["events"] = events
        self._post("/_config/webhooks/tests", data, form=False)

    def unregister_webhook(self):
        # localstripe cannot delete a webhook; point it at a closed port instead.
        self.register_webhook(f"http://127.0.0.1:{_free_port()}/", events=["none"])


def _wait_until_up(process, base_url, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/js.stripe.com/v3/", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("localstripe did not start in time")


@pytest.fixture(scope="session")
def localstripe():
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.localstripe_server", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(process, base_url)
        server = LocalStripe(base_url)
        with override_settings(
            STRIPE_SECRET_KEY=SECRET_KEY,
            STRIPE_PUBLISHABLE_KEY=PUBLISHABLE_KEY,
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            STRIPE_API_BASE=base_url,
            STRIPE_JS_URL=server.js_url,
        ):
            yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def localstripe_webhooks(localstripe, live_server):
    """localstripe posts its events to this test's live server while the test runs."""
    localstripe.register_webhook(f"{live_server.url}/shop/stripe/webhook/")
    yield localstripe
    localstripe.unregister_webhook()


class _Deliveries:
    """What localstripe posted: (body, Stripe-Signature header) pairs."""

    def __init__(self):
        self.received = []
        self.arrived = threading.Condition()

    def add(self, body, signature):
        with self.arrived:
            self.received.append((body, signature))
            self.arrived.notify_all()

    def wait_for(self, event_type, object_id, timeout=20.0):
        """The first delivery of ``event_type`` about ``object_id`` (waits for it)."""

        def find():
            for body, signature in self.received:
                event = json.loads(body)
                if event["type"] == event_type and event["data"]["object"]["id"] == object_id:
                    return body, signature
            return None

        with self.arrived:
            found = self.arrived.wait_for(find, timeout=timeout)
        if found is None:
            raise AssertionError(f"localstripe sent no {event_type} for {object_id}")
        return found


@pytest.fixture
def localstripe_deliveries(localstripe):
    deliveries = _Deliveries()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            deliveries.add(body, self.headers.get("Stripe-Signature", ""))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    localstripe.register_webhook(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        yield deliveries
    finally:
        localstripe.unregister_webhook()
        server.shutdown()
        server.server_close()
