"""The fake Stripe.js (devtools/stripe_js/v3.js) in Chromium, on a small page of its own served
from another origin than the fake Stripe's, as the store's pages are: the Payment Element
and createPaymentMethod, the 3-D Secure dialog, and the Express Checkout Element's wallet
sheet from click to a wallet card."""

import functools
import http.server
import threading

import pytest
import stripe
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible
from tests.stripe_server import PUBLISHABLE_KEY, SECRET_KEY

pytestmark = pytest.mark.e2e

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Fake Stripe.js</title>
  <script src="{js_url}"></script>
</head>
<body>
<main>
  <h1>Fake Stripe.js</h1>
  <form><div id="payment-element"></div></form>
  <div id="express-checkout"></div>
</main>
<script>
  const stripe = Stripe("{key}");
  const options = {{mode: "payment", amount: 2500, currency: "usd"}};
  const elements = stripe.elements({{...options, paymentMethodCreation: "manual"}});
  const payment = elements.create("payment", {{layout: "tabs"}});
  window.seen = [];
  payment.on("ready", () => seen.push("payment ready"));
  payment.on("change", (event) => {{ window.lastChange = event; }});
  payment.mount("#payment-element");

  const walletElements = stripe.elements(options);
  const express = walletElements.create("expressCheckout", {{}});
  const rates = [
    {{id: "standard", displayName: "Standard", amount: 500}},
    {{id: "express", displayName: "Express", amount: 1500}},
  ];
  express.on("ready", (event) => seen.push(["express ready", event.availablePaymentMethods]));
  express.on("click", (event) => {{
    seen.push(["click", event.expressPaymentType]);
    event.resolve({{shippingAddressRequired: true, emailRequired: true, shippingRates: rates}});
  }});
  express.on("shippingaddresschange", (event) => {{
    seen.push(["shippingaddresschange", event.name, event.address]);
    if (window.refuseAddress) {{ event.reject(); return; }}
    setTimeout(() => event.resolve({{shippingRates: rates}}), 50);
  }});
  express.on("shippingratechange", (event) => {{
    seen.push(["shippingratechange", event.shippingRate.id]);
    event.resolve({{}});
  }});
  express.on("cancel", () => seen.push("cancel"));
  express.on("confirm", async (event) => {{
    seen.push(["confirm", event.expressPaymentType, event.shippingRate.id]);
    window.confirmed = {{billing: event.billingDetails, shipping: event.shippingAddress}};
    window.walletResult = await stripe.createPaymentMethod({{elements: walletElements}});
  }});
  express.mount("#express-checkout");
</script>
</body>
</html>
"""


@pytest.fixture
def api(localstripe, monkeypatch):
    monkeypatch.setattr(stripe, "api_key", SECRET_KEY)
    monkeypatch.setattr(stripe, "api_base", localstripe.base_url)
    return localstripe


@pytest.fixture
def test_page_url(localstripe, tmp_path):
    """The page above on a throwaway loopback server (another origin than the fake's)."""
    (tmp_path / "index.html").write_text(
        PAGE.format(js_url=localstripe.js_url, key=PUBLISHABLE_KEY)
    )

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def phone(browser):
    """A 390 px wide phone screen (assert_accessible adds axe-core to the page itself)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_the_fake_stripe_js_pays_by_card_3d_secure_and_wallet(api, test_page_url, phone):
    page = phone
    page.goto(test_page_url)
    expect(page.get_by_role("group", name="Card (test mode)")).to_be_visible()
    page.wait_for_function("window.seen.length >= 2")
    assert page.evaluate("window.seen")[:2] == [
        "payment ready",
        ["express ready", {"applePay": False, "googlePay": True, "link": False}],
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, every_impact=True)

    # An incomplete card: submit() says what is missing, next to the input.
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    error = page.evaluate("elements.submit()")["error"]
    assert error["type"] == "validation_error"
    assert error["message"] == "Your card's expiration date is incomplete."
    expect(page.locator("#fake-stripe-card-error")).to_have_text(error["message"])
    assert page.evaluate("lastChange.complete") is False

    # A whole card: a PaymentMethod from createPaymentMethod({elements}).
    for expiry in ("1234", "12/34", "12 / 34"):
        page.get_by_label("Expiration date (MM / YY)").fill(expiry)
        assert page.evaluate("elements.submit()")["error"]["code"] == "incomplete_cvc"
    page.get_by_label("Security code").fill("123")
    assert page.evaluate("lastChange") == {
        "elementType": "payment",
        "complete": True,
        "empty": False,
        "collapsed": False,
        "value": {"type": "card"},
    }
    made = page.evaluate(
        """async () => {
          const submitted = await elements.submit();
          return [submitted, await stripe.createPaymentMethod({elements})];
        }"""
    )
    assert made[0] == {}
    pm = made[1]["paymentMethod"]
    assert (pm["card"]["brand"], pm["card"]["last4"], pm["card"]["exp_year"]) == (
        "visa",
        "4242",
        2034,
    )

    # 3-D Secure: the server created and confirmed the PaymentIntent, the page finishes it.
    pi = stripe.PaymentIntent.create(
        amount=2500,
        currency="usd",
        payment_method=api.payment_method("4000002500003155"),
        confirm=True,
        return_url="https://shop.test/return/",
    )
    assert pi.status == "requires_action"
    page.evaluate(
        "secret => { window.action = stripe.handleNextAction({clientSecret: secret}); }",
        pi.client_secret,
    )
    dialog = page.get_by_role("dialog", name="Test 3-D Secure")
    expect(dialog).to_be_visible()
    assert_accessible(page, every_impact=True)
    dialog.get_by_role("button", name="Complete authentication").click()
    expect(dialog).to_have_count(0)
    assert page.evaluate("window.action")["paymentIntent"]["status"] == "succeeded"
    assert stripe.PaymentIntent.retrieve(pi.id).status == "succeeded"

    # Refusing authentication is a card_error, as Stripe.js answers it.
    pi = stripe.PaymentIntent.create(
        amount=2500,
        currency="usd",
        payment_method=api.payment_method("4000000000003220"),
        confirm=True,
    )
    page.evaluate(
        "secret => { window.action = stripe.handleNextAction({clientSecret: secret}); }",
        pi.client_secret,
    )
    dialog.get_by_role("button", name="Fail authentication").click()
    assert (
        page.evaluate("window.action")["error"]["code"] == "payment_intent_authentication_failure"
    )

    # confirmPayment with the Payment Element, no action needed: no redirect either.
    pi = stripe.PaymentIntent.create(amount=2500, currency="usd")
    confirmed = page.evaluate(
        """async secret => {
          await elements.submit();
          return stripe.confirmPayment({elements, clientSecret: secret, redirect: "if_required",
            confirmParams: {return_url: location.href}});
        }""",
        pi.client_secret,
    )
    assert confirmed["paymentIntent"]["status"] == "succeeded"

    # The wallet: click, address, rate, confirm, and a wallet card from the same call.
    page.evaluate("window.seen = []")
    page.get_by_role("button", name="Pay with test wallet").click()
    page.wait_for_function("window.walletResult !== undefined")
    assert page.evaluate("window.seen") == [
        ["click", "google_pay"],
        [
            "shippingaddresschange",
            "Jordan Rivera",
            {"city": "Chicago", "state": "IL", "postal_code": "60606", "country": "US"},
        ],
        ["shippingratechange", "standard"],
        ["confirm", "google_pay", "standard"],
    ]
    confirmed = page.evaluate("window.confirmed")
    assert confirmed["billing"]["email"] == "wallet.buyer@example.com"
    assert "phone" not in confirmed["billing"]  # not asked for
    assert confirmed["shipping"]["address"]["line1"] == "233 S Wacker Dr"
    wallet_pm = page.evaluate("window.walletResult")["paymentMethod"]
    assert wallet_pm["card"]["wallet"] == {"type": "google_pay"}
    assert wallet_pm["billing_details"]["name"] == "Jordan Rivera"

    # A buyer of the test's own, with a rate of their choice; then an address refused.
    page.evaluate(
        """() => {
          window.seen = [];
          window.walletResult = undefined;
          window.fakeStripeWallet = {name: "Sam Lee", card: "5555555555554444",
            shippingRateId: "express", address: {city: "Toronto", state: "ON",
            postal_code: "M5V 2T6", country: "CA", line1: "1 Front St W"}};
        }"""
    )
    page.get_by_role("button", name="Pay with test wallet").click()
    page.wait_for_function("window.walletResult !== undefined")
    assert page.evaluate("window.seen")[2] == ["shippingratechange", "express"]
    wallet_pm = page.evaluate("window.walletResult")["paymentMethod"]
    assert (wallet_pm["card"]["brand"], wallet_pm["billing_details"]["name"]) == (
        "mastercard",
        "Sam Lee",
    )
    assert wallet_pm["billing_details"]["address"]["city"] == "Toronto"

    page.evaluate("window.seen = []; window.refuseAddress = true")
    page.get_by_role("button", name="Pay with test wallet").click()
    expect(page.get_by_text("This wallet address cannot be used.")).to_be_visible()
    assert page.evaluate("window.seen")[-1] == "cancel"
