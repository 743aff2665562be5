"""Faults a shopper causes: "Place order" pressed twice, the confirmation page refreshed,
the back button after paying. None of them creates a second order or a second charge."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from shop.payments.models import PaymentIntent
from tests.concurrency import run_together
from tests.shop.conftest import pay

Order = get_model("order", "Order")

VISA = "4242424242424242"
THANK_YOU = "/shop/checkout/thank-you/"


def charged():
    """PaymentIntents that reached Stripe."""
    return PaymentIntent.objects.exclude(stripe_id=None).count()


def same_browser(client):
    twin = Client()
    twin.cookies = client.cookies
    return twin


def post_together(clients, tokens):
    calls = [lambda c=c, t=t: pay(c, t) for c, t in zip(clients, tokens, strict=True)]
    return run_together(*calls, timeout=90)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_token", [True, False], ids=["same-token", "new-token"])
def test_place_order_pressed_twice_at_once_charges_once(localstripe, guest_checkout, same_token):
    client = guest_checkout()
    first = localstripe.payment_method(VISA)
    tokens = [first, first if same_token else localstripe.payment_method(VISA)]

    responses = post_together([client, same_browser(client)], tokens)

    assert Order.objects.count() == 1
    assert charged() == 1
    assert any(r.json().get("redirect") == THANK_YOU for r in responses), responses
    for response in responses:  # neither tells the shopper to pay again
        assert response.status_code in (200, 402), response.content
        if response.status_code == 402:
            assert "already" in response.json()["error"], response.json()


@pytest.mark.django_db
def test_refreshing_the_confirmation_page_places_no_second_order(localstripe, guest_checkout):
    client = guest_checkout()
    assert pay(client, localstripe.payment_method(VISA)).json() == {"redirect": THANK_YOU}
    order = Order.objects.get()
    for _ in range(3):
        page = client.get(THANK_YOU)
        assert page.status_code == 200
        assert order.number in page.content.decode()
    assert Order.objects.count() == 1
    assert charged() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("same_token", [True, False], ids=["same-token", "new-token"])
def test_back_button_after_paying_and_paying_again_charges_nothing(
    localstripe, guest_checkout, same_token
):
    client = guest_checkout()
    token = localstripe.payment_method(VISA)
    pay(client, token)
    assert Order.objects.count() == 1

    # Back to the payment page (from the browser's history) and "Pay" again.
    again = pay(client, token if same_token else localstripe.payment_method(VISA))

    assert again.status_code == 200
    assert again.json() == {"error": "Your checkout needs attention.", "redirect": "/shop/basket/"}
    assert Order.objects.count() == 1
    assert charged() == 1
