"""The Django admin cannot move an order past the workflow (issue 24): for everyone but
superusers Oscar's order records are read-only there, and the page says to use the
dashboard, where dispatch and delivery record shipping events, email and audit."""

import pytest

from tests.support.conftest import make_order, make_user


@pytest.mark.django_db
def test_support_cannot_change_an_orders_status_date_or_email_in_the_django_admin(client):
    order = make_order(email="guest.buyer@example.com")
    before = (order.status, order.date_placed, order.guest_email)
    client.force_login(make_user("support", "agent"))
    url = f"/django-admin/order/order/{order.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert "through the dashboard&#x27;s workflow" in page.content.decode()
    assert f"/dashboard/orders/{order.number}/" in page.content.decode()
    assert "read-only" in page.content.decode()
    posted = client.post(
        url,
        {
            "status": "Delivered",
            "guest_email": "attacker@example.com",
            "date_placed_0": "2020-01-01",
            "date_placed_1": "00:00:00",
        },
    )
    assert posted.status_code == 403
    order.refresh_from_db()
    assert (order.status, order.date_placed, order.guest_email) == before
    assert not order.shipping_events.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["line", "shippingevent", "paymentevent"])
def test_order_records_offer_support_no_add_or_delete_in_the_django_admin(client, model):
    make_order()
    client.force_login(make_user("support", "agent"))
    assert client.get(f"/django-admin/order/{model}/add/").status_code == 403


@pytest.mark.django_db
def test_a_superuser_can_still_correct_an_order_in_the_django_admin(client):
    order = make_order()
    client.force_login(make_user("superuser", "boss"))
    page = client.get(f"/django-admin/order/order/{order.pk}/change/")
    assert page.status_code == 200
    assert 'name="guest_email"' in page.content.decode()
    assert "read-only" not in page.content.decode()
