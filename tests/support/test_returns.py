"""The 90-day money-back guarantee: who may ask for a return, when, and for what."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from support import services
from support.models import AuditEntry, ReturnLine, ReturnRequest
from tests.support.conftest import make_order, make_user

DELIVERED = datetime.date(2025, 3, 1)


def _ask(order, *, lines=None, customer=None, email="guest.buyer@example.com"):
    return services.request_return(
        order=order,
        line_ids=[line.pk for line in (lines or order.lines.all())],
        reason="not_helping",
        email=email,
        customer=customer,
    )


@pytest.mark.django_db
def test_return_on_day_90_after_delivery_is_accepted_with_number_and_email():
    order = make_order(delivered_on=DELIVERED)
    with freeze_time("2025-05-30 20:00:00"):  # day 90, evening in New York
        return_request = _ask(order)
    assert return_request.status == ReturnRequest.Status.NEW
    assert return_request.number == f"R{order.number}-1"
    assert return_request.lines.count() == 2
    assert len(mail.outbox) == 1
    assert return_request.number in mail.outbox[0].subject
    assert "100 Commerce Way" in mail.outbox[0].body
    assert order.communication_events.count() == 1


@pytest.mark.django_db
def test_return_on_day_91_is_refused_with_the_date_the_window_closed():
    order = make_order(delivered_on=DELIVERED)
    with freeze_time("2025-05-31 16:00:00"):  # day 91
        with pytest.raises(services.ReturnRefused, match="closed on May 30, 2025"):
            _ask(order)
    assert not ReturnRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_day_91_form_explains_when_the_window_closed(client, customer):
    order = make_order(user=customer, delivered_on=DELIVERED)
    client.force_login(customer)
    url = reverse("support:account-return", kwargs={"number": order.number})
    with freeze_time("2025-05-31 16:00:00"):
        page = client.get(url)
        posted = client.post(url, {"lines": [order.lines.first().pk], "reason": "not_helping"})
    assert "closed on May 30, 2025" in page.content.decode()
    assert posted.status_code == 400
    assert "closed on May 30, 2025" in posted.content.decode()
    assert not ReturnRequest.objects.exists()


@pytest.mark.django_db
def test_window_counts_from_dispatch_when_no_delivery_date_is_known():
    order = make_order(dispatched_on=DELIVERED)
    with (
        freeze_time("2025-05-31 16:00:00"),
        pytest.raises(services.ReturnRefused, match="was shipped"),
    ):
        _ask(order)
    with freeze_time("2025-05-30 16:00:00"):
        assert _ask(order).status == ReturnRequest.Status.NEW


@pytest.mark.django_db
def test_delivery_date_wins_over_dispatch_date():
    order = make_order(dispatched_on=DELIVERED, delivered_on=DELIVERED + datetime.timedelta(days=5))
    with freeze_time("2025-06-02 12:00:00"):  # 93 days after dispatch, 88 after delivery
        assert _ask(order).status == ReturnRequest.Status.NEW


@pytest.mark.django_db
def test_order_not_shipped_yet_cannot_be_returned():
    order = make_order()
    with pytest.raises(services.ReturnRefused, match="hasn't shipped yet"):
        _ask(order)


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_a_line_cannot_be_returned_twice():
    order = make_order(delivered_on=DELIVERED)
    first = order.lines.first()
    _ask(order, lines=[first])
    with pytest.raises(services.ReturnRefused, match="already been returned"):
        _ask(order, lines=[first])
    assert ReturnLine.objects.filter(order_line=first).count() == 1


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_rejected_return_frees_its_lines_for_a_new_request(agent):
    order = make_order(delivered_on=DELIVERED)
    first = _ask(order)
    services.reject_return(return_request=first, by=agent, note="Missing accessories")
    second = _ask(order)
    assert second.number.endswith("-2")
    assert "Missing accessories" in mail.outbox[1].body


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_forged_line_ids_from_another_order_are_refused():
    order = make_order(delivered_on=DELIVERED)
    other = make_order(delivered_on=DELIVERED)
    with pytest.raises(services.ReturnRefused, match="not part of this order"):
        _ask(order, lines=[other.lines.first()])
    with pytest.raises(services.SupportError):
        services.request_return(
            order=order, line_ids=["1; DROP TABLE"], reason="other", email="x@example.com"
        )
    assert not ReturnRequest.objects.exists()


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_customer_cannot_ask_to_return_someone_elses_order(client, customer, caplog):
    stranger = make_user("customer", "stranger")
    order = make_order(user=stranger, delivered_on=DELIVERED)
    client.force_login(customer)
    url = reverse("support:account-return", kwargs={"number": order.number})
    response = client.post(url, {"lines": [order.lines.first().pk], "reason": "not_helping"})
    assert response.status_code == 404
    assert not ReturnRequest.objects.exists()
    assert "not theirs" in caplog.text
    with pytest.raises(services.ReturnRefused):
        _ask(order, customer=customer)


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_account_return_form_creates_a_request_for_chosen_lines(client, customer):
    order = make_order(user=customer, delivered_on=DELIVERED)
    line = order.lines.first()
    client.force_login(customer)
    url = reverse("support:account-return", kwargs={"number": order.number})
    assert "until May 30, 2025" in client.get(url).content.decode()
    response = client.post(url, {"lines": [line.pk], "reason": "discomfort", "comments": "Itchy"})
    return_request = ReturnRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("support:return-created", args=[return_request.number])
    assert [rl.order_line for rl in return_request.lines.all()] == [line]
    assert return_request.email == customer.email
    assert mail.outbox[0].to == [customer.email]


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_guest_finds_order_by_number_and_email_then_asks_for_a_return(client):
    order = make_order(email="guest.buyer@example.com", delivered_on=DELIVERED)
    wrong = client.post(
        reverse("support:return-lookup"),
        {"order_number": order.number, "email": "someone.else@example.com"},
    )
    assert wrong.status_code == 400
    assert "find an order with that number and email" in wrong.content.decode()
    blocked = client.get(reverse("support:guest-return", args=[order.number]))
    assert blocked.status_code == 302  # back to the look-up
    found = client.post(
        reverse("support:return-lookup"),
        {"order_number": order.number, "email": "Guest.Buyer@example.com"},
    )
    assert found.url == reverse("support:order-status", args=[order.number])
    return_url = reverse("support:guest-return", args=[order.number])
    assert f'href="{return_url}"' in client.get(found.url).content.decode()
    response = client.post(
        return_url, {"lines": [line.pk for line in order.lines.all()], "reason": "defective"}
    )
    assert response.status_code == 302
    done = client.get(response.url)
    assert "R" + order.number in done.content.decode()
    assert mail.outbox[0].to == ["guest.buyer@example.com"]


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_approve_and_receive_move_request_lines_and_order_with_emails(agent):
    order = make_order(delivered_on=DELIVERED)
    return_request = _ask(order)
    services.approve_return(return_request=return_request, by=agent)
    order.refresh_from_db()
    assert order.status == services.ORDER_RETURN_APPROVED
    assert set(order.lines.values_list("status", flat=True)) == {services.LINE_RETURN_APPROVED}
    services.mark_received(return_request=return_request, by=agent)
    order.refresh_from_db()
    return_request.refresh_from_db()
    assert return_request.status == ReturnRequest.Status.RECEIVED
    assert order.status == services.ORDER_RETURNED
    assert [m.subject.split(":")[0] for m in mail.outbox][1:] == [
        f"Return {return_request.number} approved",
        f"We have received your return {return_request.number}",
    ]
    actions = list(AuditEntry.objects.filter(order=order).values_list("action", "actor"))
    assert ("return_approved", agent.pk) in actions
    assert ("return_received", agent.pk) in actions


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_steps_out_of_order_are_refused(agent):
    order = make_order(delivered_on=DELIVERED)
    return_request = _ask(order)
    with pytest.raises(services.ReturnRefused, match="already new"):
        services.mark_received(return_request=return_request, by=agent)
    with pytest.raises(services.ReturnRefused, match="only a received return"):
        services.refund_return(return_request=return_request, by=agent, idempotency_key="k1")
    assert ReturnRequest.objects.get().status == ReturnRequest.Status.NEW


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_staff_without_permission_cannot_approve_and_the_attempt_is_logged(client, caplog):
    order = make_order(delivered_on=DELIVERED)
    return_request = _ask(order)
    manager = make_user("shop_manager")
    client.force_login(manager)
    url = reverse("support:return-detail", args=[return_request.number])
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 403
    assert "permission" in response.content.decode()
    assert "Denied: shop_manager POST" in caplog.text
    return_request.refresh_from_db()
    assert return_request.status == ReturnRequest.Status.NEW
    with pytest.raises(services.PermissionDenied):
        services.approve_return(return_request=return_request, by=manager)
