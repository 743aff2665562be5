"""Ids and quantities that are not what the order page would send (issue 24): every line
and order action of the dashboard's order page answers the page with a message (or a 400),
never a 500, and changes nothing."""

import pytest
from django.contrib.messages import get_messages
from oscar.core.loading import get_model

from support.models import Shipment
from tests.support.conftest import make_order, make_user

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")
ShippingEvent = get_model("order", "ShippingEvent")
pytestmark = pytest.mark.django_db

UPS = "1Z999AA10123456784"
JUNK = ["x", "", "1e9", "9" * 30, "-1", "١", "0", "1.5"]
MISSING = object()
LINE_ACTIONS = {
    "dispatch_lines": {"carrier": "ups", "tracking_number": UPS},
    "deliver_lines": {},
    "change_line_statuses": {"new_status": "Cancelled"},
    "create_payment_event": {"payment_event_type": "paid"},
}


@pytest.fixture
def agent(client):
    client.force_login(make_user("support", "agent"))
    return client


@pytest.fixture
def order():
    return make_order()


def _state(order):
    """Everything a line or order action may write, to compare before and after."""
    return (
        ShippingEvent.objects.count(),
        PaymentEvent.objects.count(),
        Shipment.objects.count(),
        OrderNote.objects.filter(order=order).count(),
        sorted(order.lines.values_list("pk", "status")),
        Order.objects.get(pk=order.pk).status,
    )


def _post(client, order, data):
    response = client.post(f"/dashboard/orders/{order.number}/", data)
    assert response.status_code in (302, 400), response.status_code
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("action", LINE_ACTIONS)
@pytest.mark.parametrize("junk", [*JUNK, "١٢"])
def test_a_selected_line_that_is_not_one_of_the_orders_changes_nothing(agent, order, action, junk):
    before = _state(order)
    data = {"line_action": action, "selected_line": junk, f"selected_line_qty_{junk}": "1"}
    errors = _post(agent, order, {**data, **LINE_ACTIONS[action]})
    assert errors and _state(order) == before


@pytest.mark.parametrize("action", LINE_ACTIONS)
@pytest.mark.parametrize("quantity", [*JUNK[:5], "0", "1.5", "3", MISSING])
def test_a_quantity_that_is_not_a_whole_number_within_the_line_changes_nothing(
    agent, order, action, quantity
):
    line = order.lines.order_by("pk").first()
    before = _state(order)
    data = {"line_action": action, "selected_line": [line.pk], **LINE_ACTIONS[action]}
    if quantity is not MISSING:
        data[f"selected_line_qty_{line.pk}"] = quantity
    errors = _post(agent, order, data)
    assert any(f"line #{line.pk}" in error for error in errors), errors
    assert _state(order) == before


def test_a_line_ticked_twice_changes_nothing(agent, order):
    line = order.lines.order_by("pk").first()
    before = _state(order)
    data = {"selected_line": [line.pk, line.pk], f"selected_line_qty_{line.pk}": "1"}
    errors = _post(agent, order, {"line_action": "dispatch_lines", **data, "carrier": "ups"})
    assert errors == ["Each line can be chosen once; nothing was changed."]
    assert _state(order) == before


def test_a_quantity_in_another_scripts_digits_is_read_as_ascii(agent, order):
    line = order.lines.order_by("pk").first()
    data = {"selected_line": [line.pk], f"selected_line_qty_{line.pk}": "١"}
    _post(agent, order, {"line_action": "dispatch_lines", **data, **LINE_ACTIONS["dispatch_lines"]})
    assert list(ShippingEvent.objects.get().line_quantities.values_list("quantity", flat=True)) == [
        1
    ]


@pytest.mark.parametrize("action", LINE_ACTIONS)
def test_a_line_action_without_lines_or_status_never_fails(agent, order, action):
    _post(agent, order, {"line_action": action, "selected_line": [], "new_status": ""})


@pytest.mark.parametrize("junk", [*JUNK, MISSING])
def test_deleting_a_note_that_is_not_a_number_changes_nothing(agent, order, junk):
    order.notes.create(message="keep me")
    data = {"order_action": "delete_note"}
    if junk is not MISSING:
        data["note_id"] = junk
    _post(agent, order, data)
    assert order.notes.filter(message="keep me").exists()


@pytest.mark.parametrize("amount", ["x", "", "1e9", "9" * 30, "-1", "١٢", "NaN", MISSING])
@pytest.mark.parametrize("action", ["order_action", "line_action"])
def test_a_payment_event_amount_that_is_not_money_changes_nothing(agent, order, action, amount):
    line = order.lines.order_by("pk").first()
    name = "create_order_payment_event" if action == "order_action" else "create_payment_event"
    data = {action: name, "payment_event_type": "paid", "selected_line": [line.pk]}
    data[f"selected_line_qty_{line.pk}"] = "1"
    if amount is not MISSING:
        data["amount"] = amount
    before = _state(order)
    _post(agent, order, data)
    if action == "order_action" or amount not in ("", MISSING):
        assert _state(order) == before


@pytest.mark.parametrize("new_status", ["", MISSING])
def test_order_list_status_change_without_a_status_changes_nothing(agent, order, new_status):
    data = {"action": "change_order_statuses", "selected_order": [order.pk]}
    if new_status is not MISSING:
        data["new_status"] = new_status
    response = agent.post("/dashboard/orders/", data)
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == "Paid"
