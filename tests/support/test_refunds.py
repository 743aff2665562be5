"""Refunds through Stripe (localstripe): by line, by amount, never more than captured, once
per click, and reconciled when made in Stripe's own dashboard."""

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from freezegun import freeze_time
from oscar.core.loading import get_model

from support import services
from support.models import Refund, ReturnRequest
from tests.concurrency import run_together
from tests.support.conftest import make_order, make_user, stripe_refunds

PaymentEvent = get_model("order", "PaymentEvent")


def _refund_url(order):
    return reverse("support:order-refund", kwargs={"number": order.number})


@pytest.mark.django_db
def test_refund_one_line_goes_to_stripe_and_is_recorded_as_payment_event(paid_with_stripe, agent):
    order = paid_with_stripe()
    line = order.lines.get(title="Device 2")
    refund = services.refund_order(
        order=order, by=agent, idempotency_key="refund-1", line_ids=[line.pk]
    )
    assert refund.amount == Decimal("19.00")
    [at_stripe] = stripe_refunds(refund.payment_intent_id)
    assert at_stripe["id"] == refund.stripe_refund_id
    assert at_stripe["amount"] == 1900
    event = PaymentEvent.objects.get(order=order, event_type__name="Refund")
    assert (event.amount, event.reference) == (Decimal("19.00"), refund.stripe_refund_id)
    assert list(event.lines.all()) == [line]
    assert refund.created_by == agent
    source = order.sources.get()
    assert source.amount_refunded == Decimal("19.00")
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == services.ORDER_PARTIALLY_REFUNDED
    assert line.status == services.LINE_REFUNDED
    assert "Refund of $19.00" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_refund_of_the_rest_by_amount_marks_order_refunded(paid_with_stripe, agent):
    order = paid_with_stripe()
    services.refund_order(order=order, by=agent, idempotency_key="a", amount="18.00")
    services.refund_order(order=order, by=agent, idempotency_key="b", amount="50.00")
    order.refresh_from_db()
    assert order.status == services.ORDER_REFUNDED
    assert sum(r["amount"] for r in stripe_refunds(order.sources.get().reference)) == 6800
    with pytest.raises(services.RefundRefused, match="Only 0.00 USD"):
        services.refund_order(order=order, by=agent, idempotency_key="c", amount="0.01")


@pytest.mark.django_db
def test_double_submitted_refund_refunds_once(client, paid_with_stripe, agent):
    order = paid_with_stripe()
    client.force_login(agent)
    form = {"idempotency_key": "refund-double-click", "amount": "10.00", "reason": "goodwill"}
    first = client.post(_refund_url(order), form)
    second = client.post(_refund_url(order), form)
    assert first.status_code == second.status_code == 302
    assert Refund.objects.count() == 1
    assert PaymentEvent.objects.filter(event_type__name="Refund").count() == 1
    assert len(stripe_refunds(order.sources.get().reference)) == 1
    assert order.sources.get().amount_refunded == Decimal("10.00")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "more than zero"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("68.01", "Only 68.00 USD"),
        ("1000000", "Only 68.00 USD"),
        ("ten dollars", "as a number"),
        ("NaN", "as a number"),
        ("1e3", "as a number"),  # ASCII digits and one decimal point only
        ("١٢", "as a number"),  # Arabic-Indic digits read as 12 by Decimal()
        ("12.5.0", "as a number"),
        ("9e999", "as a number"),
        ("Infinity", "as a number"),
        ("1" * 12, "as a number"),
        ("1.005", "two decimal places"),
    ],
)
def test_bad_refund_amounts_are_refused_and_change_nothing(
    client, paid_with_stripe, agent, amount, message
):
    order = paid_with_stripe()
    client.force_login(agent)
    response = client.post(_refund_url(order), {"idempotency_key": "k", "amount": amount})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Refund.objects.exists()
    assert stripe_refunds(order.sources.get().reference) == []
    assert order.sources.get().amount_refunded == 0


@pytest.mark.django_db
def test_a_line_cannot_be_refunded_twice(paid_with_stripe, agent):
    order = paid_with_stripe()
    line = order.lines.first()
    services.refund_order(order=order, by=agent, idempotency_key="one", line_ids=[line.pk])
    with pytest.raises(services.RefundRefused, match="already been refunded"):
        services.refund_order(order=order, by=agent, idempotency_key="two", line_ids=[line.pk])
    assert Refund.objects.count() == 1


@pytest.mark.django_db
def test_forged_line_from_another_order_is_refused(paid_with_stripe, agent):
    order = paid_with_stripe()
    other = make_order()
    with pytest.raises(services.RefundRefused, match="not part of this order"):
        services.refund_order(
            order=order, by=agent, idempotency_key="x", line_ids=[other.lines.first().pk]
        )
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_staff_without_refund_permission_get_403_and_nothing_changes(
    client, paid_with_stripe, caplog
):
    order = paid_with_stripe()
    for role in ("shop_manager", "editor", "staff"):
        client.force_login(make_user(role))
        response = client.post(_refund_url(order), {"idempotency_key": role, "amount": "5"})
        assert response.status_code == 403
        assert "permission" in response.content.decode()
        assert f"Denied: {role} POST /dashboard/orders/{order.number}/refund/" in caplog.text
    assert not Refund.objects.exists()
    assert stripe_refunds(order.sources.get().reference) == []


@pytest.mark.django_db
def test_customer_is_sent_to_sign_in_and_nothing_changes(client, paid_with_stripe, customer):
    order = paid_with_stripe()
    anonymous = client.post(_refund_url(order), {"idempotency_key": "k", "amount": "5"})
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/dashboard/login/")
    client.force_login(customer)
    assert (
        client.post(_refund_url(order), {"idempotency_key": "k", "amount": "5"}).status_code == 403
    )
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_full_return_journey_refunds_the_returned_lines(paid_with_stripe, agent):
    with freeze_time("2025-03-01 12:00:00"):
        order = paid_with_stripe(delivered_on=__import__("datetime").date(2025, 3, 1))
    with freeze_time("2025-03-05 12:00:00"):
        line = order.lines.get(title="Device 1")
        return_request = services.request_return(
            order=order, line_ids=[line.pk], reason="not_helping", email="guest.buyer@example.com"
        )
        services.approve_return(return_request=return_request, by=agent)
        services.mark_received(return_request=return_request, by=agent)
        refund = services.refund_return(
            return_request=return_request, by=agent, idempotency_key="r1"
        )
        again = services.refund_return(
            return_request=return_request, by=agent, idempotency_key="r1"
        )
    assert again.pk == refund.pk
    return_request.refresh_from_db()
    order.refresh_from_db()
    assert return_request.status == ReturnRequest.Status.REFUNDED
    assert refund.amount == Decimal("49.00")
    assert order.status == services.ORDER_PARTIALLY_REFUNDED
    assert [m.subject.split(" ")[0] for m in mail.outbox] == ["Your", "Return", "We", "Refund"]
    assert len(stripe_refunds(refund.payment_intent_id)) == 1


@pytest.mark.django_db
def test_refund_made_in_stripe_dashboard_is_reconciled_once(paid_with_stripe, agent):
    import stripe

    order = paid_with_stripe()
    ours = services.refund_order(order=order, by=agent, idempotency_key="ours", amount="8.00")
    pi = ours.payment_intent_id
    stripe.Refund.create(payment_intent=pi, amount=1000)  # "in Stripe's dashboard"
    latest = stripe.PaymentIntent.retrieve(pi)["latest_charge"]
    charge = stripe.Charge.retrieve(latest if isinstance(latest, str) else latest["id"])
    recorded = services.reconcile_stripe_refund(charge)
    again = services.reconcile_stripe_refund(charge)
    assert [r.amount for r in recorded] == [Decimal("10.00")]
    assert again == []
    assert recorded[0].origin == Refund.Origin.STRIPE
    assert recorded[0].created_by is None
    assert order.sources.get().amount_refunded == Decimal("18.00")
    assert PaymentEvent.objects.filter(event_type__name="Refund").count() == 2


@pytest.mark.django_db
def test_reconcile_without_refund_list_records_the_difference_once(agent):
    order = make_order(payment_intent="pi_dashboard_only")
    charge = {"id": "ch_1", "payment_intent": "pi_dashboard_only", "amount_refunded": 2500}
    [refund] = services.reconcile_stripe_refund(charge)
    assert refund.amount == Decimal("25.00")
    assert services.reconcile_stripe_refund(charge) == []
    assert order.sources.get().amount_refunded == Decimal("25.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_of_one_refund_form_refund_once(paid_with_stripe, agent):
    order = paid_with_stripe()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(
                services.refund_order(order=order, by=agent, idempotency_key="same", amount="30")
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {r.pk for r in results} == {Refund.objects.get().pk}
    assert len(stripe_refunds(order.sources.get().reference)) == 1
    assert order.sources.get().amount_refunded == Decimal("30.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_agents_refunding_the_whole_order_at_once_refund_it_once(paid_with_stripe):
    order = paid_with_stripe()
    agents = [make_user("support", "agent1"), make_user("support", "agent2")]

    def submit(agent):
        try:
            services.refund_order(
                order=order, by=agent, idempotency_key=agent.username, amount="68"
            )
        except services.RefundRefused:
            return "refused"
        return "refunded"

    outcomes = run_together(*(lambda agent=agent: submit(agent) for agent in agents))
    assert sorted(outcomes) == ["refunded", "refused"]
    assert len(stripe_refunds(order.sources.get().reference)) == 1


@pytest.mark.django_db
def test_refund_when_stripe_does_not_answer_says_so_and_records_nothing(
    paid_with_stripe, agent, localstripe, settings
):
    from tests.shop.test_stripe_timeouts import StuckStripe

    order = paid_with_stripe()
    stuck = StuckStripe(localstripe.base_url, "hang", path="/v1/refunds")
    settings.STRIPE_API_BASE = stuck.url
    settings.STRIPE_TIMEOUT_SECONDS = 1
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    try:
        with pytest.raises(services.RefundRefused, match="did not answer in time"):
            services.refund_order(order=order, by=agent, idempotency_key="slow", amount="10.00")
    finally:
        stuck.close()
    assert not Refund.objects.exists()
    assert order.sources.get().amount_refunded == 0
