"""What customers and staff read around a return: the next step by status, people by name
and email, staff messages as sentences, and the store's own logo in the dashboard."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from freezegun import freeze_time

from support import services
from support.models import ReturnRequest
from tests.support.conftest import PASSWORD, make_order, make_user


def _request(order, customer=None, email="guest.buyer@example.com"):
    with freeze_time("2025-03-10 12:00:00"):
        return services.request_return(
            order=order,
            line_ids=[order.lines.first().pk],
            reason="not_helping",
            email=email,
            customer=customer,
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, expected, not_expected",
    [
        ("new", "Once we approve the return", "We've refunded"),
        ("approved", "We've approved your return", "Once we approve the return"),
        ("received", "Your parcel is back with us", "Once we approve the return"),
        ("refunded", "We've refunded", "Once we approve the return"),
        ("rejected", "We couldn't accept this return", "Once we approve the return"),
    ],
)
def test_return_page_says_the_next_step_for_its_status(client, status, expected, not_expected):
    order = make_order(delivered_on=datetime.date(2025, 3, 1))
    return_request = _request(order)
    ReturnRequest.objects.filter(pk=return_request.pk).update(status=status)
    session = client.session
    session["support_guest_orders"] = [order.number]
    session.save()
    body = client.get(f"/returns/{return_request.number}/").content.decode().replace("&#x27;", "'")
    assert expected in body
    assert not_expected not in body


@pytest.mark.django_db
def test_return_history_names_the_customer_by_name_and_email_not_username(client):
    customer = get_user_model().objects.create_user(
        username="0BjffNSrVWQjKSv84S0MpN9fluo9Sr",
        email="ada.shopper@example.com",
        password=PASSWORD,
        first_name="Ada",
        last_name="Shopper",
    )
    order = make_order(user=customer, delivered_on=datetime.date(2025, 3, 1))
    return_request = _request(order, customer=customer, email=customer.email)
    client.force_login(make_user("support", "agent"))
    body = client.get(f"/dashboard/returns/{return_request.number}/").content.decode()
    assert "Ada Shopper (ada.shopper@example.com)" in body
    assert "0BjffNSrVWQjKSv84S0MpN9fluo9Sr" not in body


@pytest.mark.django_db
def test_staff_message_after_a_step_reads_as_a_sentence(client):
    order = make_order(delivered_on=datetime.date(2025, 3, 1))
    return_request = _request(order)
    client.force_login(make_user("support", "agent"))
    response = client.post(
        f"/dashboard/returns/{return_request.number}/", {"action": "approve"}, follow=True
    )
    body = response.content.decode()
    assert f"Return {return_request.number} is approved; the customer has been emailed" in body
    assert "done (approve)" not in body


@pytest.mark.django_db
def test_dashboard_shows_the_store_logo_not_oscars(client):
    client.force_login(make_user("support", "agent"))
    body = client.get("/dashboard/").content.decode()
    assert "css/dashboard" in body and "img/favicon" in body
    assert "oscar/favicon.ico" not in body
