"""Finding orders in the dashboard, and what an order's page shows support."""

import datetime

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from support import selectors, services
from tests.support.conftest import make_order, make_user

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(db, customer):
    ada = make_order(user=customer, postcode="62701", phone="+12175550123")
    guest = make_order(
        email="bob.guest@example.net", postcode="M5V 2T6", phone="+14165550199", name=("Bob", "Lee")
    )
    Order.objects.filter(pk=guest.pk).update(
        date_placed=timezone.now() - datetime.timedelta(days=40)
    )
    return ada, guest


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"email": "ada.shopper@example.com"}, ["ada"]),
        ({"email": "SHOPPER@"}, ["ada"]),
        ({"email": "guest@example"}, ["guest"]),
        ({"email": "example"}, ["ada", "guest"]),
        ({"name": "bob"}, ["guest"]),
        ({"name": "Ada Shop"}, ["ada"]),
        ({"postcode": "m5v 2t6"}, ["guest"]),
        ({"phone": "(217) 555-0123"}, ["ada"]),
        ({"phone": "416 555"}, ["guest"]),
        ({"status": "Paid"}, ["ada", "guest"]),
        ({"date_from": timezone.localdate() - datetime.timedelta(days=7)}, ["ada"]),
        ({"date_to": timezone.localdate() - datetime.timedelta(days=30)}, ["guest"]),
    ],
)
def test_search_orders_by_each_field(orders, filters, expected):
    ada, guest = orders
    found = set(selectors.search_orders(**filters))
    assert found == {{"ada": ada, "guest": guest}[name] for name in expected}


def test_search_by_number_and_payment_intent(orders):
    ada, guest = orders
    assert list(selectors.search_orders(number=guest.number)) == [guest]
    reference = guest.sources.get().reference
    assert list(selectors.search_orders(payment_intent=reference)) == [guest]


def test_dashboard_finds_orders_by_part_of_the_email(client, orders, agent):
    ada, guest = orders
    client.force_login(agent)
    response = client.get("/dashboard/orders/", {"email": "bob.guest"})
    assert response.status_code == 200
    assert list(response.context["orders"]) == [guest]
    assert "Email contains &quot;bob.guest&quot;" in response.content.decode()


def test_dashboard_lists_a_customers_orders_from_the_customer_page(client, orders, agent, customer):
    ada, _ = orders
    client.force_login(agent)
    page = client.get(f"/dashboard/users/{customer.pk}/")
    assert page.status_code == 200
    assert ada.number in page.content.decode()
    response = client.get("/dashboard/orders/", {"customer": customer.pk})
    assert list(response.context["orders"]) == [ada]


def test_dashboard_search_by_payment_intent_and_number_opens_the_order(client, orders, agent):
    _, guest = orders
    client.force_login(agent)
    reference = guest.sources.get().reference
    response = client.get("/dashboard/orders/", {"payment_intent": reference})
    assert list(response.context["orders"]) == [guest]
    response = client.get("/dashboard/orders/", {"order_number": guest.number})
    assert response.status_code == 302
    assert response.url == f"/dashboard/orders/{guest.number}/"


def test_bad_date_range_is_reported(client, orders, agent):
    client.force_login(agent)
    response = client.get(
        "/dashboard/orders/", {"date_from": "2025-05-02", "date_to": "2025-05-01"}
    )
    assert response.status_code == 200
    assert "start date must be before" in response.content.decode()


def test_order_page_shows_payment_refunds_returns_emails_and_timeline(client, agent):
    order = make_order(delivered_on=timezone.localdate(), payment_intent="pi_shown_on_page")
    return_request = services.request_return(
        order=order, line_ids=[order.lines.first().pk], reason="other", email="g@example.com"
    )
    services.approve_return(return_request=return_request, by=agent)
    client.force_login(agent)
    order.notes.create(user=agent, message="Customer called about delivery")
    body = client.get(f"/dashboard/orders/{order.number}/").content.decode()
    for expected in (
        "pi_shown_on_page",  # PaymentIntent id on the source and the payment event
        return_request.number,
        "Return requested",  # email sent
        "Return approved",
        "Customer called about delivery",
        f"Return {return_request.number} approved",  # timeline entry
        "agent",  # who
        "Device 1",
        "Springfield",  # address
    ):
        assert expected in body, expected


def test_order_status_change_needs_change_permission_even_with_view(client):
    order = make_order()
    viewer = make_user("staff", "viewer")
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(viewer)
    assert client.get(f"/dashboard/orders/{order.number}/").status_code == 200
    response = client.post(
        f"/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": "Cancelled"},
    )
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == "Paid"
