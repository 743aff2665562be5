"""Read-side queries for support: order search, the guarantee window, refundable amounts,
and an order's timeline. Views, the dashboard fork and bench/orders.py call these."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from support import carriers, order_search
from support.models import AuditEntry, OrderSearchEntry, Refund, ReturnLine, ReturnRequest

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingAddress = get_model("order", "ShippingAddress")
ShippingEvent = get_model("order", "ShippingEvent")
Source = get_model("payment", "Source")
CommunicationEvent = get_model("order", "CommunicationEvent")

DELIVERED = "delivered"
DISPATCHED = "dispatched"
STRIPE_SOURCE = "stripe"


# --- Order search -------------------------------------------------------------------------


def phone_digits(value):
    return re.sub(r"\D", "", value or "")


def search_orders(
    queryset=None,
    *,
    number="",
    email="",
    name="",
    postcode="",
    phone="",
    payment_intent="",
    date_from=None,
    date_to=None,
    status="",
    user_id=None,
):
    """Orders matching every filter given; each filter is shaped to use one index.

    Filters on related tables are ``id IN (subquery)`` rather than joins, so each part uses
    an index and the result needs no DISTINCT. Email and name, which span the order, its
    addresses and its account, search one row per order in the search table
    (support/order_search.py); the indexes are in support/migrations/0003 and 0004,
    PostgreSQL only.
    """
    queryset = Order.objects.all() if queryset is None else queryset
    if number := number.strip():
        queryset = queryset.filter(number__istartswith=number)
    if email := email.strip():
        queryset = queryset.filter(pk__in=_search_entries(order_search.email_query(email)))
    if name := name.strip():
        queryset = queryset.filter(pk__in=_search_entries(order_search.name_query(name)))
    if postcode := postcode.strip():
        addresses = ShippingAddress.objects.filter(postcode__iexact=postcode).values("pk")
        queryset = queryset.filter(shipping_address_id__in=addresses)
    if digits := phone_digits(phone):
        # Phone numbers are stored in E.164 ("+12125550123"); match the digits typed.
        addresses = ShippingAddress.objects.filter(phone_number__contains=digits).values("pk")
        queryset = queryset.filter(shipping_address_id__in=addresses)
    if payment_intent := payment_intent.strip():
        orders = Source.objects.filter(reference=payment_intent).values("order_id")
        queryset = queryset.filter(pk__in=orders)
    if date_from:
        queryset = queryset.filter(date_placed__gte=_start_of(date_from))
    if date_to:
        queryset = queryset.filter(date_placed__lt=_start_of(date_to + datetime.timedelta(days=1)))
    if status:
        queryset = queryset.filter(status=status)
    if user_id:
        queryset = queryset.filter(user_id=user_id)
    return queryset


def _search_entries(query):
    """Ids of the orders whose search row (support/order_search.py) matches ``query``."""
    return OrderSearchEntry.objects.filter(query).values("order_id")


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- The money-back guarantee -------------------------------------------------------------


@dataclass(frozen=True)
class GuaranteeWindow:
    """The window in which an order may be returned for a refund.

    It opens on the day the order was delivered (a "Delivered" shipping event) or, when no
    delivery date is known, the day it was dispatched ("Dispatched"), and stays open for
    MONEY_BACK_GUARANTEE_DAYS whole days after that, in the store's time zone: an order
    delivered on 1 March may be returned until the end of 30 May.
    """

    basis: str  # "delivered", "dispatched" or "" (not shipped yet)
    starts_on: datetime.date | None
    closes_on: datetime.date | None

    @property
    def basis_words(self):
        """The basis as the customer reads it: "delivered" or "shipped"."""
        return "shipped" if self.basis == DISPATCHED else self.basis

    @property
    def has_started(self):
        return self.starts_on is not None

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.has_started and today <= self.closes_on


def guarantee_window(order):
    """From the first delivery on record; else from the first dispatch, counted as
    delivered ``SUPPORT_DELIVERED_AFTER_DAYS`` later (0: the dispatch day itself)."""
    days = settings.MONEY_BACK_GUARANTEE_DAYS
    for basis in (DELIVERED, DISPATCHED):
        event = (
            ShippingEvent.objects.filter(order=order)
            .filter(Q(event_type__code__iexact=basis) | Q(event_type__name__iexact=basis))
            .order_by("date_created")
            .first()
        )
        if event is not None:
            starts_on = timezone.localdate(event.date_created)
            if basis == DISPATCHED:
                starts_on += datetime.timedelta(days=settings.SUPPORT_DELIVERED_AFTER_DAYS)
            return GuaranteeWindow(basis, starts_on, starts_on + datetime.timedelta(days=days))
    return GuaranteeWindow("", None, None)


# --- Dispatch and delivery ------------------------------------------------------------------


@dataclass(frozen=True)
class ShipmentView:
    """One dispatch or delivery as the customer and staff read it."""

    kind: str  # "Dispatched", "Delivered", "Returned to sender"
    shopper_kind: str  # the same in the customer's words: "Shipped", ...
    when: datetime.datetime
    carrier: str
    tracking_number: str
    tracking_url: str
    items: list


def order_shipments(order):
    """The order's shipping events, oldest first, with carrier and tracking link: three
    queries whatever the number of events."""
    events = (
        order.shipping_events.select_related("event_type", "support_shipment")
        .prefetch_related("line_quantities__line")
        .order_by("date_created", "pk")
    )
    views = []
    for event in events:
        shipment = getattr(event, "support_shipment", None)
        carrier = shipment.carrier if shipment else ""
        number = shipment.tracking_number if shipment else ""
        views.append(
            ShipmentView(
                kind=event.event_type.name,
                shopper_kind=shopper_words(event.event_type.name),
                when=event.date_created,
                carrier=carriers.name(carrier) if carrier else "",
                tracking_number=number,
                tracking_url=carriers.tracking_url(carrier, number),
                items=[f"{q.quantity} × {q.line.title}" for q in event.line_quantities.all()],
            )
        )
    return views


# --- Returns and refunds ------------------------------------------------------------------


def returnable_lines(order):
    """Lines not yet in a live return request and not refunded by line."""
    taken = ReturnLine.objects.filter(order_line__order=order, is_active=True).values(
        "order_line_id"
    )
    return (
        order.lines.exclude(pk__in=taken).exclude(support_refund_line__isnull=False).order_by("pk")
    )


def refundable_lines(order):
    return order.lines.filter(support_refund_line__isnull=True).order_by("pk")


def stripe_source(order):
    """The order's card payment, or None; its reference is the PaymentIntent id."""
    return (
        order.sources.filter(source_type__name__iexact=STRIPE_SOURCE)
        .exclude(reference="")
        .order_by("pk")
        .first()
    )


def captured_amount(source):
    """What Stripe captured. PaymentIntents here capture on confirmation, so a source that
    records only an allocation was captured in full."""
    return source.amount_debited or source.amount_allocated


def refunded_amount(order):
    return order.refunds.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def refundable_amount(order):
    source = stripe_source(order)
    if source is None:
        return Decimal("0.00")
    return max(captured_amount(source) - refunded_amount(order), Decimal("0.00"))


def return_queue(*, status="", query="", date_from=None, date_to=None):
    returns = ReturnRequest.objects.select_related("order", "user").prefetch_related(
        "lines__order_line"
    )
    if status:
        returns = returns.filter(status=status)
    if query := query.strip():
        returns = returns.filter(
            Q(number__icontains=query)
            | Q(order__number__icontains=query)
            | Q(email__icontains=query)
        )
    if date_from:
        returns = returns.filter(created_at__gte=_start_of(date_from))
    if date_to:
        returns = returns.filter(created_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return returns


def returns_for_customer(order):
    return order.return_requests.prefetch_related("lines__order_line").order_by("-created_at")


# --- The customer's order page -------------------------------------------------------------

# Oscar's and support's statuses as a shopper reads them (US English: "shipped").
SHOPPER_STATUS = {
    "Paid": "Order received: we're getting it ready",
    "Partially dispatched": "Partly shipped",
    "Dispatched": "Shipped",
    "Delivered": "Delivered",
    "Returned to sender": "Returned to us by the carrier",
    "Cancelled": "Canceled",
    "Return approved": "Return approved",
    "Returned": "Returned",
    "Partially refunded": "Partly refunded",
    "Refunded": "Refunded",
}


def shopper_words(status):
    """An order status or shipping event in the shopper's words."""
    return SHOPPER_STATUS.get(status, status)


@dataclass(frozen=True)
class OrderPage:
    """What the one customer order page shows, for the account, the signed link from the
    confirmation email and thank-you page, and the order number + email look-up alike.

    ``in_account`` decides only the way back and which return form the button opens;
    ``can_return`` follows the rules of services.request_return: shipped, inside the
    guarantee window, and something left to return."""

    order: object
    status: str
    lines: list
    shipments: list
    window: GuaranteeWindow
    can_return: bool
    in_account: bool
    returns: object


def order_page(order, *, in_account):
    window = guarantee_window(order)
    return OrderPage(
        order=order,
        status=shopper_words(order.status),
        lines=list(order.lines.select_related("product").prefetch_related("product__images")),
        shipments=order_shipments(order),
        window=window,
        can_return=window.is_open() and returnable_lines(order).exists(),
        in_account=in_account,
        returns=returns_for_customer(order),
    )


# --- The order page (staff) ----------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.datetime
    who: str
    what: str


def order_timeline(order):
    """Who did what to the order and when, newest first: support's audit entries, staff
    notes, status changes, shipping and payment events, and emails sent."""
    entries = [
        TimelineEntry(e.created_at, _who(e.actor), e.message)
        for e in AuditEntry.objects.filter(order=order).select_related("actor")
    ]
    entries += [
        TimelineEntry(n.date_created, _who(n.user), f"Note: {n.message}")
        for n in order.notes.select_related("user")
    ]
    entries += [
        TimelineEntry(c.date_created, "", f"Status changed from {c.old_status} to {c.new_status}")
        for c in order.status_changes.all()
    ]
    entries += [
        TimelineEntry(
            e.date_created,
            "",
            f"Shipping: {e.event_type.name}" + (f" ({e.notes})" if e.notes else ""),
        )
        for e in order.shipping_events.select_related("event_type")
    ]
    entries += [
        TimelineEntry(
            e.date_created,
            "",
            f"Payment: {e.event_type.name} {e.amount} {order.currency} ({e.reference or '-'})",
        )
        for e in order.payment_events.select_related("event_type")
    ]
    entries += [
        # Queued at this time; the "Emails" table shows whether it has gone out.
        TimelineEntry(c.date_created, "", f"Email queued: {c.event_type.name}")
        for c in emails_sent(order)
    ]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def emails_sent(order):
    return CommunicationEvent.objects.filter(order=order).select_related("event_type")


def refunds_for_order(order):
    return (
        Refund.objects.filter(order=order)
        .select_related("created_by", "payment_event", "return_request")
        .prefetch_related("lines__order_line")
    )


def _who(user):
    return person(user)


def person(user):
    """A person as staff should read them: "Ada Shopper (ada@example.com)". Customers who
    register with an email get a random internal username, which means nothing to anyone."""
    if user is None:
        return ""
    name = user.get_full_name().strip()
    email = (user.email or "").strip()
    if name and email:
        return f"{name} ({email})"
    return name or email or user.get_username()
