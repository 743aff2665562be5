"""Holes found by the outside sweep of issue 16, on the support side: the Django admin's
user list, ids beyond the database's range and non-ASCII digits in refund forms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from config.fields import MoneyField
from support.models import Refund
from tests.support.conftest import make_user, stripe_refunds

BEYOND_INT64 = "9223372036854775808"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["support", "shop_manager", "editor", "moderator", "staff"])
def test_only_superusers_see_users_and_groups_in_the_django_admin(client, role):
    customer = make_user("customer", "someone")
    client.force_login(make_user(role))
    for url in (
        "/django-admin/auth/user/",
        f"/django-admin/auth/user/{customer.pk}/change/",
        f"/django-admin/auth/user/{customer.pk}/password/",
        "/django-admin/auth/group/",
    ):
        response = client.get(url)
        assert response.status_code in (403, 302), url
        assert b"pbkdf2" not in response.content and b"md5" not in response.content
    index = client.get("/django-admin/")
    assert b"/django-admin/auth/user/" not in index.content


@pytest.mark.django_db
def test_superuser_still_manages_users_in_the_django_admin(client):
    customer = make_user("customer", "someone")
    client.force_login(make_user("superuser"))
    assert client.get("/django-admin/auth/user/").status_code == 200
    assert client.get(f"/django-admin/auth/user/{customer.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_support_keeps_the_dashboards_customer_pages(client):
    customer = make_user("customer", "someone")
    client.force_login(make_user("support"))
    assert client.get(reverse("dashboard:user-detail", args=[customer.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"lines": BEYOND_INT64},
        {"lines": "-1"},
        {"lines": "١٢"},
        {"amount": "9e999"},
        {"amount": "١٢"},
        {"amount": "12.00", "lines": BEYOND_INT64},
    ],
)
def test_hostile_refund_form_values_are_refused_with_400(client, paid_with_stripe, data):
    order = paid_with_stripe()
    client.force_login(make_user("support", "agent"))
    url = reverse("support:order-refund", kwargs={"number": order.number})
    response = client.post(url, {"idempotency_key": "k", **data})
    assert response.status_code == 400
    assert not Refund.objects.exists()
    assert stripe_refunds(order.sources.get().reference) == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("12", Decimal("12.00")), ("12.5", Decimal("12.50")), (" 0.99 ", Decimal("0.99"))],
)
def test_money_field_reads_ascii_amounts(typed, expected):
    assert MoneyField().clean(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["١٢", "１２", "12,50", "1e3", "NaN", "-Infinity", "12.5.0", "+12", "1 2", "\x0012", "0x10"],
)
def test_money_field_refuses_anything_but_ascii_digits_and_one_point(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        MoneyField().clean(typed)
