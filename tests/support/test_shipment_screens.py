"""Dispatch and delivery as staff and customers use them: the dashboard order page, the
order list's bulk action, the CSV upload and its report, the account's order page and the
guest order-status page."""

import codecs
import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model

from support import fulfilment, shipments_csv
from support.models import Shipment
from tests.support.conftest import PASSWORD, make_order, make_user

Order = get_model("order", "Order")
ShippingEvent = get_model("order", "ShippingEvent")

UPS = "1Z999AA10123456784"


def _upload(client, text, kind="dispatched", encoding="utf-8", **extra):
    raw = text.encode(encoding) if isinstance(text, str) else text
    return client.post(
        "/dashboard/shipments/upload/",
        {"kind": kind, "file": SimpleUploadedFile("ship.csv", raw, "text/csv"), **extra},
    )


def _state():
    """Everything an upload may write, to compare before and after."""
    return (
        ShippingEvent.objects.count(),
        Shipment.objects.count(),
        sorted(Order.objects.values_list("number", "status")),
        len(mail.outbox),
    )


@pytest.mark.django_db
def test_csv_upload_with_good_and_bad_rows_reports_each_row_and_twice_changes_nothing(client):
    agent = make_user("support", "agent")
    client.force_login(agent)
    good = make_order()
    partial = make_order()
    first = partial.lines.order_by("pk").first()
    delivered = make_order()
    fulfilment.record_delivery(order=delivered, by=agent)
    dispatched = make_order()
    fulfilment.record_dispatch(
        order=dispatched, by=agent, carrier="usps", tracking_number="9400100000000000000000"
    )
    mail.outbox.clear()
    text = (
        "order_number,carrier,tracking_number,lines\n"
        f"{good.number},UPS,1z 999 aa1 01 2345 6784,\n"
        f"{partial.number},fedex,1234 5678 9012,{first.partner_sku}\n"
        "999999,ups,1Z999AA10123456785,\n"
        f"{delivered.number},ups,1Z999AA10123456786,\n"
        f"{dispatched.number},ups,1Z999AA10123456787,\n"
        f"{good.number},ups,1Z999AA10123456788,\n"
        f"{make_order().number},pigeon,123,\n"
        f"{make_order().number},ups,12,\n"
        '=HYPERLINK("http://evil"),ups,1Z999AA10123456789\n'
    )
    response = _upload(client, text)
    assert response.status_code == 400  # some rows refused
    body = response.content.decode()
    assert "2 recorded, 0 already recorded (nothing changed), 7 refused" in body
    assert "There is no order 999999" in body
    assert "already been delivered" in body
    assert "already been dispatched" in body
    assert f"Order {good.number} is also on row 2" in body
    assert "Unknown carrier" in body
    assert "doesn&#x27;t look like a UPS tracking number" in body
    assert "values for 4 columns" in body
    good.refresh_from_db()
    partial.refresh_from_db()
    assert good.status == "Dispatched"
    assert partial.status == "Partially dispatched"
    assert Shipment.objects.get(event__order=good).tracking_number == UPS
    assert len(mail.outbox) == 2

    before = _state()
    again = _upload(client, text, format="csv")
    assert _state() == before
    report = list(csv.reader(io.StringIO(again.content.decode())))
    assert report[0] == ["row", "order_number", "result", "message"]
    results = {row[0]: row[2] for row in report[1:]}
    assert results["2"] == "unchanged" and results["3"] == "unchanged"
    # A cell a spreadsheet would run as a formula is written as text.
    assert all(not row[1].startswith("=") for row in report[1:])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw, message",
    [
        ("order,carrier,tracking\n1,ups,1\n", "Missing columns: order_number"),
        ("order_number,carrier,tracking_number,colour\n1,ups,1,red\n", "Unknown columns: 'colour'"),
        ("order_number,carrier,tracking_number,carrier\n", "Repeated columns: carrier"),
        ("", "file is empty"),
        ("order_number,carrier,tracking_number\n", "no rows"),
        ("order_number,carrier,tracking_number\nMontréal,ups,1\n".encode("latin-1"), "not UTF-8"),
        (b"\x00\x01binary", "not CSV text"),
    ],
)
def test_csv_upload_refuses_a_bad_file_whole(client, raw, message):
    client.force_login(make_user("support", "agent"))
    make_order()
    before = _state()
    response = _upload(client, raw)
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.content.decode()
    if raw:
        assert "Nothing was recorded" in response.content.decode()
    assert _state() == before


@pytest.mark.django_db
def test_csv_upload_in_utf16_with_bom_and_deliveries(client):
    agent = make_user("support", "agent")
    client.force_login(agent)
    order = make_order()
    fulfilment.record_dispatch(order=order, by=agent, carrier="ups", tracking_number=UPS)
    raw = codecs.BOM_UTF16_LE + f"order_number,delivered_on\n{order.number},\n".encode("utf-16-le")
    response = _upload(client, raw, kind="delivered")
    assert response.status_code == 200, response.content.decode()[:2000]
    order.refresh_from_db()
    assert order.status == "Delivered"


@pytest.mark.django_db
def test_delivery_csv_with_a_future_date_is_refused_for_that_row(client):
    client.force_login(make_user("support", "agent"))
    order = make_order()
    response = _upload(
        client, f"order_number,delivered_on\n{order.number},2999-01-01\n", "delivered"
    )
    assert "can&#x27;t be in the future" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "Paid"


@pytest.mark.django_db
def test_support_marks_some_lines_dispatched_from_the_order_page(client):
    client.force_login(make_user("support", "agent"))
    order = make_order()
    first = order.lines.order_by("pk").first()
    response = client.post(
        f"/dashboard/orders/{order.number}/",
        {
            "line_action": "dispatch_lines",
            "selected_line": [first.pk],
            f"selected_line_qty_{first.pk}": first.quantity,
            "carrier": "ups",
            "tracking_number": " 1z999aa1 0123456784 ",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "Partially dispatched"
    page = client.get(f"/dashboard/orders/{order.number}/").content.decode()
    assert UPS in page and "Partially dispatched" in page
    response = client.post(
        f"/dashboard/orders/{order.number}/",
        {"line_action": "deliver_lines", "delivered_on": "not a date"},
    )
    order.refresh_from_db()
    assert order.status == "Partially dispatched"
    response = client.post(
        f"/dashboard/orders/{order.number}/", {"line_action": "deliver_lines"}, follow=True
    )
    order.refresh_from_db()
    assert order.status == "Delivered"


@pytest.mark.django_db
def test_status_change_alone_does_not_offer_dispatched_or_delivered(client):
    client.force_login(make_user("support", "agent"))
    order = make_order()
    page = client.get(f"/dashboard/orders/{order.number}/")
    choices = [c[0] for c in page.context["order_status_form"].fields["new_status"].choices]
    assert choices == ["", "Cancelled"]  # nothing chosen in advance
    assert "Dispatched" not in page.context["line_statuses"]
    for status in ("Dispatched", "Delivered", "Shipped"):
        client.post(
            f"/dashboard/orders/{order.number}/",
            {"order_action": "change_order_status", "new_status": status},
        )
        order.refresh_from_db()
        assert order.status == "Paid"
    client.post(
        "/dashboard/orders/",
        {
            "action": "change_order_statuses",
            "selected_order": [order.pk],
            "new_status": "Delivered",
        },
    )
    order.refresh_from_db()
    assert order.status == "Paid"
    assert "not shipped yet" in client.get(f"/dashboard/orders/{order.number}/").content.decode()


@pytest.mark.django_db
def test_bulk_dispatch_from_the_order_list(client):
    client.force_login(make_user("support", "agent"))
    one, two = make_order(), make_order()
    response = client.post(
        "/dashboard/orders/", {"action": "dispatch_selected", "selected_order": [one.pk, two.pk]}
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    assert one.number in page.content.decode() and two.number in page.content.decode()
    response = client.post(
        "/dashboard/shipments/bulk/",
        {
            "kind": "dispatched",
            "order_number": [one.number, two.number],
            f"carrier_{one.number}": "ups",
            f"tracking_{one.number}": UPS,
            f"carrier_{two.number}": "canadapost",
            f"tracking_{two.number}": "1234 5678 9012 3456",
        },
    )
    assert response.status_code == 200
    assert "2 recorded" in response.content.decode()
    assert set(Order.objects.values_list("status", flat=True)) == {"Dispatched"}
    response = client.post(
        "/dashboard/shipments/bulk/",
        {"kind": "delivered", "order_number": [one.number, two.number]},
    )
    assert set(Order.objects.values_list("status", flat=True)) == {"Delivered"}


@pytest.mark.django_db
def test_order_list_filters_by_shipping_status(client):
    agent = make_user("support", "agent")
    client.force_login(agent)
    waiting, sent = make_order(), make_order()
    fulfilment.record_dispatch(order=sent, by=agent, carrier="ups", tracking_number=UPS)
    listed = client.get("/dashboard/orders/", {"status": "Dispatched"}).context["orders"]
    assert [o.number for o in listed] == [sent.number]
    listed = client.get("/dashboard/orders/", {"status": "Paid"}).context["orders"]
    assert [o.number for o in listed] == [waiting.number]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["shop_manager", "editor", "customer"])
def test_others_cannot_dispatch_or_upload(client, role):
    client.force_login(make_user(role, role))
    order = make_order()
    client.post(
        f"/dashboard/orders/{order.number}/",
        {"line_action": "dispatch_lines", "carrier": "ups", "tracking_number": UPS},
    )
    response = _upload(client, f"order_number,carrier,tracking_number\n{order.number},ups,{UPS}\n")
    assert response.status_code in (302, 403)
    response = client.post(
        "/dashboard/shipments/bulk/",
        {"kind": "dispatched", "order_number": [order.number], f"tracking_{order.number}": UPS},
    )
    assert response.status_code in (302, 403)
    assert not ShippingEvent.objects.exists()


@pytest.mark.django_db
def test_customer_sees_status_and_tracking_link_on_the_account_order_page(client, customer):
    agent = make_user("support", "agent")
    order = make_order(user=customer)
    fulfilment.record_dispatch(order=order, by=agent, carrier="ups", tracking_number=UPS)
    client.login(username=customer.username, password=PASSWORD)
    page = client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "Shipped" in page
    assert f"https://www.ups.com/track?loc=en_US&amp;tracknum={UPS}" in page


@pytest.mark.django_db
def test_guest_order_status_page_with_number_and_email(client):
    agent = make_user("support", "agent")
    order = make_order(email="guest.buyer@example.com")
    fulfilment.record_dispatch(
        order=order, by=agent, carrier="fedex", tracking_number="123456789012"
    )
    assert client.get(f"/orders/status/{order.number}/").status_code == 302  # not proved yet
    wrong_email = client.post(
        "/orders/status/", {"order_number": order.number, "email": "someone@example.com"}
    )
    wrong_number = client.post(
        "/orders/status/", {"order_number": "000000", "email": "guest.buyer@example.com"}
    )
    assert wrong_email.status_code == wrong_number.status_code == 400
    message = "We couldn&#x27;t find an order with that number and email address."
    assert message in wrong_email.content.decode() and message in wrong_number.content.decode()
    response = client.post(
        "/orders/status/", {"order_number": order.number, "email": "GUEST.buyer@example.com"}
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert "Shipped" in body and "fedex.com/fedextrack/?trknbr=123456789012" in body


@pytest.mark.django_db
def test_guest_order_status_look_ups_are_limited(client, settings):
    settings.SUPPORT_ORDER_STATUS_LOOKUPS = 3
    order = make_order(email="guest.buyer@example.com")
    for number in ("1", "2", "3"):
        client.post("/orders/status/", {"order_number": number, "email": "a@example.com"})
    response = client.post(
        "/orders/status/", {"order_number": order.number, "email": "guest.buyer@example.com"}
    )
    assert response.status_code == 400
    assert "Too many look-ups" in response.content.decode()


def test_report_csv_neutralises_formulas():
    report = fulfilment.Report(
        results=[fulfilment.RowResult(2, "=HYPERLINK(1)", False, False, "@SUM(A1) unknown")]
    )
    stream = io.StringIO()
    shipments_csv.write_report(report, stream)
    assert "'=HYPERLINK(1)" in stream.getvalue()
    assert "'@SUM(A1) unknown" in stream.getvalue()
