"""The product feed: valid for every demo product, built in a fixed number of queries,
cached until the catalogue changes."""

import csv
import io
import re
import time
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from marketing.feeds import COLUMNS, feed_items, render_rss

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

G = "{http://base.google.com/ns/1.0}"
URL = re.compile(r"^https?://[^\s/]+/\S*$")

# The column rules of Google's product data specification and Meta's catalogue fields.
RULES = {
    "id": lambda v: 0 < len(v) <= 50,
    "title": lambda v: 0 < len(v) <= 150,
    "description": lambda v: 0 < len(v) <= 5000 and "<" not in v,
    "availability": lambda v: v in {"in stock", "out of stock"},
    "condition": lambda v: v == "new",
    "price": lambda v: re.fullmatch(r"\d+\.\d{2} [A-Z]{3}", v) is not None,
    "link": lambda v: URL.match(v) is not None,
    "image_link": lambda v: URL.match(v) is not None,
    "brand": lambda v: 0 < len(v) <= 100,
}


def assert_valid(item):
    for column, rule in RULES.items():
        assert rule(item.get(column, "")), f"{item.get('id')}: bad {column}: {item.get(column)!r}"


def rss_items(content):
    root = ET.fromstring(content)  # noqa: S314 - the feed we just built
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") and channel.findtext("link")
    return [
        {child.tag.removeprefix(G): (child.text or "") for child in item}
        for item in channel.findall("item")
    ]


def buyable_demo_products():
    return Product.objects.filter(is_public=True).exclude(structure=Product.PARENT)


def test_xml_feed_validates_for_every_demo_product(client, demo):
    response = client.get(reverse("marketing:product-feed-xml"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    items = rss_items(response.content)
    for item in items:
        assert_valid(item)
    expected = {product.upc for product in buyable_demo_products()}
    assert expected and {item["id"] for item in items} == expected
    therapy = next(item for item in items if item["id"] == "RW-PTS-100")
    assert therapy["price"] == "149.95 USD"
    assert therapy["availability"] == "in stock"
    assert therapy["brand"] == "ReliefWorks"
    assert therapy["link"].startswith("http://testserver/shop/catalogue/")
    assert therapy["image_link"].startswith("http://testserver/media/")


def test_csv_feed_validates_for_every_demo_product(client, demo):
    response = client.get(reverse("marketing:product-feed-csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    assert tuple(reader.fieldnames) == COLUMNS
    rows = list(reader)
    for row in rows:
        assert_valid(row)
    assert {row["id"] for row in rows} == {p.upc for p in buyable_demo_products()}


def test_out_of_stock_and_unpriced_products(db):
    create_product(upc="SOLD-OUT", title="Sold out", price=Decimal("10.00"), num_in_stock=0)
    create_product(upc="NO-PRICE", title="Not for sale yet")

    items = {item["id"]: item for item in feed_items(base_url="http://shop.example/")}

    assert items["SOLD-OUT"]["availability"] == "out of stock"
    # No price, no offer: such a product cannot be in a feed.
    assert "NO-PRICE" not in items


def test_variants_are_items_grouped_by_their_parent(db):
    parent = create_product(upc="BELT", title="Therapy belt", structure="parent")
    create_product(upc="BELT-S", title="", parent=parent, price=Decimal("39.95"), num_in_stock=3)
    create_product(upc="BELT-L", title="Large", parent=parent, price=Decimal("44.95"))

    items = {item["id"]: item for item in feed_items(base_url="http://shop.example/")}

    assert set(items) == {"BELT-S", "BELT-L"}
    assert items["BELT-S"]["item_group_id"] == "BELT"
    assert items["BELT-S"]["title"] == "Therapy belt"
    assert items["BELT-L"]["price"] == "44.95 USD"


def make_catalogue(count):
    product_class, _ = ProductClass.objects.get_or_create(name="Device", track_stock=True)
    partner, _ = Partner.objects.get_or_create(name="ReliefWorks")
    start = Product.objects.count()
    products = Product.objects.bulk_create(
        Product(
            title=f"Device {n}",
            slug=f"device-{n}",
            upc=f"BULK-{n}",
            product_class=product_class,
            description=f"<p>Device number {n} &amp; its pads.</p>",
        )
        for n in range(start, start + count)
    )
    StockRecord.objects.bulk_create(
        StockRecord(
            product=product,
            partner=partner,
            partner_sku=product.upc,
            price=Decimal("149.95"),
            num_in_stock=5,
        )
        for product in products
    )


def count_queries():
    with CaptureQueriesContext(connection) as queries:
        items = feed_items(base_url="http://shop.example/")
    return len(queries), items


def test_feed_of_1000_products_is_valid_in_a_fixed_number_of_queries(db):
    make_catalogue(10)
    few_queries, _ = count_queries()
    make_catalogue(990)

    started = time.monotonic()
    many_queries, items = count_queries()
    elapsed = time.monotonic() - started

    assert len(items) == 1000
    assert many_queries == few_queries
    for item in items:
        assert_valid(item)
    assert elapsed < 10, f"building the feed took {elapsed:.1f}s"
    # And it is well-formed XML with all of them.
    assert len(rss_items(render_rss(items, base_url="http://shop.example/"))) == 1000


def test_feed_is_cached_until_the_catalogue_changes(client, db):
    product = create_product(upc="RW-1", title="Unit", price=Decimal("10.00"), num_in_stock=1)
    url = reverse("marketing:product-feed-xml")
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        cached = client.get(url)
    assert not [q for q in queries if "catalogue_product" in q["sql"]]
    assert "10.00 USD" in cached.content.decode()

    stockrecord = product.stockrecords.get()
    stockrecord.price = Decimal("12.50")
    stockrecord.save()

    assert "12.50 USD" in client.get(url).content.decode()
