"""The result page and the suggestions cost a fixed number of queries, whatever the number
of products they find."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import create_product


def _add_products(start, count):
    for number in range(start, start + count):
        create_product(
            title=f"Heating pad model {number}",
            upc=f"HEAT-{number}",
            price=Decimal("19.99") + number,
            num_in_stock=5,
        )


def _count(client, url, params):
    client.get(url, params)  # warm caches (thumbnails, the vocabulary)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params", "shown"),
    [
        ("/search/", {"q": "heating pads"}, b'class="product-card"'),
        ("/search/suggest/", {"q": "heatng pad"}, b'"price"'),
    ],
)
def test_queries_do_not_grow_with_the_products_found(
    client, settings, django_assert_max_num_queries, url, params, shown
):
    settings.PAGE_CACHE_SECONDS = 0
    _add_products(0, 3)
    baseline = _count(client, url, params)
    _add_products(3, 30)
    client.get(url, params)
    with django_assert_max_num_queries(baseline):
        response = client.get(url, params)
    # A full page of product cards (12), or the five suggested products.
    assert response.content.count(shown) == (12 if url == "/search/" else 5)
