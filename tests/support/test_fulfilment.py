"""Dispatch and delivery: the services behind the order page, the bulk action and the CSV
upload; statuses following the events; the guarantee window they open."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time
from oscar.core.loading import get_model

from support import carriers, fulfilment, selectors, services
from support.models import AuditEntry, Shipment
from tests.support.conftest import make_order, make_user

ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")
CommunicationEvent = get_model("order", "CommunicationEvent")

UPS = "1Z999AA10123456784"


@pytest.mark.django_db
def test_shipping_event_types_exist_after_migrate():
    """The data migration is applied by ``migrate`` and creates the three types (run here
    on an empty table, as a browser test before this one may have flushed the database)."""
    import importlib

    from django.apps import apps
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    assert ("support", "0006_shipping_event_types") in applied
    migration = importlib.import_module("support.migrations.0006_shipping_event_types")
    ShippingEventType.objects.all().delete()
    migration.create(apps, None)
    migration.create(apps, None)  # idempotent
    names = dict(ShippingEventType.objects.values_list("code", "name"))
    assert len(names) == 3
    assert names["dispatched"] == "Dispatched"
    assert names["delivered"] == "Delivered"
    assert names["returned-to-sender"] == "Returned to sender"


@pytest.mark.parametrize(
    "typed, carrier, expected",
    [
        ("1z 999 aa1 01 2345 6784", "ups", UPS),
        ("1Z-999-AA1-01-2345-6784", "UPS", UPS),
        ("9400 1000 0000 0000 0000 00", "usps", "9400100000000000000000"),
        ("1234 5678 9012", "FedEx", "123456789012"),
        ("1234-5678-9012-3456", "Canada Post", "1234567890123456"),
    ],
)
def test_tracking_numbers_are_normalised(typed, carrier, expected):
    assert carriers.normalise(carriers.find(carrier), typed) == expected


@pytest.mark.parametrize(
    "carrier, typed, message",
    [
        ("ups", "", "Enter the tracking number"),
        ("ups", "1Z<script>", "only letters and digits"),
        ("ups", "12345", "doesn't look like a UPS tracking number"),
        ("pigeon", "12345", "Unknown carrier"),
    ],
)
def test_bad_tracking_numbers_and_carriers_are_refused_with_a_message(carrier, typed, message):
    with pytest.raises(carriers.TrackingNumberError, match=message):
        carriers.normalise(carriers.find(carrier), typed)


def test_tracking_links_for_the_four_carriers():
    assert carriers.tracking_url("usps", "9400100000000000000000").startswith(
        "https://tools.usps.com/"
    )
    assert carriers.tracking_url("ups", UPS) == (
        f"https://www.ups.com/track?loc=en_US&tracknum={UPS}"
    )
    assert "fedex.com" in carriers.tracking_url("fedex", "123456789012")
    assert "canadapost-postescanada.ca" in carriers.tracking_url("canadapost", "1234567890123456")
    assert carriers.tracking_url("unknown", "123") == ""


@pytest.mark.django_db
def test_dispatch_records_event_tracking_statuses_audit_and_on_its_way_email(
    agent, django_capture_on_commit_callbacks
):
    order = make_order(email="guest.buyer@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = fulfilment.record_dispatch(
            order=order, by=agent, carrier="ups", tracking_number="1z 999 aa1 01 2345 6784"
        )
    assert outcome.changed
    order.refresh_from_db()
    assert order.status == "Dispatched"
    assert set(order.lines.values_list("status", flat=True)) == {"Dispatched"}
    assert order.status_changes.filter(new_status="Dispatched").exists()
    shipment = Shipment.objects.get(event__order=order)
    assert (shipment.carrier, shipment.tracking_number, shipment.created_by) == ("ups", UPS, agent)
    assert shipment.event.line_quantities.count() == 2
    assert AuditEntry.objects.filter(order=order, action="dispatched", actor=agent).exists()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["guest.buyer@example.com"]
    assert "on its way" in email.subject
    assert f"https://www.ups.com/track?loc=en_US&tracknum={UPS}" in email.body
    assert CommunicationEvent.objects.filter(
        order=order, event_type__code="ORDER_DISPATCHED"
    ).exists()
    window = selectors.guarantee_window(order)
    assert window.basis == "dispatched" and window.starts_on == timezone.localdate()


@pytest.mark.django_db
def test_dispatching_some_lines_then_the_rest(agent):
    order = make_order()
    first, second = order.lines.order_by("pk")
    fulfilment.record_dispatch(
        order=order, by=agent, carrier="fedex", tracking_number="123456789012", line_ids=[first.pk]
    )
    order.refresh_from_db()
    assert order.status == "Partially dispatched"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("Dispatched", "Paid")
    with pytest.raises(fulfilment.ShipmentRefused, match="Already dispatched: Device 1"):
        fulfilment.record_dispatch(
            order=order,
            by=agent,
            carrier="fedex",
            tracking_number="999999999999",
            line_ids=[first.pk, second.pk],
        )
    fulfilment.record_dispatch(
        order=order, by=agent, carrier="fedex", tracking_number="2222 3333 4444"
    )
    order.refresh_from_db()
    assert order.status == "Dispatched"
    assert Shipment.objects.filter(event__order=order).count() == 2


@pytest.mark.django_db
def test_same_dispatch_twice_changes_nothing(agent):
    order = make_order()
    fulfilment.record_dispatch(order=order, by=agent, carrier="ups", tracking_number=UPS)
    again = fulfilment.record_dispatch(order=order, by=agent, carrier="UPS", tracking_number=UPS)
    assert not again.changed and "nothing changed" in again.message
    assert ShippingEvent.objects.filter(order=order).count() == 1


@pytest.mark.django_db
def test_delivery_before_dispatch_or_in_the_future_is_refused(agent):
    with freeze_time("2025-03-01 15:00:00"):
        order = make_order()
    with freeze_time("2025-03-03 15:00:00"):
        fulfilment.record_dispatch(order=order, by=agent, carrier="ups", tracking_number=UPS)
    with freeze_time("2025-03-05 15:00:00"):
        with pytest.raises(fulfilment.ShipmentRefused, match="before the dispatch date"):
            fulfilment.record_delivery(
                order=order, by=agent, delivered_on=datetime.date(2025, 3, 2)
            )
        with pytest.raises(fulfilment.ShipmentRefused, match="before the order was placed"):
            fulfilment.record_delivery(
                order=order, by=agent, delivered_on=datetime.date(2025, 2, 28)
            )
        with pytest.raises(fulfilment.ShipmentRefused, match="in the future"):
            fulfilment.record_delivery(
                order=order, by=agent, delivered_on=datetime.date(2025, 3, 6)
            )
        outcome = fulfilment.record_delivery(
            order=order, by=agent, delivered_on=datetime.date(2025, 3, 3)
        )
    assert outcome.changed
    order.refresh_from_db()
    assert order.status == "Delivered"
    assert set(order.lines.values_list("status", flat=True)) == {"Delivered"}
    window = selectors.guarantee_window(order)
    assert (window.basis, window.starts_on) == ("delivered", datetime.date(2025, 3, 3))


@pytest.mark.django_db
def test_day_91_after_recorded_delivery_is_refused(agent):
    with freeze_time("2025-03-01 15:00:00"):
        order = make_order()
        fulfilment.record_dispatch(order=order, by=agent, carrier="ups", tracking_number=UPS)
        fulfilment.record_delivery(order=order, by=agent)
    line = order.lines.first()
    ask = dict(
        order=order, line_ids=[line.pk], reason="not_helping", email="guest.buyer@example.com"
    )
    with freeze_time("2025-05-31 16:00:00"):  # day 91
        with pytest.raises(services.ReturnRefused, match="closed on May 30, 2025"):
            services.request_return(**ask)
    with freeze_time("2025-05-30 16:00:00"):  # day 90
        assert services.request_return(**ask).number


@pytest.mark.django_db
def test_order_delivered_but_never_dispatched_opens_the_window_from_delivery(agent):
    with freeze_time("2025-03-01 15:00:00"):
        order = make_order()
    with freeze_time("2025-03-10 15:00:00"):
        fulfilment.record_delivery(order=order, by=agent, delivered_on=datetime.date(2025, 3, 4))
    order.refresh_from_db()
    assert order.status == "Delivered"
    assert not ShippingEvent.objects.filter(order=order, event_type__code="dispatched").exists()
    window = selectors.guarantee_window(order)
    assert (window.basis, window.closes_on) == ("delivered", datetime.date(2025, 6, 2))
    with freeze_time("2025-06-02 12:00:00"):
        assert services.request_return(
            order=order,
            line_ids=[order.lines.first().pk],
            reason="other",
            email="guest.buyer@example.com",
        ).number


@pytest.mark.django_db
def test_setting_counts_delivery_n_days_after_dispatch(settings, agent):
    settings.SUPPORT_DELIVERED_AFTER_DAYS = 5
    order = make_order(dispatched_on=datetime.date(2025, 3, 1))
    window = selectors.guarantee_window(order)
    assert window.starts_on == datetime.date(2025, 3, 6)
    assert window.closes_on == datetime.date(2025, 6, 4)


@pytest.mark.django_db
def test_shop_manager_cannot_mark_orders_dispatched():
    manager = make_user("shop_manager", "manager")
    order = make_order()
    with pytest.raises(services.PermissionDenied):
        fulfilment.record_dispatch(order=order, by=manager, carrier="ups", tracking_number=UPS)
    assert not ShippingEvent.objects.filter(order=order).exists()


@pytest.mark.django_db
def test_cancelled_order_cannot_be_dispatched(agent):
    order = make_order()
    order.set_status("Cancelled")
    with pytest.raises(fulfilment.ShipmentRefused, match="cancelled"):
        fulfilment.record_dispatch(order=order, by=agent, carrier="ups", tracking_number=UPS)


@pytest.mark.django_db
def test_return_status_is_not_overwritten_by_a_later_delivery(agent):
    order = make_order()
    first, second = order.lines.order_by("pk")
    fulfilment.record_dispatch(order=order, by=agent, carrier="ups", tracking_number=UPS)
    fulfilment.record_delivery(order=order, by=agent, line_ids=[first.pk])
    services._set_order_status(order, services.ORDER_RETURN_APPROVED)
    fulfilment.record_delivery(order=order, by=agent, line_ids=[second.pk])
    order.refresh_from_db()
    assert order.status == services.ORDER_RETURN_APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "days, wording",
    [(0, "on the day we shipped it"), (5, "5 days after the day we shipped it")],
)
def test_guarantee_page_states_how_days_count_without_a_delivery_date(
    client, settings, days, wording
):
    from demo.blog import load_demo_content
    from demo.shop import load_demo_catalogue

    load_demo_catalogue()
    load_demo_content()
    settings.SUPPORT_DELIVERED_AFTER_DAYS = days
    html = client.get("/guarantee/").content.decode()
    assert "How we count the 90 days" in html
    assert wording in " ".join(html.split())
