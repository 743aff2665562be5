"""Checkout with the SMTP server down: the order and its confirmation page do not depend on
email; the confirmation waits in the outbox and goes out when the server is back."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from oscar.core.loading import get_model
from post_office.models import STATUS

from outbox import services as outbox
from outbox.models import OrderEmail
from tests.shop.conftest import pay

Order = get_model("order", "Order")
CommunicationEvent = get_model("order", "CommunicationEvent")

VISA = "4242424242424242"

pytestmark = pytest.mark.django_db


def _support_client(client, django_user_model):
    agent = django_user_model.objects.create_user(
        "mailagent", "mailagent@reliefworks.example", "pw-mail-agent-1", is_staff=True
    )
    agent.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="order", codename__in=["view_order", "change_order"]
        )
    )
    client.force_login(agent)
    return client


def test_smtp_down_during_checkout_places_the_order_and_mails_it_when_smtp_is_back(
    localstripe, guest_checkout, smtp_server, client, django_user_model
):
    shopper = guest_checkout()
    response = pay(shopper, localstripe.payment_method(VISA))
    assert response.status_code == 200
    assert response.json() == {"redirect": "/shop/checkout/thank-you/"}
    page = shopper.get("/shop/checkout/thank-you/")
    order = Order.objects.get()
    assert page.status_code == 200
    assert order.number in page.content.decode()
    assert "could not be started" not in page.content.decode()

    # Queued with the order, for the guest, and in the order's history.
    link = OrderEmail.objects.get(order=order)
    assert link.email.to == ["guest@example.com"]
    assert link.email.status == STATUS.queued
    assert CommunicationEvent.objects.filter(order=order, event_type__code="ORDER_PLACED").exists()

    # The worker's pass with the server down: a failed attempt, retried later.
    assert outbox.deliver_due() == (0, 0, 1)
    link.email.refresh_from_db()
    assert link.email.status == STATUS.requeued
    assert link.email.scheduled_time > timezone.now()
    assert "refused" in link.email.logs.get().message.lower()
    staff = _support_client(client, django_user_model)
    dashboard = staff.get(f"/dashboard/orders/{order.number}/").content.decode()
    assert 'data-status="retrying"' in dashboard
    assert link.email.subject in dashboard

    smtp_server.start()
    assert outbox.deliver_due() == (0, 0, 0)  # not due yet: the retry waits
    link.email.scheduled_time = timezone.now()
    link.email.save()
    assert outbox.deliver_due() == (1, 0, 0)
    link.email.refresh_from_db()
    assert link.email.status == STATUS.sent
    (delivered,) = smtp_server.messages
    assert delivered.rcpt_tos == ["guest@example.com"]
    assert order.number in delivered.content.decode()
    dashboard = staff.get(f"/dashboard/orders/{order.number}/").content.decode()
    assert 'data-status="sent"' in dashboard


def test_an_email_that_cannot_be_queued_does_not_undo_the_paid_order(
    localstripe, guest_checkout, outbox_backend, monkeypatch, caplog
):
    from shop.payments import placement

    def broken(*args, **kwargs):
        raise RuntimeError("template error")

    monkeypatch.setattr(placement.OrderDispatcher, "send_order_placed_email_for_user", broken)
    shopper = guest_checkout()
    response = pay(shopper, localstripe.payment_method(VISA))
    assert response.json() == {"redirect": "/shop/checkout/thank-you/"}
    order = Order.objects.get()
    assert not OrderEmail.objects.filter(order=order).exists()
    assert f"Order {order.number}: confirmation email not queued" in caplog.text
