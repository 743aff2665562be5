"""Product page, category listing (sorting, pagination), search, and their query counts."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import create_product

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_product_page_shows_gallery_price_stock_attributes_and_recommendations(client, store_demo):
    product = Product.objects.get(upc="RW-PTS-100")
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'alt="Pain Therapy System product photo"' in html
    assert "$149.95" in html
    assert "In stock" in html
    assert "Output channels" in html and "Rechargeable battery" in html
    assert "Customer Reviews" in html
    assert "Replacement Electrode Pads" in html  # recommended
    assert 'name="quantity"' in html


def test_category_lists_its_products_sorted_by_price(client, store_demo):
    category = Category.objects.get(slug="pads-accessories")
    response = client.get(category.get_absolute_url(), {"sort_by": "price-desc"})
    titles = [p.title for p in response.context["products"]]
    assert titles == [
        "Therapy Belt",
        "Large Body Pads (2 pack)",
        "Replacement Electrode Pads (4 pack)",
    ]
    assert "Pain Therapy System" not in titles


def make_catalogue(count, category):
    for number in range(count):
        product = create_product(
            title=f"Product {number:03}", price=Decimal(10 + number), num_in_stock=5
        )
        ProductCategory.objects.create(product=product, category=category)


def test_category_is_paginated_and_bad_page_numbers_go_back_to_page_one(client, db):
    category = Category.add_root(name="Devices", slug="devices")
    make_catalogue(30, category)
    page_two = client.get(category.get_absolute_url(), {"page": 2})
    assert len(page_two.context["products"]) == 12
    assert page_two.context["page_obj"].number == 2
    for bad in ("999", "abc", "-1"):
        response = client.get(category.get_absolute_url(), {"page": bad})
        assert response.status_code == 302


def test_unknown_sort_order_falls_back_to_the_default(client, db):
    category = Category.add_root(name="Devices", slug="devices")
    make_catalogue(3, category)
    response = client.get(category.get_absolute_url(), {"sort_by": "'; drop"})
    assert response.status_code == 200
    assert len(response.context["products"]) == 3


def test_search_finds_products_by_words_in_title_or_description(client, store_demo):
    response = client.get("/shop/search/", {"q": "pads gel"})
    titles = [p.title for p in response.context["products"]]
    assert titles == ["Replacement Electrode Pads (4 pack)"]
    empty = client.get("/shop/search/", {"q": "zzzz"})
    assert "No products match" in empty.content.decode()


def test_unknown_category_and_product_are_404(client, db):
    assert client.get("/shop/catalogue/category/nothing_999/").status_code == 404
    assert client.get("/shop/catalogue/nothing_999/").status_code == 404


def _count_queries(client, url, django_assert_max_num_queries, limit):
    client.get(url)  # warm thumbnails and caches
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("catalogue_size", [10, 200])
def test_category_page_queries_do_not_grow_with_the_catalogue(
    client, db, no_page_cache, django_assert_max_num_queries, catalogue_size
):
    category = Category.add_root(name="Devices", slug="devices")
    make_catalogue(catalogue_size, category)
    _count_queries(client, category.get_absolute_url(), django_assert_max_num_queries, 13)


@pytest.mark.parametrize("catalogue_size", [10, 200])
def test_product_page_queries_do_not_grow_with_the_catalogue(
    client, db, no_page_cache, django_assert_max_num_queries, catalogue_size
):
    category = Category.add_root(name="Devices", slug="devices")
    make_catalogue(catalogue_size, category)
    product = Product.objects.order_by("id").first()
    _count_queries(client, product.get_absolute_url(), django_assert_max_num_queries, 16)


@pytest.mark.parametrize("catalogue_size", [10, 200])
def test_basket_page_queries_do_not_grow_with_the_catalogue(
    client, db, django_assert_max_num_queries, catalogue_size
):
    category = Category.add_root(name="Devices", slug="devices")
    make_catalogue(catalogue_size, category)
    for product in Product.objects.order_by("id")[:3]:
        client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    _count_queries(client, "/shop/basket/", django_assert_max_num_queries, 40)
