"""The dashboard's order page: next valid statuses only, none preselected, no one-click
cancel (here or in the list), a tracking field that fits a UPS number, the emails' own tab."""

import re

import pytest
from oscar.core.loading import get_model

from tests.support.conftest import make_order, make_user

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(make_user("support", "agent"))
    return client


def _page(client, order):
    return client.get(f"/dashboard/orders/{order.number}/")


def test_status_form_offers_the_next_manual_statuses_with_none_selected(staff_client):
    order = make_order()
    page = _page(staff_client, order)
    form = page.context["order_status_form"]
    assert form.fields["new_status"].choices == [
        ("", "Choose the new status"),
        *[("Cancelled",) * 2],
    ]
    body = page.content.decode()
    select = re.search(r'<select name="new_status"[^>]*>(.*?)</select>', body, re.S).group(1)
    assert "selected" not in select.split("Cancelled")[0].split("<option")[-1]
    assert 'name="confirm_cancel"' in body


def test_cancel_without_confirmation_changes_nothing(staff_client):
    order = make_order()
    response = staff_client.post(
        f"/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": "Cancelled"},
        follow=True,
    )
    order.refresh_from_db()
    assert order.status == "Paid"
    assert "tick the box that confirms it" in response.content.decode()


def test_no_status_chosen_changes_nothing(staff_client):
    order = make_order()
    staff_client.post(
        f"/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": ""},
    )
    order.refresh_from_db()
    assert order.status == "Paid"


def test_confirmed_cancel_is_made_and_recorded(staff_client):
    order = make_order()
    staff_client.post(
        f"/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": "Cancelled", "confirm_cancel": "on"},
    )
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert order.status_changes.filter(new_status="Cancelled").exists()
    note = OrderNote.objects.get(order=order)
    assert note.user.username == "agent" and "Cancelled" in note.message


def test_cancel_needs_change_order_permission(client):
    order = make_order()
    client.force_login(make_user("staff", "viewer"))
    client.post(
        f"/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": "Cancelled", "confirm_cancel": "on"},
    )
    order.refresh_from_db()
    assert order.status == "Paid"


def test_bulk_cancel_from_the_list_needs_the_confirmation(staff_client):
    order = make_order()
    data = {
        "action": "change_order_statuses",
        "selected_order": [order.pk],
        "new_status": "Cancelled",
    }
    assert 'name="confirm_cancel"' in staff_client.get("/dashboard/orders/").content.decode()
    staff_client.post("/dashboard/orders/", data)
    order.refresh_from_db()
    assert order.status == "Paid"
    staff_client.post("/dashboard/orders/", {**data, "confirm_cancel": "1"})
    order.refresh_from_db()
    assert order.status == "Cancelled"


def test_tracking_field_fits_a_ups_number(staff_client):
    body = _page(staff_client, make_order()).content.decode()
    field = re.search(r'<input id="tracking_input"[^>]*>', body).group(0)
    assert int(re.search(r'size="(\d+)"', field).group(1)) >= len("1Z999AA10123456784")


def test_emails_have_their_own_tab(staff_client):
    body = _page(staff_client, make_order()).content.decode()
    assert re.search(r'<a [^>]*href="#emails"[^>]*role="tab"[^>]*>Emails</a>', body)
    emails_tab = body.split('id="emails"')[1].split('class="tab-pane')[0]
    assert 'data-testid="order-emails"' in emails_tab
    support_tab = body.split('id="support"')[1].split('id="emails"')[0]
    assert 'data-testid="order-emails"' not in support_tab
