"""Customer accounts: Oscar's pages render inside the site layout; emails go out."""

import pytest
from django.core import mail

from tests.factories import MONTREAL_ADDRESS_FORM, shop_sign_in

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = [
    "/shop/accounts/profile/",
    "/shop/accounts/profile/edit/",
    "/shop/accounts/addresses/",
    "/shop/accounts/addresses/add/",
    "/shop/accounts/orders/",
    "/shop/accounts/wishlists/",
    "/shop/accounts/change-password/",
]


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="pass-1234-word"
    )


def test_registration_creates_the_account_and_the_customer_signs_in_with_it(client):
    response = client.post(
        "/shop/accounts/login/",
        {
            "registration-email": "new@example.com",
            "registration-password1": "a-long-pass-phrase-42",
            "registration-password2": "a-long-pass-phrase-42",
            "registration_submit": "Register",
        },
    )
    assert response.status_code == 302
    # Not signed in by registering: a known email would not be (shop/registration.py).
    assert client.get("/shop/accounts/profile/").status_code == 302
    assert shop_sign_in(client, "new@example.com", "a-long-pass-phrase-42").status_code == 302
    assert client.get("/shop/accounts/profile/").context["user"].email == "new@example.com"


@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_account_pages_render_in_the_site_layout(client, customer, url):
    client.force_login(customer)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html and 'id="mini-cart"' in html


def test_sign_out_and_in_again(client, customer):
    client.force_login(customer)
    client.post("/shop/accounts/logout/")
    assert client.get("/shop/accounts/").status_code == 302
    response = shop_sign_in(client, "ada@example.com", "pass-1234-word")
    assert response.status_code == 302


def test_password_reset_sends_an_email(client, customer):
    response = client.post("/shop/password-reset/", {"email": "ada@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/shop/password-reset/confirm/" in mail.outbox[0].body


def test_address_book_accepts_a_canadian_address(client, customer):
    client.force_login(customer)
    response = client.post(
        "/shop/accounts/addresses/add/",
        {
            "first_name": "Ada",
            "last_name": "Shopper",
            **MONTREAL_ADDRESS_FORM,
        },
    )
    assert response.status_code == 302
    assert customer.addresses.get().country_id == "CA"
