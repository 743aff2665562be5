"""The low-risk forms of cached pages without a CSRF token: allowed from this site only."""

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from oscar.test.factories import create_product

SITE = "http://testserver"


@pytest.fixture
def product(db):
    return create_product(title="TENS unit", price=Decimal("49.00"), num_in_stock=10)


def _browser():
    """A browser without JavaScript: no CSRF cookie, no token in the form."""
    return Client(enforce_csrf_checks=True)


def _add(client, product, **headers):
    return client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, headers=headers)


def test_basket_add_without_token_from_this_site_is_accepted(product):
    assert _add(_browser(), product, origin=SITE).status_code == 302


def test_basket_add_without_origin_but_same_origin_fetch_metadata_is_accepted(product):
    assert _add(_browser(), product, sec_fetch_site="same-origin").status_code == 302


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"sec_fetch_site": "cross-site"},
        {"sec_fetch_site": "same-site"},  # a sibling subdomain is not this site
        {},  # neither header: nothing proves where the form came from
    ],
)
def test_cross_site_basket_add_without_token_is_refused(product, headers):
    response = _add(_browser(), product, **headers)
    assert response.status_code == 403
    assert "Please send that form again" in response.content.decode()


def test_cross_site_basket_add_is_refused_even_with_fetch_metadata_claiming_same_origin(
    product,
):
    # Browsers send Origin on every cross-site POST; when it is there it decides.
    response = _add(
        _browser(), product, origin="https://evil.example", sec_fetch_site="same-origin"
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_newsletter_sign_up_without_token_from_this_site_is_accepted():
    form = {"email": "reader@example.com", "source": "footer", "source_url": "/"}
    response = _browser().post("/newsletter/", form, headers={"origin": SITE})
    assert response.status_code == 200
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_newsletter_sign_up_from_another_site_is_refused():
    form = {"email": "victim@example.com", "source": "footer", "source_url": "/"}
    response = _browser().post("/newsletter/", form, headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    assert mail.outbox == []


@pytest.mark.django_db
def test_other_forms_still_need_the_token_and_the_403_page_says_what_to_do():
    response = _browser().post(
        "/shop/accounts/login/",
        {"login-username": "a@example.com", "login-password": "x", "login_submit": "Log In"},
        headers={"origin": SITE, "referer": SITE + "/shop/accounts/login/"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Reload the page" in html
    assert 'href="http://testserver/shop/accounts/login/"' in html  # back to the form
