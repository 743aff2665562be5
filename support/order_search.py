"""The order search table (``OrderSearchEntry``): building its rows and the look-ups on it.

The dashboard finds orders by customer email (the guest email or the account's) and by
name (first and last name of the shipping address, the billing address or the account).
Searched live, each is a union over four tables and misses the 100 ms target at 100,000
orders (bench/orders.py). The search table keeps both in one row per order, lower-cased:

- ``email``: the distinct emails, one a line: ``"guest@example.com"``;
- ``name``: each distinct (first, last) pair as ``"\\n" + first + "\\t" + last``.

so that "email contains" is one LIKE and "first/last name starts with" is one LIKE (a
single word) or one regular expression ("first last"), each served by a GIN trigram index
on PostgreSQL (migration 0004). Line breaks and tabs separate the parts; a search term
never holds them (the search form strips and the name is split on whitespace).

``refresh`` rebuilds the rows of some orders; support/signals.py calls it when an order,
its addresses or its customer's account are saved or deleted. Bulk writes that bypass
signals (``QuerySet.update``, ``bulk_create``) must call ``refresh`` or
``rebuild`` themselves, as bench/orders.py and migration 0004 do.
"""

import re

from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.lookups import Regex
from oscar.core.loading import get_model

from support.models import OrderSearchEntry

RECORD = "\n"  # before each (first, last) pair in ``name``; between emails in ``email``
FIELD = "\t"  # between first and last name

NAME_SOURCES = ("shipping_address", "billing_address", "user")
VALUE_FIELDS = (
    "pk",
    "guest_email",
    "user__email",
    *(f"{source}__{field}" for source in NAME_SOURCES for field in ("first_name", "last_name")),
)
UPDATE_FIELDS = ["email", "name"]


def _models(Order=None, Entry=None):
    return Order or get_model("order", "Order"), Entry or OrderSearchEntry


def entry_fields(row):
    """``email`` and ``name`` for an order, from a ``values(*VALUE_FIELDS)`` row."""
    emails = []
    for email in (row["guest_email"], row["user__email"]):
        email = (email or "").lower()
        if email and email not in emails:
            emails.append(email)
    names = []
    for source in NAME_SOURCES:
        first = (row[f"{source}__first_name"] or "").lower()
        last = (row[f"{source}__last_name"] or "").lower()
        pair = f"{RECORD}{first}{FIELD}{last}"
        if (first or last) and pair not in names:
            names.append(pair)
    return {"email": RECORD.join(emails), "name": "".join(names)}


def refresh(orders, *, Order=None, Entry=None, batch_size=2000):
    """Write the search rows of ``orders`` (a queryset of orders, or order ids)."""
    Order, Entry = _models(Order, Entry)
    if not hasattr(orders, "values"):
        orders = Order.objects.filter(pk__in=list(orders))
    rows = orders.order_by().values(*VALUE_FIELDS)
    entries = [Entry(order_id=row["pk"], **entry_fields(row)) for row in rows]
    if entries:
        Entry.objects.bulk_create(
            entries,
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=["order"],
            update_fields=UPDATE_FIELDS,
        )
    return len(entries)


def rebuild(*, only_missing=False, Order=None, Entry=None, chunk=5000):
    """Write the search rows of every order (or only of those without one), in chunks."""
    Order, Entry = _models(Order, Entry)
    orders = Order.objects.order_by("pk")
    if only_missing:
        orders = orders.filter(support_search_entry__isnull=True)
    written, last = 0, None
    while True:
        page = orders if last is None else orders.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:chunk])
        if not ids:
            return written
        written += refresh(Order.objects.filter(pk__in=ids), Order=Order, Entry=Entry)
        last = ids[-1]


# --- Look-ups -----------------------------------------------------------------------------


def email_query(term):
    """Entries whose guest or account email contains ``term``, any case."""
    return Q(email__contains=term.lower())


def name_query(term):
    """Entries with a name pair matching ``term`` as Oscar's own search does: "Ada" matches
    a first or last name starting with "ada", "Ada Shopper" a first name starting with
    "ada" and, in the same pair, a last name starting with "shopper"."""
    first, *rest = term.lower().split()
    if not rest:
        return Q(name__contains=RECORD + first) | Q(name__contains=FIELD + first)
    last = " ".join(rest)
    # One pair: the first name's remainder cannot run into the next pair. The regular
    # expression alone makes PostgreSQL's trigram index give up on "[^...]*" and scan every
    # row (p95 ~200 ms at 100,000 orders); two plain LIKEs find the candidates through the
    # index, and the expression, on lower(name) (equal to name, which is stored lower-cased,
    # but outside the index), only re-checks those few rows.
    pattern = f"{RECORD}{re.escape(first)}[^{RECORD}{FIELD}]*{FIELD}{re.escape(last)}"
    return (
        Q(name__contains=RECORD + first)
        & Q(name__contains=FIELD + last)
        & Q(Regex(Lower("name"), pattern))
    )
