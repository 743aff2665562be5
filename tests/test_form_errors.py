"""Form errors are tied to their fields (aria-invalid, aria-describedby) and announced.

HTML is enough here; static/js/site.js moves focus to the first invalid field (or to the
form-wide error), and the card error is checked in the browser (tests/e2e/test_checkout_journey.py).
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from freezegun import freeze_time

from tests.support.conftest import make_order

PASSWORD = "a-long-pass-phrase-42"


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def assert_tied(soup, field_id, text):
    """The field is marked invalid and described by an element saying ``text``."""
    field = soup.find(id=field_id)
    assert field is not None, f"no #{field_id}"
    assert field.get("aria-invalid") == "true", field
    described = [soup.find(id=i) for i in field.get("aria-describedby", "").split()]
    said = " ".join(d.get_text(" ", strip=True) for d in described if d is not None)
    assert text in said, f"#{field_id} is described by {said!r}"


@pytest.mark.django_db
def test_sign_up_errors_are_tied_to_their_fields(client):
    response = client.post(
        "/shop/accounts/login/",
        {
            "registration-email": "not-an-email",
            "registration-password1": PASSWORD,
            "registration-password2": PASSWORD + "x",
            "registration_submit": "Register",
        },
    )
    soup = _soup(response)
    assert_tied(soup, "id_registration-email", "valid email")
    assert soup.select_one("[data-form-errors][role=alert]") is not None


@pytest.mark.django_db
def test_wrong_password_is_announced_and_focusable(client):
    get_user_model().objects.create_user("ada", "ada@example.com", PASSWORD)
    response = client.post(
        "/shop/accounts/login/",
        {
            "login-username": "ada@example.com",
            "login-password": "wrong-password",
            "login_submit": "Log In",
        },
    )
    summary = _soup(response).select_one("[data-form-errors]")
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"
    assert "correct username and password" in summary.get_text()


@pytest.mark.django_db
def test_newsletter_error_is_tied_to_the_email_field(client):
    response = client.post("/newsletter/", {"email": "nope", "source": "page"})
    assert response.status_code == 400
    assert_tied(_soup(response), "newsletter-email-page", "valid email")


@pytest.mark.django_db
def test_clinic_search_errors_are_tied_to_their_fields(client):
    response = client.get("/clinics/", {"q": "Springfield", "radius": "lots", "service": "x"})
    soup = _soup(response)
    assert_tied(soup, "id_radius", "whole number of miles")
    assert_tied(soup, "id_service", "know that service")


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_return_request_errors_are_tied_to_their_fields(client):
    customer = get_user_model().objects.create_user("ada", "ada@example.com", PASSWORD)
    order = make_order(user=customer, delivered_on=datetime.date(2025, 3, 1))
    client.force_login(customer)
    url = reverse("support:account-return", kwargs={"number": order.number})
    soup = _soup(client.post(url, {"comments": "Itchy"}))
    assert_tied(soup, "id_reason", "required")
    lines = soup.find("fieldset")
    errors = soup.find(id=lines["aria-describedby"])
    assert errors["role"] == "alert" and "Choose at least one item" in errors.get_text()


@pytest.mark.django_db
def test_order_lookup_errors_are_tied_to_their_fields(client):
    response = client.post(reverse("support:return-lookup"), {"order_number": "", "email": "x"})
    soup = _soup(response)
    assert_tied(soup, "id_order_number", "required")
