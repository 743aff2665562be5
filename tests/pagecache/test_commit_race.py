"""A price saved in a transaction still open while another request renders the page: once
the transaction commits, the next request shows the new price.

Real threads, each with its own database connection (PostgreSQL, and SQLite in WAL mode,
where a reader sees the last committed data while a writer holds its transaction).
"""

import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from oscar.core.loading import get_model

from pagecache.cache import invalidate, lookup, set_copy

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def demo_committed(transactional_db, django_db_serialized_rollback):
    """The demo store, committed (the threads see it); the database is put back as the
    migrations left it afterwards (Wagtail's site and root page)."""
    call_command("load_demo", verbosity=0)


def _in_thread(func):
    result = {}

    def run():
        try:
            result["value"] = func()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return result["value"]


@pytest.mark.django_db(transaction=True)
def test_a_request_during_an_open_price_transaction_does_not_keep_the_old_price(
    demo_committed,
):
    url = Product.objects.get(upc="RW-PTS-100").get_absolute_url()
    visitor = Client()
    assert "$149.95" in visitor.get(url).content.decode()

    saved = threading.Event()
    commit = threading.Event()

    def editor():
        with transaction.atomic():
            record = StockRecord.objects.get(product__upc="RW-PTS-100")
            record.price = Decimal("129.00")
            record.save()
            saved.set()
            assert commit.wait(timeout=30)

    thread = threading.Thread(target=lambda: (editor(), connection.close()))
    thread.start()
    try:
        assert saved.wait(timeout=30)
        # Rendered by another connection while the price is saved but not committed.
        during = _in_thread(lambda: Client().get(url))
        assert "$149.95" in during.content.decode()
    finally:
        commit.set()
        thread.join(timeout=30)

    for _ in range(3):
        html = visitor.get(url).content.decode()
        assert "$129.00" in html and "$149.95" not in html


@pytest.mark.django_db
def test_a_render_overlapping_an_invalidation_is_not_kept():
    _page, clock = lookup("pagecache:page:race")
    invalidate({"p:1"})  # committed while the page was rendering
    assert not set_copy("pagecache:page:race", "old price", {"p:1"}, 600, clock)
    assert lookup("pagecache:page:race")[0] is None

    _page, clock = lookup("pagecache:page:race")
    assert set_copy("pagecache:page:race", "new price", {"p:1"}, 600, clock)
    assert lookup("pagecache:page:race")[0] == "new price"
