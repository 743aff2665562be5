"""The one result page at /search/: products first with price, stock and Add to cart, then
articles and pages; "Did you mean"; facets and pages as plain GET links; hostile text."""

import logging

import pytest
from oscar.core.loading import get_model

from search import views

Category = get_model("catalogue", "Category")

URL = "/search/"


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


def _page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, params
    return response.content.decode()


def test_products_come_first_with_price_stock_and_add_to_cart_then_articles(demo, client, uncached):
    html = _page(client, q="pain therpy")
    assert "Did you mean" in html and "pain therapy" in html
    products = html.index('id="search-products-title"')
    content = html.index('id="search-pages-title"')
    assert products < html.index("Pain Therapy System") < content
    assert "$149.95" in html and "In stock" in html and 'class="add-to-cart"' in html
    assert "How TENS Therapy Works" in html[content:]


def test_facets_narrow_products_without_javascript(demo, client, uncached):
    everything = _page(client, q="pads")
    assert "Replacement Electrode Pads" in everything and "Pain Therapy System" in everything
    cheap = _page(client, q="pads", price="under-25")
    assert "Replacement Electrode Pads" in cheap and "$149.95" not in cheap
    articles_only = _page(client, q="pads", type="article")
    assert 'id="search-products-title"' not in articles_only
    assert "How TENS Therapy Works" in articles_only
    assert 'name="category"' in everything and 'name="in_stock"' in everything
    pads_category = Category.objects.get(slug="pads-accessories").pk
    accessories = _page(client, q="pads", category=str(pads_category))
    assert "Replacement Electrode Pads" in accessories and "$149.95" not in accessories


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'; DROP TABLE sitesearch_document; --",
        "100%",
        "_",
        "\\",
        "\\%_",
        "x" * 10_000,
        "\u202eniap \u05e9\u05dc\u05d5\u05dd",
        "\U0001f600 pads \U0001f4aa",
        "   ",
        "",
        "NEAR(back pain) OR pain* AND",
        '"><img src=x onerror=alert(1)>',
    ],
)
def test_hostile_text_gets_a_normal_page(demo, client, uncached, caplog, query):
    with caplog.at_level(logging.WARNING):
        response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert b"<img src=x" not in response.content
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_a_nul_byte_is_a_bad_request_not_an_error(demo, client, uncached):
    # Refused before the view by the site's request checks (a 4xx, never a 500).
    assert client.get(URL, {"q": "pain\x00relief"}).status_code == 400


def test_percent_and_underscore_are_literal_not_wildcards(demo, client, uncached):
    assert "Nothing matches" in _page(client, q="%")
    # As a LIKE pattern " p__s" would match " pads"; as a word it matches nothing here.
    assert "Nothing matches" in _page(client, q="p__s")


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page": "abc"}, 200),
        ({"page": "-1"}, 200),
        ({"page": "9" * 40}, 200),
        ({"page": "2"}, 404),
        ({"page": "99999"}, 404),
        ({"category": "x", "price": "free", "type": "other", "in_stock": "yes"}, 200),
        ({"category": "9" * 40}, 200),
    ],
)
def test_odd_page_numbers_and_filters_give_page_one_or_404(demo, client, uncached, params, status):
    assert client.get(URL, {"q": "pads", **params}).status_code == status


def test_pages_link_to_each_other_keeping_the_query_and_filters(
    demo, client, uncached, monkeypatch
):
    monkeypatch.setattr(views, "PRODUCTS_PER_PAGE", 1)
    first = _page(client, q="pads", in_stock="1")
    assert 'href="?q=pads&amp;in_stock=1&amp;page=2"' in first
    second = _page(client, q="pads", in_stock="1", page="2")
    assert "Page 2 of" in second
