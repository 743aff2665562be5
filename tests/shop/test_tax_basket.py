"""The basket shows estimated tax once the destination is known (chosen on the basket page,
or the signed-in shopper's default address); checkout shows the tax that is charged."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from shop.tax.seed import seed_rates
from tests.money import money_rows

UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")

D = Decimal
pytestmark = pytest.mark.django_db
BASKET = "/shop/basket/"
CHOOSE = "/shop/basket/tax-destination/"


@pytest.fixture
def device(db):
    seed_rates()
    return create_product(title="Pain Therapy System", price=Decimal("149.95"), num_in_stock=5)


@pytest.fixture
def with_device(client, device):
    client.post(f"/shop/basket/add/{device.pk}/", {"quantity": 1})
    return client


def test_basket_without_destination_says_tax_comes_at_checkout(with_device):
    page = with_device.get(BASKET).content.decode()
    assert money_rows(page)["Sales tax"] == "Calculated at checkout"
    assert money_rows(page)["Total"] == "$149.95 + tax"
    assert "Sales tax is added at checkout" in page


def test_choosing_new_york_shows_estimated_tax_and_total(with_device):
    with_device.get(BASKET)  # cached for the basket as it was
    response = with_device.post(CHOOSE, {"region": "US-NY", "postcode": "12207"})
    assert response.status_code == 302 and response["Location"] == BASKET
    page = with_device.get(BASKET).content.decode()
    # 149.95 × 4 % = 6.00; free standard shipping over $75
    assert "Tax estimated for shipping to New York" in page
    assert money_rows(page)["Sales tax 4%"] == "$6.00"
    assert money_rows(page)["Total"] == "$155.95"


def test_choosing_quebec_shows_both_taxes(with_device):
    with_device.post(CHOOSE, {"region": "CA-QC"})
    page = with_device.get(BASKET).content.decode()
    rows = money_rows(page)
    assert (rows["GST 5%"], rows["QST 9.975%"]) == ("$7.50", "$14.96")  # $22.46 in all


def test_a_zip_code_alone_picks_the_state_and_its_local_rate(with_device):
    with_device.post(CHOOSE, {"region": "", "postcode": "10001"})
    page = with_device.get(BASKET).content.decode()
    # 149.95 × 4 % = 6.00, × 4.5 % = 6.75, × 0.375 % = 0.56: 13.31 (8.875 % combined)
    rows = money_rows(page)
    assert rows["Sales tax 4%"] == "$6.00"
    assert rows["New York City sales tax 4.5%"] == "$6.75"
    assert rows["MCTD sales tax 0.375%"] == "$0.56"


def test_oregon_estimate_is_no_tax(with_device):
    with_device.post(CHOOSE, {"region": "US-OR"})
    page = with_device.get(BASKET).content.decode()
    assert "Tax estimated for shipping to Oregon (no sales tax)" in page
    assert money_rows(page)["Sales tax"] == "$0.00"


def test_signed_in_shopper_sees_the_estimate_for_their_default_address(client, device):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("ny", "ny@example.com", "pw-12345-long")
    UserAddress.objects.create(
        user=user,
        first_name="Ny",
        last_name="Shopper",
        line1="350 Fifth Avenue",
        line4="New York",
        state="NY",
        postcode="10118",
        country=Country.objects.get(iso_3166_1_a2="US"),
        is_default_for_shipping=True,
    )
    client.force_login(user)
    client.post(f"/shop/basket/add/{device.pk}/", {"quantity": 1})
    page = client.get(BASKET).content.decode()
    rows = money_rows(page)  # Manhattan: 8.875 % combined
    assert sum(D(a.strip("$")) for label, a in rows.items() if "%" in label) == D("13.31")


@pytest.mark.parametrize(
    "data",
    [
        {"region": "US-ZZ"},
        {"region": ""},
        {"region": "NY"},
        {"region": "x" * 5000},
        {"region": "US-NY", "postcode": "1" * 50},
        {"region": "", "postcode": "00000"},
        {"region": "", "postcode": "<script>"},
    ],
)
def test_bad_destination_is_refused_with_a_message(with_device, data):
    response = with_device.post(CHOOSE, data, follow=True)
    assert response.status_code == 200
    assert "Choose the state or province you are shipping to." in response.content.decode()
    assert "tax_destination" not in with_device.session


def test_destination_chooser_does_not_redirect_off_site(with_device):
    response = with_device.post(CHOOSE, {"region": "US-NY", "next": "https://evil.example/"})
    assert response["Location"] == BASKET


def test_destination_chooser_answers_get_with_405(client):
    assert client.get(CHOOSE).status_code == 405


def test_checkout_review_shows_the_tax_of_the_shipping_address(localstripe, client, device):
    from tests.shop.test_tax import address

    client.post(f"/shop/basket/add/{device.pk}/", {"quantity": 1})
    fields = {k: v for k, v in address("NY").items() if k != "country_id"}
    form = {**fields, "country": "US", "email": "ny@example.com", "shipping_method": "standard"}
    client.post("/shop/checkout/", {**form, "action": "update"})
    page = client.get("/shop/checkout/").content.decode()
    assert money_rows(page)["Sales tax 4%"] == "$6.00"
    assert money_rows(page)["Total"] == "$155.95"
    assert "Pay $155.95" in page
