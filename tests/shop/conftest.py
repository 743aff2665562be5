"""Fixtures for store tests: products with stock, baskets, and checkout details."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_product

from shop.payments.services import CheckoutDetails
from tests.factories import shipping_address, site_wide_offer

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

US_ADDRESS = shipping_address()


@pytest.fixture
def product(db):
    return create_product(title="TENS unit", price=Decimal("49.00"), num_in_stock=10)


@pytest.fixture
def make_basket(db):
    """make_basket((product, quantity), ..., owner=None): an open basket with those lines."""

    def make(*items, owner=None):
        basket = Basket.objects.create(owner=owner)
        basket.strategy = Selector().strategy()
        for product, quantity in items:
            basket.add_product(product, quantity)
        return basket

    return make


@pytest.fixture
def make_details():
    """make_details(basket, user=None): what the shopper entered in checkout."""

    def make(basket, *, user=None, email="guest@example.com", method="standard"):
        return CheckoutDetails(
            basket_id=basket.id,
            user_id=user.pk if user else None,
            guest_email="" if user else email,
            shipping_address=dict(US_ADDRESS),
            shipping_method_code=method,
        )

    return make


@pytest.fixture
def guest_checkout(client, product):
    """Takes a shopper (a guest unless the client is signed in) to the review-and-pay step
    with ``product`` in the cart (x2 is $98, free standard shipping). Returns the client."""

    def go(quantity=2, method="standard", shopper=None):
        client_ = shopper or client
        return _to_payment(client_, product, quantity, method)

    return go


CHECKOUT_URL = "/shop/checkout/"


def checkout_form(method="standard", email="guest@example.com", **overrides):
    """The one-page checkout's fields as the shopper fills them (US_ADDRESS, standard)."""
    address = {k: v for k, v in US_ADDRESS.items() if k != "country_id"}
    return {
        **address,
        "country": US_ADDRESS["country_id"],
        "email": email,
        "shipping_method": method,
        **overrides,
    }


def pay(client, payment_method, *, saved=False, save_card=False, method="standard", **fields):
    """Press Pay as static/js/checkout.js does: the form, with the PaymentMethod Stripe.js
    made (or a saved card's id), posted for JSON."""
    data = {
        **checkout_form(method, **fields),
        "action": "pay",
        "card": payment_method if saved else "new",
        "payment_method": "" if saved else payment_method,
    }
    if save_card:
        data["save_card"] = "on"
    return client.post(CHECKOUT_URL, data, HTTP_ACCEPT="application/json")


def _to_payment(client, product, quantity, method):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": quantity})
    response = client.post(
        CHECKOUT_URL, {**checkout_form(method), "action": "update"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"saved": True, "fields": {}}, response.content[:2000]
    return client


@pytest.fixture
def store_demo(db):
    """Only the store's part of the demo data (demo/shop.py)."""
    from demo.shop import load_demo_catalogue

    return load_demo_catalogue()


@pytest.fixture(autouse=True)
def _shipping_countries(db):
    """US and Canada come from a data migration, which a flushed (reused) test database no
    longer has after a transactional test; make sure they are there."""
    from demo.shop import ensure_shipping_countries

    ensure_shipping_countries()


@pytest.fixture
def everything_free(db, settings):
    """A 100% site offer and free shipping: orders with nothing to pay."""
    site_wide_offer("Free for testing", 100)
    settings.SHOP_FREE_SHIPPING_THRESHOLD = Decimal("0")
