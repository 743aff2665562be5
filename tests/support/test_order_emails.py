"""The order page's email history: every email about the order (guest orders and return
instructions too), its delivery status, and "Resend" for support, recorded."""

import pytest
from django.urls import reverse
from freezegun import freeze_time
from post_office.models import STATUS

from outbox import services as outbox
from outbox.models import OrderEmail
from support import services
from support.models import AuditEntry
from tests.support.conftest import make_order, make_user
from tests.support.test_returns import DELIVERED, _ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest_return(outbox_backend):
    with freeze_time("2025-03-10 12:00:00"):
        order = make_order(delivered_on=DELIVERED)
        request = _ask(order)
    return order, request


def _resend_url(order, link):
    return reverse(
        "support:order-email-resend", kwargs={"number": order.number, "email_id": link.pk}
    )


def test_return_instructions_of_a_guest_order_are_in_the_orders_email_history(
    guest_return, client, agent
):
    order, request = guest_return
    (link,) = OrderEmail.objects.filter(order=order)
    assert link.email.to == ["guest.buyer@example.com"]
    assert request.number in link.email.subject or request.number in link.email.message
    outbox.deliver_due()
    client.force_login(agent)
    page = client.get(f"/dashboard/orders/{order.number}/").content.decode()
    assert 'data-status="sent"' in page
    assert link.email.subject in page
    assert _resend_url(order, link) in page


def test_support_resends_an_email_and_the_timeline_records_who(guest_return, client, agent):
    order, _ = guest_return
    link = OrderEmail.objects.get(order=order)
    client.force_login(agent)
    response = client.post(_resend_url(order, link))
    assert response.status_code == 302
    copy = OrderEmail.objects.exclude(pk=link.pk).get(order=order)
    assert copy.resent_by == agent
    assert copy.email.status == STATUS.queued
    assert copy.email.subject == link.email.subject and copy.email.to == link.email.to
    entry = AuditEntry.objects.get(order=order, action="email_resent")
    assert entry.actor == agent
    timeline = client.get(f"/dashboard/orders/{order.number}/").content.decode()
    assert "Email resent:" in timeline


def test_resend_needs_permission_to_change_orders(guest_return, client):
    order, _ = guest_return
    link = OrderEmail.objects.get(order=order)
    client.force_login(make_user("shop_manager", "mgr"))
    assert client.post(_resend_url(order, link)).status_code == 403
    assert client.get(_resend_url(order, link)).status_code in (403, 405)
    assert OrderEmail.objects.filter(order=order).count() == 1


def test_resend_of_another_orders_email_is_refused(guest_return, client, agent):
    order, _ = guest_return
    other = make_order(email="someone.else@example.com")
    link = OrderEmail.objects.get(order=order)
    client.force_login(agent)
    response = client.post(_resend_url(other, link), follow=True)
    assert "not one of this order" in response.content.decode()
    assert OrderEmail.objects.count() == 1
    assert not AuditEntry.objects.filter(action="email_resent").exists()


def test_resend_service_refuses_an_unknown_email(guest_return, agent):
    order, _ = guest_return
    assert services.resend_order_email(order=order, order_email_id=999999, by=agent) is None
