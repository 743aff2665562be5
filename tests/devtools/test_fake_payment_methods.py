"""The fake Stripe's Payment Element flow (devtools/fake_payment_methods.py), driven as the
store drives Stripe: the browser's calls with the publishable key, the server's through the
real stripe library. What a test here shows is what the checkout's tests may rely on."""

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
import stripe

from tests.stripe_server import PUBLISHABLE_KEY, SECRET_KEY

VISA = "4242424242424242"
DECLINED = "4000000000000002"
NO_FUNDS = "4000000000009995"
THREE_D_SECURE = "4000002500003155"
THREE_D_SECURE_ALWAYS = "4000000000003220"
FAILED_WEBHOOK = "payment_intent.payment_failed"


@pytest.fixture
def api(localstripe, monkeypatch):
    """The stripe library pointed at the fake, as shop/payments/stripe_gateway.py points it."""
    monkeypatch.setattr(stripe, "api_key", SECRET_KEY)
    monkeypatch.setattr(stripe, "api_base", localstripe.base_url)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    return localstripe


def browser_call(localstripe, method, path, data=None):
    """A request as Stripe.js makes it: form-encoded, the publishable key in the data."""
    data = {"key": PUBLISHABLE_KEY, **(data or {})}
    query = urllib.parse.urlencode(data)
    url = f"{localstripe.base_url}{path}"
    if method == "GET":
        request = urllib.request.Request(f"{url}?{query}")
    else:
        request = urllib.request.Request(url, data=query.encode(), method=method)
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def card_data(number, exp_month="12", exp_year="2034", **extra):
    return {
        "type": "card",
        "card[number]": number,
        "card[exp_month]": exp_month,
        "card[exp_year]": exp_year,
        "card[cvc]": "123",
        **extra,
    }


def pay(pm, **params):
    return stripe.PaymentIntent.create(
        amount=2500,
        currency="usd",
        payment_method=pm,
        confirm=True,
        automatic_payment_methods={"enabled": True},
        return_url="https://shop.test/checkout/return/",
        **params,
    )


def charge_ids():
    return {charge.id for charge in stripe.Charge.list(limit=100).data}


def last_month():
    today = datetime.date.today()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return str(first.month), str(first.year)


# PaymentMethods


@pytest.mark.parametrize(
    "number, brand",
    [
        (VISA, "visa"),
        ("5555555555554444", "mastercard"),
        ("2223003122003222", "mastercard"),
        ("6011111111111117", "discover"),
        ("3056930009020004", "unknown"),
    ],
)
def test_a_payment_method_is_created_with_the_publishable_key(api, number, brand):
    pm = stripe.PaymentMethod.retrieve(api.payment_method(number))
    assert pm.type == "card"
    assert pm.card.brand == brand
    assert pm.card.last4 == number[-4:]
    assert pm.card.wallet is None
    assert pm.customer is None


def test_a_wallet_card_says_which_wallet(api):
    pm = stripe.PaymentMethod.retrieve(api.payment_method(VISA, wallet="google_pay"))
    assert pm.card.wallet.to_dict() == {"type": "google_pay"}


def test_billing_details_are_kept(api):
    details = {
        "billing_details[name]": "Jordan Rivera",
        "billing_details[email]": "wallet.buyer@example.com",
        "billing_details[address][postal_code]": "60606",
    }
    status, pm = browser_call(api, "POST", "/v1/payment_methods", card_data(VISA, **details))
    assert status == 200
    assert pm["billing_details"]["name"] == "Jordan Rivera"
    assert pm["billing_details"]["address"]["postal_code"] == "60606"


def test_no_key_no_payment_method(api):
    request = urllib.request.Request(
        f"{api.base_url}/v1/payment_methods",
        data=urllib.parse.urlencode(card_data(VISA)).encode(),
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401


def test_an_expired_card_is_refused_to_stripe_js_but_not_to_the_secret_key(api):
    status, body = browser_call(
        api, "POST", "/v1/payment_methods", card_data(VISA, exp_month="12", exp_year="2020")
    )
    assert status == 402
    assert body["error"]["type"] == "card_error"
    assert body["error"]["code"] == "invalid_expiry_year"
    assert body["error"]["message"] == "Your card's expiration year is in the past."

    month, year = last_month()
    status, body = browser_call(
        api, "POST", "/v1/payment_methods", card_data(VISA, exp_month=month, exp_year=year)
    )
    assert (status, body["error"]["type"]) == (402, "card_error")

    pm = stripe.PaymentMethod.retrieve(api.payment_method(VISA, month, year, secret=True))
    assert (pm.card.exp_month, pm.card.exp_year) == (int(month), int(year))


def test_attach_list_and_detach(api):
    customer = stripe.Customer.create(email="saver@example.com")
    pm_id = api.payment_method(VISA)
    attached = stripe.PaymentMethod.attach(pm_id, customer=customer.id)
    assert (attached.id, attached.customer) == (pm_id, customer.id)
    listed = stripe.PaymentMethod.list(customer=customer.id, type="card")
    assert [pm.id for pm in listed.data] == [pm_id]

    detached = stripe.PaymentMethod.detach(pm_id)
    assert (detached.id, detached.customer) == (pm_id, None)
    assert stripe.PaymentMethod.list(customer=customer.id, type="card").data == []
    with pytest.raises(stripe.InvalidRequestError) as again:
        stripe.PaymentMethod.detach(pm_id)
    assert again.value.http_status == 400
    assert "not attached to a customer" in again.value.user_message


def test_a_card_declined_on_attaching_is_a_card_error(api):
    customer = stripe.Customer.create()
    with pytest.raises(stripe.CardError) as declined:
        stripe.PaymentMethod.attach(api.payment_method(DECLINED), customer=customer.id)
    assert declined.value.code == "card_declined"


# PaymentIntents created and confirmed on the server


def test_the_payment_element_fields_are_echoed(api):
    pi = stripe.PaymentIntent.create(
        amount=1000,
        currency="usd",
        setup_future_usage="off_session",
        return_url="https://shop.test/return/",
        automatic_payment_methods={"enabled": True},
        description="Order 100023",
        receipt_email="buyer@example.com",
        payment_method_types=["card"],
        metadata={"basket": "12"},
    )
    assert pi.status == "requires_payment_method"
    assert pi.setup_future_usage == "off_session"
    assert pi.return_url == "https://shop.test/return/"
    assert pi.automatic_payment_methods.to_dict() == {"enabled": True}
    assert (pi.description, pi.receipt_email) == ("Order 100023", "buyer@example.com")
    assert pi.payment_method_types == ["card"]
    assert pi.metadata.to_dict() == {"basket": "12"}


def test_a_card_payment_succeeds_and_says_so_by_webhook(api, localstripe_deliveries):
    pm = api.payment_method(VISA)
    pi = pay(pm, metadata={"order": "100023"}, off_session=False)
    assert pi.status == "succeeded"
    assert pi.payment_method == pm
    assert pi.latest_charge is not None
    assert pi.off_session is False
    localstripe_deliveries.wait_for("payment_intent.succeeded", pi.id)

    expanded = stripe.PaymentIntent.retrieve(pi.id, expand=["payment_method"])
    assert expanded.payment_method.id == pm
    assert expanded.payment_method.card.brand == "visa"


@pytest.mark.parametrize(
    "number, decline_code, message",
    [
        (DECLINED, "generic_decline", "Your card was declined."),
        (NO_FUNDS, "insufficient_funds", "Your card has insufficient funds."),
        ("4000000000000341", "generic_decline", "Your card was declined."),
    ],
)
def test_a_declined_card_is_a_card_error_carrying_the_payment_intent(
    api, localstripe_deliveries, number, decline_code, message
):
    with pytest.raises(stripe.CardError) as declined:
        pay(api.payment_method(number))
    error = declined.value
    assert (error.http_status, error.code, error.user_message) == (402, "card_declined", message)
    assert error.error.decline_code == decline_code
    pi = error.error.payment_intent
    assert pi.status == "requires_payment_method"
    assert pi.last_payment_error.code == "card_declined"
    assert pi.last_payment_error.decline_code == decline_code
    assert stripe.PaymentIntent.retrieve(pi.id).status == "requires_payment_method"
    localstripe_deliveries.wait_for(FAILED_WEBHOOK, pi.id)


def test_an_expired_saved_card_is_declined(api):
    customer = stripe.Customer.create()
    month, year = last_month()
    pm = api.payment_method(VISA, month, year, secret=True)
    stripe.PaymentMethod.attach(pm, customer=customer.id)
    with pytest.raises(stripe.CardError) as expired:
        pay(pm, customer=customer.id)
    assert expired.value.code == "expired_card"
    assert expired.value.user_message == "Your card has expired."
    assert expired.value.error.payment_intent.status == "requires_payment_method"


@pytest.mark.parametrize("number", [THREE_D_SECURE, THREE_D_SECURE_ALWAYS])
def test_a_3d_secure_card_needs_action_then_saves_for_the_customer(api, number):
    customer = stripe.Customer.create()
    pm = api.payment_method(number)
    pi = pay(pm, customer=customer.id, setup_future_usage="off_session")
    assert pi.status == "requires_action"
    assert pi.next_action.type == "use_stripe_sdk"
    assert stripe.PaymentMethod.retrieve(pm).customer is None

    done = api.authenticate(pi.client_secret)
    assert done["status"] == "succeeded"
    assert stripe.PaymentMethod.retrieve(pm).customer == customer.id


def test_a_card_declined_after_3d_secure(api, localstripe_deliveries):
    pi = pay(api.payment_method("4000008260003178"))
    assert pi.status == "requires_action"
    status, body = browser_call(
        api,
        "POST",
        f"/v1/payment_intents/{pi.id}/_authenticate?success=true",
        {"client_secret": pi.client_secret},
    )
    assert (status, body["error"]["type"]) == (402, "card_error")
    assert body["error"]["decline_code"] == "insufficient_funds"
    assert body["error"]["payment_intent"]["status"] == "requires_payment_method"
    localstripe_deliveries.wait_for(FAILED_WEBHOOK, pi.id)


def test_failed_authentication_asks_for_another_card(api, localstripe_deliveries):
    pi = pay(api.payment_method(THREE_D_SECURE))
    failed = api.authenticate(pi.client_secret, success=False)
    assert failed["status"] == "requires_payment_method"
    assert failed["last_payment_error"]["code"] == "payment_intent_authentication_failure"
    localstripe_deliveries.wait_for(FAILED_WEBHOOK, pi.id)


def test_a_3d_secure_card_off_session_needs_the_customer(api):
    customer = stripe.Customer.create()
    pm = api.payment_method(THREE_D_SECURE)
    stripe.PaymentMethod.attach(pm, customer=customer.id)
    with pytest.raises(stripe.CardError) as refused:
        pay(pm, customer=customer.id, off_session=True)
    assert refused.value.code == "authentication_required"
    assert refused.value.error.payment_intent.status == "requires_payment_method"


def test_saving_the_card_attaches_it_to_the_customer(api):
    customer = stripe.Customer.create()
    pm = api.payment_method(VISA)
    pi = pay(pm, customer=customer.id, setup_future_usage="off_session")
    assert pi.status == "succeeded"
    assert stripe.PaymentMethod.retrieve(pm).customer == customer.id
    again = pay(pm, customer=customer.id, off_session=True)
    assert again.status == "succeeded"


def test_a_payment_without_saving_leaves_the_card_unattached(api):
    customer = stripe.Customer.create()
    pm = api.payment_method(VISA)
    assert pay(pm, customer=customer.id).status == "succeeded"
    assert stripe.PaymentMethod.retrieve(pm).customer is None


@pytest.mark.parametrize("pi_customer", ["other", None])
def test_another_customers_card_is_refused_without_a_charge(api, pi_customer):
    owner, other = stripe.Customer.create(), stripe.Customer.create()
    pm = api.payment_method(VISA)
    stripe.PaymentMethod.attach(pm, customer=owner.id)
    before = charge_ids()
    params = {"customer": other.id} if pi_customer else {}
    with pytest.raises(stripe.InvalidRequestError) as refused:
        pay(pm, **params)
    assert refused.value.http_status == 400
    expected = "different Customer" if pi_customer else "previously attached to a Customer"
    assert expected in refused.value.user_message
    assert charge_ids() == before


def test_a_card_used_once_without_a_customer_cannot_be_used_again(api):
    pm = api.payment_method(VISA)
    assert pay(pm).status == "succeeded"
    before = charge_ids()
    with pytest.raises(stripe.InvalidRequestError) as refused:
        pay(pm)
    assert "It may not be used again." in refused.value.user_message
    assert charge_ids() == before


def test_a_detached_card_cannot_be_used_again(api):
    customer = stripe.Customer.create()
    pm = api.payment_method(VISA)
    stripe.PaymentMethod.attach(pm, customer=customer.id)
    stripe.PaymentMethod.detach(pm)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        pay(pm, customer=customer.id)
    assert "previously used" in refused.value.user_message


# Confirming an existing PaymentIntent (stripe.confirmPayment)


def test_confirm_with_a_payment_method(api):
    pi = stripe.PaymentIntent.create(amount=900, currency="usd")
    done = stripe.PaymentIntent.confirm(pi.id, payment_method=api.payment_method(VISA))
    assert done.status == "succeeded"


def test_stripe_js_confirms_and_reads_with_the_client_secret(api):
    pi = stripe.PaymentIntent.create(amount=900, currency="usd")
    pm = api.payment_method(THREE_D_SECURE)
    path = f"/v1/payment_intents/{pi.id}"
    status, _ = browser_call(api, "POST", f"{path}/confirm", {"payment_method": pm})
    assert status == 401
    status, confirmed = browser_call(
        api,
        "POST",
        f"{path}/confirm",
        {"payment_method": pm, "client_secret": pi.client_secret, "return_url": "https://x.test/"},
    )
    assert (status, confirmed["status"]) == (200, "requires_action")
    assert confirmed["return_url"] == "https://x.test/"

    status, read = browser_call(api, "GET", path, {"client_secret": pi.client_secret})
    assert (status, read["status"]) == (200, "requires_action")
    status, _ = browser_call(api, "GET", path, {"client_secret": "pi_nope_secret_nope"})
    assert status == 401


def test_stripe_js_confirm_with_a_declined_card(api):
    pi = stripe.PaymentIntent.create(amount=900, currency="usd")
    status, body = browser_call(
        api,
        "POST",
        f"/v1/payment_intents/{pi.id}/confirm",
        {"payment_method": api.payment_method(DECLINED), "client_secret": pi.client_secret},
    )
    assert (status, body["error"]["code"]) == (402, "card_declined")
    assert body["error"]["payment_intent"]["id"] == pi.id
    retry = stripe.PaymentIntent.confirm(pi.id, payment_method=api.payment_method(VISA))
    assert retry.status == "succeeded"
