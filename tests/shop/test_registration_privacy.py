"""Registration does not tell whether an email has an account (issue 24): a known and an
unknown email get the same status, redirect and page; the known address's owner is emailed
instead, and a new customer still gets the claim link for earlier guest orders."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.support.conftest import make_order

PASSWORD = "a-long-pass-phrase-42"
FORMS = {
    "sign-in page": (
        "/shop/accounts/login/",
        {
            "registration-password1": PASSWORD,
            "registration-password2": PASSWORD,
            "registration_submit": "Register",
        },
        "registration-email",
    ),
    "register page": (
        "/shop/accounts/register/",
        {"password1": PASSWORD, "password2": PASSWORD},
        "email",
    ),
}


def _register(client, form, email):
    url, data, email_field = FORMS[form]
    response = client.post(url, {**data, email_field: email})
    page = client.get(response["Location"]) if response.status_code == 302 else response
    text = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>|csrfmiddlewaretoken\S*", " ", page.content.decode())
    )
    return response.status_code, response.get("Location"), page.status_code, text


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_a_known_and_an_unknown_email_get_the_same_answer(client, form, django_user_model):
    owner = django_user_model.objects.create_user("ada", "ada@example.com", "her-own-pass-99")
    known = _register(client, form, "ADA@example.com")
    client.cookies.clear()
    unknown = _register(client, form, "nobody.yet@example.com")
    assert known[:3] == unknown[:3] == (302, known[1], 200)
    assert known[3] == unknown[3]
    assert "Check your email" in known[3]
    assert "already exists" not in known[3]
    # The owner is told; their account is unchanged and nobody is signed in.
    told = [m for m in mail.outbox if m.to == ["ada@example.com"]]
    assert len(told) == 1 and "tried to register" in told[0].subject
    assert "/shop/password-reset/" in told[0].body
    owner.refresh_from_db()
    assert owner.check_password("her-own-pass-99")
    assert django_user_model.objects.filter(email__iexact="ada@example.com").count() == 1
    assert get_user_model().objects.filter(email="nobody.yet@example.com").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_new_customer_still_gets_the_claim_link_for_earlier_guest_orders(client):
    make_order(email="pat.guest@example.com")
    mail.outbox.clear()
    _register(client, "register page", "pat.guest@example.com")
    assert [
        m
        for m in mail.outbox
        if m.to == ["pat.guest@example.com"] and "earlier orders" in m.subject
    ]
