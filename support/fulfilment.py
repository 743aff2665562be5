"""Dispatch and delivery: the write-side rules behind the order page's forms, the order
list's bulk action and the CSV upload, which all come here as rows.

Oscar's way: a parcel leaving is a "Dispatched" ``ShippingEvent`` on the lines it holds
(Oscar's ``EventHandler`` checks the quantities), arriving is a "Delivered" one, and the
order's and lines' statuses follow from those events through the status pipeline in
settings (``Order.set_status``, which records an ``OrderStatusChange``). Carrier and
tracking number sit beside the event in ``support.Shipment``. Statuses that belong to the
events are never set by hand (the dashboard does not offer them), so the guarantee window,
which counts from the events, always agrees with the status the customer and staff see.

Support lives in ``support/`` because the same people work the order page, the returns and
this; carriers' formats and links are in ``support/carriers.py``.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from support import carriers, emails
from support.models import AuditEntry, Shipment
from support.services import SupportError, require_permission

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")
EventHandler = get_class("order.processing", "EventHandler")

DISPATCHED = "dispatched"
DELIVERED = "delivered"
RETURNED_TO_SENDER = "returned-to-sender"

# Order and line statuses that follow the shipping events (see settings' pipelines).
STATUS_PARTLY_DISPATCHED = "Partially dispatched"
STATUS_DISPATCHED = "Dispatched"
STATUS_DELIVERED = "Delivered"
STATUS_RETURNED_TO_SENDER = "Returned to sender"
EVENT_STATUSES = (
    STATUS_PARTLY_DISPATCHED,
    STATUS_DISPATCHED,
    STATUS_DELIVERED,
    STATUS_RETURNED_TO_SENDER,
)
# Legacy manual statuses of the first pipeline, never offered again.
LEGACY_STATUSES = ("Shipped",)

PERM_SHIP = "order.add_shippingevent"


class ShipmentRefused(SupportError):
    pass


@dataclass
class Outcome:
    """What one dispatch or delivery did: ``changed`` False means it was already recorded."""

    order: object
    changed: bool
    message: str
    event: object = None


@dataclass
class RowResult:
    row: int
    order_number: str
    ok: bool
    changed: bool
    message: str


@dataclass
class Report:
    results: list = field(default_factory=list)
    error: str = ""  # the whole file or form was refused; nothing written

    @property
    def recorded(self):
        return sum(1 for r in self.results if r.ok and r.changed)

    @property
    def unchanged(self):
        return sum(1 for r in self.results if r.ok and not r.changed)

    @property
    def refused(self):
        return sum(1 for r in self.results if not r.ok)


EVENT_NAMES = {
    DISPATCHED: "Dispatched",
    DELIVERED: "Delivered",
    RETURNED_TO_SENDER: "Returned to sender",
}


def event_type(code):
    """The shipping event type. Migration support/0006 creates them; made here too if a
    superuser deleted one in the admin (or a test flushed the database)."""
    found = ShippingEventType.objects.filter(code=code).first()
    if found is None:
        found, _ = ShippingEventType.objects.get_or_create(
            name=EVENT_NAMES[code], defaults={"code": code}
        )
    return found


# --- One order ----------------------------------------------------------------------------


def _locked(order, on, what, line_ids):
    """The order row locked until the caller's transaction ends, when the ``what`` happened
    and the lines it is about; a cancelled order is refused."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    when = _event_time(order, on, what=what)
    lines = _lines(order, line_ids)
    if order.status == "Cancelled":
        raise ShipmentRefused(f"Order {order.number} is cancelled.")
    return order, when, lines


def record_dispatch(
    *, order, by, carrier, tracking_number, line_ids=None, dispatched_on=None, source="order_page"
):
    """Record that ``line_ids`` (None: every line not yet dispatched) left with ``carrier``.

    Recording the same parcel again (same lines, same tracking number) changes nothing, so
    a CSV uploaded twice is harmless. Emails the customer after the commit.
    """
    require_permission(by, PERM_SHIP, action="mark orders dispatched", order=order)
    carrier_obj = _carrier(carrier)
    tracking = _tracking(carrier_obj, tracking_number)
    with transaction.atomic():
        order, when, lines = _locked(order, dispatched_on, "dispatch", line_ids)
        dispatched, delivered = event_type(DISPATCHED), event_type(DELIVERED)
        already = _shipped(lines, dispatched)
        same_parcel = Shipment.objects.filter(
            event__order=order, event__event_type=dispatched, tracking_number=tracking
        ).exists()
        if line_ids is None:
            todo = [line for line in lines if line.pk not in already]
            if not todo:
                if same_parcel:
                    return Outcome(
                        order,
                        False,
                        f"Order {order.number} was already dispatched "
                        f"with {carrier_obj.name} {tracking}; nothing changed.",
                    )
                if _shipped(lines, delivered).keys() >= {line.pk for line in lines}:
                    raise ShipmentRefused(f"Order {order.number} has already been delivered.")
                raise ShipmentRefused(
                    f"Every item of order {order.number} has already been dispatched."
                )
            lines = todo
        else:
            taken = [line for line in lines if line.pk in already]
            if taken:
                if same_parcel and len(taken) == len(lines):
                    return Outcome(
                        order,
                        False,
                        f"These items of order {order.number} were "
                        f"already dispatched with {carrier_obj.name} {tracking}; "
                        "nothing changed.",
                    )
                raise ShipmentRefused(
                    "Already dispatched: " + ", ".join(_line_label(line) for line in taken) + "."
                )
        gone = _shipped(lines, delivered)
        if gone and line_ids is None and len(gone) == len(lines):
            raise ShipmentRefused(f"Order {order.number} has already been delivered.")
        if gone:
            raise ShipmentRefused(
                "Already delivered: "
                + ", ".join(_line_label(line) for line in lines if line.pk in gone)
                + "."
            )
        refunded = [line for line in lines if hasattr(line, "support_refund_line")]
        if refunded:
            raise ShipmentRefused(
                "Refunded before dispatch: "
                + ", ".join(_line_label(line) for line in refunded)
                + "."
            )
        event = _create_event(order, dispatched, lines, when, f"{carrier_obj.name} {tracking}")
        Shipment.objects.create(
            event=event,
            carrier=carrier_obj.code,
            tracking_number=tracking,
            source=source,
            created_by=by,
        )
        sync_statuses(order)
        message = (
            f"Dispatched {_count(lines)} of order {order.number} with {carrier_obj.name}, "
            f"tracking number {tracking}."
        )
        _audit(order, by, "dispatched", message)
    # After the commit, as the return emails: a failed send must not undo the dispatch.
    # A mail server that is down is logged, not raised: the parcel has left all the same,
    # and a CSV of many orders must not stop half-way.
    if to := _customer_email(order):
        try:
            emails.send(
                "order_dispatched",
                order=order,
                to=to,
                context={
                    "lines": lines,
                    "carrier": carrier_obj,
                    "tracking_number": tracking,
                    "tracking_url": carriers.tracking_url(carrier_obj.code, tracking),
                },
            )
        except Exception:
            logger.exception("The dispatch email of order %s was not sent", order.number)
    return Outcome(order, True, message, event)


def record_delivery(*, order, by, line_ids=None, delivered_on=None, source="order_page"):
    """Record that ``line_ids`` (None: every line not yet delivered) arrived on
    ``delivered_on`` (None: today). Not before the lines were dispatched, not in the future.
    An order may be marked delivered without a dispatch on record (a parcel sent outside
    the store's screens); the guarantee then counts from this date all the same."""
    require_permission(by, PERM_SHIP, action="mark orders delivered", order=order)
    with transaction.atomic():
        order, when, lines = _locked(order, delivered_on, "delivery", line_ids)
        dispatched, delivered = event_type(DISPATCHED), event_type(DELIVERED)
        done = _shipped(lines, delivered)
        todo = [line for line in lines if line.pk not in done]
        if not todo:
            first = min(done.values())
            return Outcome(
                order,
                False,
                f"Order {order.number} was already marked delivered on "
                f"{_date_text(timezone.localdate(first))}; nothing changed.",
            )
        if line_ids is not None and len(todo) != len(lines):
            raise ShipmentRefused(
                "Already delivered: "
                + ", ".join(_line_label(line) for line in lines if line.pk in done)
                + "."
            )
        sent = _shipped(todo, dispatched)
        if sent:
            latest = max(sent.values())
            if timezone.localdate(when) < timezone.localdate(latest):
                raise ShipmentRefused(
                    f"The delivery date can't be before the dispatch date "
                    f"({_date_text(timezone.localdate(latest))})."
                )
            when = max(when, latest + datetime.timedelta(seconds=1))
        event = _create_event(order, delivered, todo, when, "")
        Shipment.objects.create(event=event, source=source, created_by=by)
        sync_statuses(order)
        message = (
            f"Marked {_count(todo)} of order {order.number} delivered on "
            f"{_date_text(timezone.localdate(when))}."
        )
        _audit(order, by, "delivered", message)
    return Outcome(order, True, message, event)


# --- Many orders (bulk action, CSV) ---------------------------------------------------------


@dataclass
class Row:
    """One order of a bulk dispatch or delivery, as typed or read from a file."""

    row: int
    order_number: str
    carrier: str = ""
    tracking_number: str = ""
    lines: str = ""  # partner SKUs separated by ";" (empty: the whole order)
    on: str = ""  # YYYY-MM-DD (empty: today)


def apply_rows(*, kind, rows, by, source):
    """Dispatch (``kind`` "dispatched") or deliver each row; each row in its own
    transaction, so an order is changed whole or not at all, and a bad row does not stop
    the good ones. Returns a Report with a line per row."""
    require_permission(by, PERM_SHIP, action=f"mark orders {kind}")
    report = Report()
    seen = {}
    for row in rows:
        number = (row.order_number or "").strip()
        try:
            if not number:
                raise ShipmentRefused("The order number is empty.")
            if number in seen:
                raise ShipmentRefused(f"Order {number} is also on row {seen[number]}.")
            seen[number] = row.row
            order = Order.objects.filter(number=number).first()
            if order is None:
                raise ShipmentRefused(f"There is no order {number[:40]}.")
            line_ids = _line_ids_from_skus(order, row.lines)
            on = parse_date(row.on)
            if kind == DISPATCHED:
                outcome = record_dispatch(
                    order=order,
                    by=by,
                    carrier=row.carrier,
                    tracking_number=row.tracking_number,
                    line_ids=line_ids,
                    dispatched_on=on,
                    source=source,
                )
            else:
                outcome = record_delivery(
                    order=order, by=by, line_ids=line_ids, delivered_on=on, source=source
                )
        except SupportError as exc:
            report.results.append(RowResult(row.row, number[:40], False, False, str(exc)))
        else:
            report.results.append(
                RowResult(row.row, number, True, outcome.changed, outcome.message)
            )
    return report


def parse_date(value):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ShipmentRefused(f'"{value[:20]}" is not a date; write it as YYYY-MM-DD.')


# --- Statuses -----------------------------------------------------------------------------


def sync_statuses(order):
    """Move the lines' and the order's statuses to where the shipping events put them.

    Only along the pipeline: a line or order in a return or refund status keeps it (the
    return is the newer fact), and nothing ever moves backwards.
    """
    dispatched, delivered = event_type(DISPATCHED), event_type(DELIVERED)
    lines = list(order.lines.select_related("support_refund_line"))
    sent = _shipped(lines, dispatched)
    arrived = _shipped(lines, delivered)
    for line in lines:
        target = (
            STATUS_DELIVERED
            if line.pk in arrived
            else STATUS_DISPATCHED
            if line.pk in sent
            else None
        )
        if target and target != line.status and target in line.available_statuses():
            line.set_status(target)
    shipping = [
        line
        for line in lines
        if not hasattr(line, "support_refund_line") or line.pk in sent or line.pk in arrived
    ]
    if shipping and all(line.pk in arrived for line in shipping):
        target = STATUS_DELIVERED
    elif shipping and all(line.pk in arrived or line.pk in sent for line in shipping):
        target = STATUS_DISPATCHED
    elif sent or arrived:
        target = STATUS_PARTLY_DISPATCHED
    else:
        return
    if target != order.status and target in order.available_statuses():
        order.set_status(target)


def manual_statuses(statuses):
    """The statuses staff may pick by hand: none that the shipping events decide."""
    return [s for s in statuses if s not in EVENT_STATUSES and s not in LEGACY_STATUSES]


# --- Helpers ------------------------------------------------------------------------------


def _carrier(value):
    try:
        return carriers.find(value)
    except carriers.TrackingNumberError as exc:
        raise ShipmentRefused(str(exc))


def _tracking(carrier, value):
    try:
        return carriers.normalise(carrier, value)
    except carriers.TrackingNumberError as exc:
        raise ShipmentRefused(str(exc))


def _lines(order, line_ids):
    lines = list(order.lines.select_related("support_refund_line").order_by("pk"))
    if line_ids is None:
        return lines
    wanted = set(line_ids)
    if not wanted:
        raise ShipmentRefused("Choose at least one item.")
    chosen = [line for line in lines if line.pk in wanted]
    if len(chosen) != len(wanted):
        raise ShipmentRefused(f"Some of the items chosen are not part of order {order.number}.")
    return chosen


def _line_ids_from_skus(order, value):
    skus = [s.strip() for s in (value or "").replace(",", ";").split(";") if s.strip()]
    if not skus:
        return None
    by_sku = {}
    for line in order.lines.all():
        for key in (line.partner_sku, line.upc):
            if key:
                by_sku.setdefault(key.lower(), line.pk)
    unknown = [s for s in skus if s.lower() not in by_sku]
    if unknown:
        raise ShipmentRefused(
            f"Order {order.number} has no item with SKU " + ", ".join(u[:40] for u in unknown) + "."
        )
    return sorted({by_sku[s.lower()] for s in skus})


def _shipped(lines, event_type_obj):
    """{line id: date of the first event of that type} for lines wholly through it."""
    from django.db.models import Min, Sum

    ShippingEventQuantity = get_model("order", "ShippingEventQuantity")
    rows = (
        ShippingEventQuantity.objects.filter(
            line__in=[line.pk for line in lines], event__event_type=event_type_obj
        )
        .values("line_id")
        .annotate(quantity=Sum("quantity"), first=Min("event__date_created"))
    )
    quantities = {line.pk: line.quantity for line in lines}
    return {r["line_id"]: r["first"] for r in rows if r["quantity"] >= quantities[r["line_id"]]}


def _event_time(order, day, *, what):
    now = timezone.now()
    if day is None:
        return now
    today = timezone.localdate(now)
    if day > today:
        raise ShipmentRefused(f"The {what} date can't be in the future.")
    if day < timezone.localdate(order.date_placed):
        raise ShipmentRefused(
            f"The {what} date can't be before the order was placed "
            f"({_date_text(timezone.localdate(order.date_placed))})."
        )
    if day == today:
        return now
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _create_event(order, type_obj, lines, when, reference):
    from oscar.apps.order.exceptions import InvalidShippingEvent

    try:
        event = EventHandler().handle_shipping_event(
            order, type_obj, lines, [line.quantity for line in lines], reference=reference
        )
    except InvalidShippingEvent as exc:
        raise ShipmentRefused(str(exc))
    if abs((event.date_created - when).total_seconds()) > 1:
        ShippingEvent.objects.filter(pk=event.pk).update(date_created=when)
        event.date_created = when
    return event


def _customer_email(order):
    return order.guest_email or (order.user.email if order.user_id else "")


def _line_label(line):
    return f"{line.title} ({line.partner_sku})" if line.partner_sku else line.title


def _count(lines):
    items = sum(line.quantity for line in lines)
    return "1 item" if items == 1 else f"{items} items"


def _date_text(day):
    return f"{day:%B} {day.day}, {day.year}"


def _audit(order, actor, action, message):
    AuditEntry.objects.create(order=order, actor=actor, action=action, message=message)
