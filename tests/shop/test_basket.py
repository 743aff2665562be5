"""The cart: adding, changing, removing, bad quantities, vouchers and offers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_voucher

from tests.factories import shop_sign_in

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")

pytestmark = pytest.mark.django_db


def messages_of(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def basket_of(client):
    return client.get("/shop/basket/").context["basket"]


def test_add_change_and_remove_a_line_and_the_mini_cart_follows(client, product):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 2})
    page = client.get("/shop/basket/")
    assert 'class="mini-cart-count">2<' in page.content.decode()
    line = basket_of(client).all_lines()[0]
    formset = {
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 1,
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "form-0-id": line.id,
        "form-0-quantity": 3,
    }
    client.post("/shop/basket/", formset)
    assert basket_of(client).num_items == 3
    client.post("/shop/basket/", {**formset, "form-0-quantity": 0})
    assert basket_of(client).num_items == 0


@pytest.mark.parametrize("quantity", ["-1", "0", "abc", "", "1e3", "99999999999999999999"])
def test_bad_quantities_are_refused_with_a_message(client, product, quantity):
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": quantity})
    assert response.status_code == 302
    assert messages_of(response)
    assert not Line.objects.exists()


def test_more_than_in_stock_is_refused(client, product):
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 11})
    assert "a maximum of 10 can be bought" in messages_of(response)
    assert not Line.objects.exists()


@pytest.mark.parametrize("quantity", ["-2", "abc", "99999999999999999999"])
def test_bad_quantity_when_changing_a_line_keeps_the_old_one(client, product, quantity):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    line = basket_of(client).all_lines()[0]
    response = client.post(
        "/shop/basket/",
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-MIN_NUM_FORMS": 0,
            "form-MAX_NUM_FORMS": 1000,
            "form-0-id": line.id,
            "form-0-quantity": quantity,
        },
    )
    assert response.status_code in (200, 302)
    line.refresh_from_db()
    assert line.quantity == 1


def test_unknown_product_id_is_404(client, db):
    assert client.post("/shop/basket/add/999999/", {"quantity": 1}).status_code == 404


def test_demo_voucher_shows_its_discount_in_the_cart(client, store_demo):
    from demo.shop import DEMO_VOUCHER_CODE

    product = store_demo[0]  # Pain Therapy System, $149.95
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    client.post("/shop/basket/vouchers/add/", {"code": DEMO_VOUCHER_CODE.lower()})
    basket = basket_of(client)
    assert basket.total_incl_tax == Decimal("134.96")  # 10% off, rounded by Oscar
    page = client.get("/shop/basket/").content.decode()
    assert DEMO_VOUCHER_CODE in page


def test_expired_voucher_is_refused_with_a_message(client, product):
    create_voucher(
        code="OLDNEWS",
        start_datetime=timezone.now() - timedelta(days=30),
        end_datetime=timezone.now() - timedelta(days=1),
    )
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    response = client.post("/shop/basket/vouchers/add/", {"code": "OLDNEWS"})
    assert "expired" in messages_of(response)
    assert not basket_of(client).vouchers.exists()


def test_unknown_voucher_is_refused_with_a_message(client, product):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    response = client.post("/shop/basket/vouchers/add/", {"code": "NOPE"})
    assert "No coupon found" in messages_of(response)


def test_site_offer_applies_to_three_accessories(client, store_demo):
    pads = store_demo[2]  # $19.95
    client.post(f"/shop/basket/add/{pads.pk}/", {"quantity": 3})
    basket = basket_of(client)
    assert basket.total_incl_tax == Decimal("50.87")  # 59.85 less 15%
    assert "Stock up" in client.get("/shop/basket/").content.decode()


def test_anonymous_cart_is_merged_into_the_account_cart_on_sign_in(
    client, product, django_user_model
):
    django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="pass-1234-word"
    )
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 2})
    shop_sign_in(client, "ada@example.com", "pass-1234-word")
    basket = basket_of(client)
    assert basket.owner.email == "ada@example.com"
    assert basket.num_items == 2
