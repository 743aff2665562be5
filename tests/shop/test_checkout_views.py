"""Checkout pages and the Stripe endpoints, through Django's test client and localstripe."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from oscar.core.loading import get_model

from shop.payments.models import PaymentIntent
from tests.factories import MONTREAL_ADDRESS_FORM
from tests.shop.conftest import CHECKOUT_URL, checkout_form, pay

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

VISA = "4242424242424242"
VISA_3DS = "4000002760003184"
DECLINED = "4000000000000002"
RETURN_URL = "/shop/checkout/stripe/return/"

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_one_page_shows_contact_address_methods_totals_and_the_payment_element(
    localstripe, guest_checkout
):
    client = guest_checkout()
    response = client.get(CHECKOUT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="payment-element"' in html
    assert 'id="express-checkout"' in html
    assert localstripe.js_url in html
    assert "Pay $98.00" in html
    assert "12 Main Street" in html  # the session's address, filled in
    assert 'name="email"' in html and "guest@example.com" in html
    assert "Standard shipping (3-7 business days): Free" in html
    assert "Express shipping (1-2 business days): $19.95" in html


def test_checkout_without_stripe_keys_says_payment_is_unavailable(settings, guest_checkout):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PUBLISHABLE_KEY = ""
    client = guest_checkout()
    response = client.get(CHECKOUT_URL)
    assert response.status_code == 200
    assert "Card payment is unavailable" in response.content.decode()
    assert 'id="payment-element"' not in response.content.decode()
    answer = pay(client, "pm_whatever")
    assert answer.status_code == 503
    assert not Order.objects.exists()


def test_express_shipping_is_priced_on_the_page(localstripe, guest_checkout):
    client = guest_checkout(quantity=1, method="express")
    response = client.get(CHECKOUT_URL)
    assert "Pay $68.95" in response.content.decode()  # 49.00 + 19.95 express


def test_canadian_address_is_accepted(localstripe, client, product):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    form = {**checkout_form(), "first_name": "Jo", "last_name": "Tremblay"}
    form.update(MONTREAL_ADDRESS_FORM)
    response = client.post(CHECKOUT_URL, {**form, "action": "update"})
    assert response.status_code == 200
    assert response.context["form"].is_valid(), response.context["form"].errors
    assert "USD" in response.content.decode()


def test_other_countries_are_not_shipped_to(client, product):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    response = client.get(CHECKOUT_URL)
    options = response.context["form"].fields["country"].queryset
    assert sorted(c.iso_3166_1_a2 for c in options) == ["CA", "US"]
    refused = pay(client, "pm_whatever", country="FR")
    assert refused.status_code == 400
    assert "country" in refused.json()["fields"]


@pytest.mark.parametrize(
    "step", ["shipping-address/", "shipping-method/", "payment-method/", "payment-details/"]
)
def test_oscars_step_pages_lead_to_the_one_page(client, product, step):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    response = client.get(CHECKOUT_URL + step)
    assert response.status_code == 302
    assert response["Location"] == CHECKOUT_URL


def test_paying_with_a_card_places_the_order_and_shows_the_thank_you_page(
    localstripe, guest_checkout, django_capture_on_commit_callbacks, mailoutbox
):
    client = guest_checkout()
    with django_capture_on_commit_callbacks(execute=True):
        response = pay(client, localstripe.payment_method(VISA))
    assert response.status_code == 200
    assert response.json() == {"redirect": "/shop/checkout/thank-you/"}
    order = Order.objects.get()
    page = client.get("/shop/checkout/thank-you/")
    assert order.number in page.content.decode()
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["guest@example.com"]
    assert order.number in email.subject
    assert "$98.00" in email.body and "12 Main Street" in email.body
    html = email.alternatives[0][0]
    assert order.number in html and "TENS unit" in html


def test_declined_card_answers_with_stripes_message_and_the_cart_survives(
    localstripe, guest_checkout
):
    client = guest_checkout()
    response = pay(client, localstripe.payment_method(DECLINED))
    assert response.status_code == 402
    assert response.json()["error"] == "Your card was declined."
    assert not Order.objects.exists()
    assert client.get("/shop/basket/").context["basket"].num_items == 2


def test_3ds_card_gets_a_client_secret_then_the_return_url_places_the_order(
    localstripe, guest_checkout
):
    client = guest_checkout()
    data = pay(client, localstripe.payment_method(VISA_3DS)).json()
    assert data["client_secret"].startswith("pi_")
    localstripe.authenticate(data["client_secret"])
    response = client.get(data["return_url"])
    assert response.status_code == 302
    assert response["Location"] == "/shop/checkout/thank-you/"
    assert Order.objects.count() == 1


def test_replayed_return_url_places_no_second_order(localstripe, guest_checkout):
    client = guest_checkout()
    data = pay(client, localstripe.payment_method(VISA_3DS)).json()
    localstripe.authenticate(data["client_secret"])
    for _ in range(3):
        response = client.get(data["return_url"])
        assert response["Location"] == "/shop/checkout/thank-you/"
    assert Order.objects.count() == 1


def test_return_url_before_authentication_asks_to_finish_it(localstripe, guest_checkout):
    client = guest_checkout()
    data = pay(client, localstripe.payment_method(VISA_3DS)).json()
    response = client.get(data["return_url"])
    assert response["Location"] == CHECKOUT_URL
    assert not Order.objects.exists()


def test_failed_authentication_returns_to_payment_with_a_message(localstripe, guest_checkout):
    client = guest_checkout()
    data = pay(client, localstripe.payment_method(VISA_3DS)).json()
    localstripe.authenticate(data["client_secret"], success=False)
    response = client.get(data["return_url"])
    assert response["Location"] == CHECKOUT_URL
    assert any("authentication" in m for m in messages_of(response))
    assert not any("PaymentMethod" in m for m in messages_of(response))
    assert any("you have not been charged" in m for m in messages_of(response))
    assert not Order.objects.exists()


@pytest.mark.parametrize("payment_intent", ["", "pi_madeup123", "'; drop table--", "x" * 500])
def test_tampered_payment_intent_on_the_return_url_places_nothing(
    localstripe, guest_checkout, payment_intent
):
    client = guest_checkout()
    response = client.get(RETURN_URL, {"payment_intent": payment_intent})
    assert response.status_code == 302
    assert any("could not find that payment" in m for m in messages_of(response))
    assert not Order.objects.exists()


def test_someone_elses_payment_intent_on_the_return_url_places_nothing(localstripe, guest_checkout):
    victim = guest_checkout()
    data = pay(victim, localstripe.payment_method(VISA_3DS)).json()
    localstripe.authenticate(data["client_secret"])
    attacker = Client()
    response = attacker.get(data["return_url"])
    assert response.status_code == 302
    assert not Order.objects.exists()
    assert PaymentIntent.objects.get().order is None


@pytest.mark.parametrize("payment_method", ["", "tok_visa", "src_123", "pm_" + "x" * 300, "pm_'--"])
def test_pay_without_a_payment_method_is_refused(localstripe, guest_checkout, payment_method):
    client = guest_checkout()
    response = pay(client, payment_method)
    assert response.status_code in (400, 402)  # a form error, or a refused card
    assert response.json()["error"]
    assert not PaymentIntent.objects.exists()


def test_pay_with_an_empty_cart_redirects_to_the_cart(localstripe, client):
    response = pay(client, "pm_x")
    assert response.json()["redirect"] == "/shop/basket/"


def test_pay_without_javascript_asks_for_it_and_charges_nothing(localstripe, guest_checkout):
    client = guest_checkout()
    response = client.post(CHECKOUT_URL, {**checkout_form(), "action": "pay", "card": "new"})
    assert response.status_code == 400
    assert "turn on JavaScript" in response.content.decode()
    assert not Order.objects.exists() and not PaymentIntent.objects.exists()


def test_signed_in_customer_sees_the_order_in_order_history(
    localstripe, client, guest_checkout, django_user_model
):
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="pass-1234-word"
    )
    client.force_login(user)
    guest_checkout(quantity=1)
    response = pay(client, localstripe.payment_method(VISA))
    assert response.json() == {"redirect": "/shop/checkout/thank-you/"}
    order = Order.objects.get()
    assert order.user == user
    assert order.total_incl_tax == Decimal("56.95")  # 49.00 + 7.95 standard shipping
    history = client.get("/shop/accounts/orders/")
    assert order.number in history.content.decode()
    detail = client.get(f"/shop/accounts/orders/{order.number}/")
    assert detail.status_code == 200
    assert "Paid" in detail.content.decode()


def test_order_with_nothing_to_pay_is_placed_without_a_card(guest_checkout, everything_free):
    client = guest_checkout(quantity=2)
    response = client.post(CHECKOUT_URL, {**checkout_form(), "action": "pay"})
    assert response.status_code == 302
    assert response["Location"] == "/shop/checkout/thank-you/"
    order = Order.objects.get()
    assert order.total_incl_tax == Decimal("0.00")
    assert order.lines.get().stockrecord.num_allocated == 2
    assert not PaymentIntent.objects.exists()


def test_order_with_nothing_to_pay_is_refused_when_stock_ran_out(
    guest_checkout, everything_free, product
):
    client = guest_checkout(quantity=2)
    record = product.stockrecords.get()
    record.num_in_stock = 1
    record.save()
    response = client.post(CHECKOUT_URL, {**checkout_form(), "action": "pay"})
    assert response.status_code == 302
    assert not Order.objects.exists()
    assert not product.stockrecords.get().num_allocated
