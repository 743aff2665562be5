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


def _to_payment(client, product, quantity, method):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": quantity})
    if not client.session.get("_auth_user_id"):
        client.post("/shop/checkout/", {"username": "guest@example.com", "options": "anonymous"})
    address = {k: v for k, v in US_ADDRESS.items() if k != "country_id"}
    response = client.post("/shop/checkout/shipping-address/", {**address, "country": "US"})
    assert response.status_code == 302, response.content[:2000]
    client.post("/shop/checkout/shipping-method/", {"method_code": method})
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
