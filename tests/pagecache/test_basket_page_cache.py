"""The basket page is cached per basket state and never shows one visitor another's basket."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Voucher = get_model("voucher", "Voucher")
BASKET = "/shop/basket/"
QUANTITY = re.compile(
    r'name="form-0-quantity"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="form-0-quantity"'
)


def _visitor(upc="RW-PAD-4", quantity=1):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(BASKET)  # a session and a CSRF cookie, as a browser has
    product = Product.objects.get(upc=upc)
    token = visitor.cookies["csrftoken"].value
    visitor.post(
        f"/shop/basket/add/{product.pk}/",
        {"quantity": quantity, "csrfmiddlewaretoken": token},
    )
    return visitor


def _quantity(html):
    match = QUANTITY.search(html)
    return int(match.group(1) or match.group(2))


@pytest.mark.django_db
def test_basket_page_is_served_from_cache_for_the_same_basket(demo):
    visitor = _visitor(quantity=2)
    first = visitor.get(BASKET)
    assert first["X-Page-Cache"] == "miss-basket"
    second = visitor.get(BASKET)
    assert second["X-Page-Cache"] == "hit-basket"
    assert second["Cache-Control"] == "private"
    assert _quantity(second.content.decode()) == 2


@pytest.mark.django_db
def test_empty_basket_page_is_shared_by_visitors_without_a_basket(
    demo, client, django_assert_max_num_queries
):
    assert client.get(BASKET)["X-Page-Cache"] == "miss-basket"
    with django_assert_max_num_queries(3):
        again = Client().get(BASKET)
    assert again["X-Page-Cache"] == "hit-basket"
    assert "Your cart is empty" in again.content.decode()


@pytest.mark.django_db
def test_two_visitors_never_see_each_others_basket_page(demo):
    pads, device = _visitor("RW-PAD-4", 3), _visitor("RW-PTS-100", 1)
    for _ in range(2):  # rendered, then from the cache
        pads_html = pads.get(BASKET).content.decode()
        device_html = device.get(BASKET).content.decode()
        assert _quantity(pads_html) == 3 and _quantity(device_html) == 1
        assert "Pain Therapy System" not in pads_html.split("<main", 1)[1]
        assert '<span class="mini-cart-count">3</span>' in pads_html
        assert '<span class="mini-cart-count">1</span>' in device_html


@pytest.mark.django_db
def test_changing_the_quantity_shows_on_the_next_view(demo):
    visitor = _visitor(quantity=1)
    visitor.get(BASKET)
    html = visitor.get(BASKET).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    line_id = re.search(r'name="form-0-id" value="(\d+)"', html).group(1)
    response = visitor.post(
        BASKET,
        {
            "csrfmiddlewaretoken": token,
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": line_id,
            "form-0-quantity": "4",
        },
    )
    assert response.status_code == 302  # the cached page's form carried the visitor's token
    after = visitor.get(BASKET)
    assert after["X-Page-Cache"] == "miss-basket"
    assert _quantity(after.content.decode()) == 4


@pytest.mark.django_db
def test_cached_basket_page_carries_the_visitors_own_csrf_token(demo):
    first, second = _visitor(), _visitor()
    first.get(BASKET)
    for visitor in (first, second):
        html = visitor.get(BASKET).content.decode()
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html))
        assert tokens and "" not in tokens
    assert tokens != set(
        re.findall(
            r'name="csrfmiddlewaretoken" value="([^"]*)"', first.get(BASKET).content.decode()
        )
    )


@pytest.mark.django_db
def test_price_change_shows_on_the_basket_page(demo):
    visitor = _visitor(quantity=1)
    visitor.get(BASKET)
    assert "$19.95" in visitor.get(BASKET).content.decode()
    record = StockRecord.objects.get(product__upc="RW-PAD-4")
    record.price = Decimal("17.50")
    record.save()
    html = visitor.get(BASKET).content.decode()
    assert "$17.50" in html


@pytest.mark.django_db
def test_voucher_added_and_ended_shows_on_the_basket_page(demo):
    visitor = _visitor("RW-PTS-100", 1)
    html = visitor.get(BASKET).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    visitor.post("/shop/basket/vouchers/add/", {"code": "RELIEF10", "csrfmiddlewaretoken": token})
    assert "RELIEF10" in visitor.get(BASKET).content.decode()
    assert visitor.get(BASKET)["X-Page-Cache"] == "hit-basket"
    Voucher.objects.filter(code="RELIEF10").update(end_datetime="2000-01-01T00:00:00Z")
    Voucher.objects.get(code="RELIEF10").save()  # a staff edit, as the dashboard makes it
    assert visitor.get(BASKET)["X-Page-Cache"] == "miss-basket"


@pytest.mark.django_db
def test_signed_in_customer_gets_their_own_basket_page(demo, django_user_model):
    user = django_user_model.objects.create_user("shopper", "s@example.com", "pw-123456")
    anonymous = _visitor(quantity=2)
    anonymous.get(BASKET)
    customer = Client()
    customer.force_login(user)
    html = customer.get(BASKET).content.decode()
    assert "Your cart is empty" in html and "My account" in html
    assert "Your cart is empty" in customer.get(BASKET).content.decode()
