"""The account in US English: a visible "Sign out" that says it worked, "Sign in" words, the
review form's missing-rating error, one date format, and addresses printed one way."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone
from oscar.core.loading import get_model

from shop.accounts import SIGNED_OUT_MESSAGE

UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")
ProductReview = get_model("reviews", "ProductReview")

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="pass-1234-word"
    )


def test_signed_in_header_has_a_sign_out_button(client, customer, product):
    client.force_login(customer)
    for url in ("/shop/accounts/profile/", product.get_absolute_url()):
        html = client.get(url).content.decode()
        form = re.search(r'<form class="sign-out-form[^>]*>.*?</form>', html, re.S)
        assert form, url
        assert 'method="post" action="/shop/accounts/logout/"' in form.group(0)
        assert 'name="csrfmiddlewaretoken"' in form.group(0)
        assert ">Sign out</button>" in form.group(0)


def test_anonymous_header_says_sign_in_not_sign_out(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    assert ">Sign in</a>" in html and "Sign out" not in html


def test_signing_out_says_so_and_signs_out(client, customer):
    client.force_login(customer)
    response = client.post("/shop/accounts/logout/", follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert SIGNED_OUT_MESSAGE in [str(message) for message in response.context["messages"]]
    assert "_auth_user_id" not in client.session
    assert client.get("/shop/accounts/").status_code == 302


def test_sign_out_needs_the_csrf_token(customer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    assert client.post("/shop/accounts/logout/").status_code == 403
    assert "_auth_user_id" in client.session


def test_sign_out_from_a_cached_page_without_javascript_needs_only_this_sites_origin(customer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    elsewhere = client.post("/shop/accounts/logout/", HTTP_ORIGIN="https://evil.example")
    assert elsewhere.status_code == 403 and "_auth_user_id" in client.session
    here = client.post("/shop/accounts/logout/", HTTP_ORIGIN="http://testserver")
    assert here.status_code == 302 and "_auth_user_id" not in client.session


def test_a_link_to_sign_out_asks_first_and_is_never_cached(client, customer):
    client.force_login(customer)
    response = client.get("/shop/accounts/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" in client.session
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert 'action="/shop/accounts/logout/"' in response.content.decode()


def test_sign_out_page_sends_a_signed_out_visitor_home(client):
    assert client.get("/shop/accounts/logout/")["Location"] == "/"


def test_sign_in_page_says_sign_in(client):
    html = client.get("/shop/accounts/login/").content.decode()
    assert "<h1>Sign in or create an account</h1>" in html
    assert ">Sign in</button>" in html
    for word in ("Log In", "Login", "Log in", "e-mail"):
        assert word not in html


def test_review_without_a_star_shows_a_field_error(client, customer, product):
    client.force_login(customer)
    url = f"/shop/catalogue/{product.slug}_{product.pk}/reviews/add/"
    form = client.get(url).content.decode()
    assert form.count('type="radio" name="score"') == 5 and "novalidate" in form
    response = client.post(url, {"title": "Works", "body": "Helped my back."})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_score_errors">Choose a rating from 1 to 5 stars.</span>' in html
    assert 'aria-invalid="true"' in html
    assert not ProductReview.objects.exists()


def test_review_with_a_star_is_saved(client, customer, product):
    client.force_login(customer)
    url = f"/shop/catalogue/{product.slug}_{product.pk}/reviews/add/"
    response = client.post(url, {"title": "Works", "score": "4", "body": "Helped my back."})
    assert response.status_code == 302
    assert ProductReview.objects.get().score == 4


def test_dates_read_month_day_year(client, customer):
    customer.date_joined = timezone.make_aware(datetime.datetime(2026, 9, 6, 15, 5))
    customer.save()
    client.force_login(customer)
    html = client.get("/shop/accounts/profile/").content.decode()
    assert "Sep 6, 2026, 3:05 PM" in html
    date = Template("{{ day|date }}").render(Context({"day": datetime.date(2026, 9, 6)}))
    assert date == "Sep 6, 2026"


def test_account_order_history_loads_jquery_before_the_date_picker(client, customer):
    client.force_login(customer)
    html = client.get("/shop/accounts/orders/").content.decode()
    jquery = html.index("oscar/js/jquery/jquery.min.js")
    picker = html.index("tempusdominus-bootstrap-4.min.js")
    assert jquery < picker
    assert not re.search(r'jquery\.min\.js"[^>]*defer', html)


ADDRESS = {
    "first_name": "Ada",
    "last_name": "Shopper",
    "line1": "350 Fifth Avenue",
    "line2": "Suite 100",
    "line4": "New York",
    "state": "NY",
    "postcode": "10118-0110",
    "country_id": "US",
    "phone_number": "+12125550100",
}


def test_an_address_prints_city_state_zip_and_a_us_phone():
    address = ShippingAddress(**ADDRESS)
    html = render_to_string("includes/address.html", {"address": address})
    text = [line.strip() for line in re.sub(r"<[^>]+>", "\n", html).splitlines() if line.strip()]
    assert text == [
        "Ada Shopper",
        "350 Fifth Avenue",
        "Suite 100",
        "New York, NY 10118-0110",
        "United States",
        "(212) 555-0100",
    ]
    plain = render_to_string("includes/address.txt", {"address": address})
    assert plain.splitlines() == text


def test_an_address_without_a_second_line_or_phone_prints_no_blank_lines():
    address = ShippingAddress(**{**ADDRESS, "line2": "", "phone_number": ""})
    plain = render_to_string("includes/address.txt", {"address": address})
    assert plain.splitlines() == [
        "Ada Shopper",
        "350 Fifth Avenue",
        "New York, NY 10118-0110",
        "United States",
    ]


def test_address_book_prints_addresses_the_store_way(client, customer):
    UserAddress.objects.create(user=customer, **ADDRESS)
    client.force_login(customer)
    html = client.get("/shop/accounts/addresses/").content.decode()
    assert "New York, NY 10118-0110" in html and "(212) 555-0100" in html
    assert "+12125550100" not in html
