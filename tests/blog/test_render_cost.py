"""A page-cache miss must not be slow (issue 14): each page type renders in a fixed, small
number of queries, and never redoes work a previous render stored (image renditions).
bench/render_profile.py measures the same pages' CPU time per render."""

import pytest
from oscar.core.loading import get_model
from wagtail.images import get_image_model
from wagtail.models import Page

from shop.selectors import recommended_products

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


@pytest.fixture
def uncached(demo, settings):
    settings.PAGE_CACHE_SECONDS = 0


def _pages():
    return {
        "home": "/",
        "blog_index": "/blog/",
        "article": Page.objects.get(slug="what-do-back-spasms-feel-like").url,
        "condition": Page.objects.get(slug="back-pain").url,
        "category": Category.objects.get(slug="devices").get_absolute_url(),
        "product": Product.objects.get(upc="RW-PTS-100").get_absolute_url(),
        "clinics": "/clinics/?q=10001",
    }


# Queries of an anonymous visitor's uncached render of the demo store's pages.
BUDGETS = {
    "home": 16,
    "blog_index": 14,
    "article": 21,
    "condition": 16,
    "category": 13,
    "product": 16,
    "clinics": 10,
}


@pytest.mark.parametrize("name", BUDGETS)
def test_uncached_render_stays_within_its_query_budget(
    client, uncached, django_assert_max_num_queries, name
):
    url = _pages()[name]
    assert client.get(url).status_code == 200  # warm thumbnails and renditions
    with django_assert_max_num_queries(BUDGETS[name]):
        assert client.get(url).status_code == 200


def test_article_cards_reuse_their_stored_renditions(client, uncached, monkeypatch):
    """The cards' {% picture %} renditions come from the listing's prefetch; a spec missing
    from it made Wagtail encode six AVIF/WebP/JPEG images per card on every render."""
    urls = [_pages()[name] for name in ("home", "blog_index", "condition")]
    for url in urls:
        assert client.get(url).status_code == 200

    def create_renditions(image, *filters):
        assert not filters, f"rendered again: {[f.spec for f in filters]}"
        return {}

    monkeypatch.setattr(get_image_model(), "create_renditions", create_renditions)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert b"<picture" in response.content


def test_product_page_recommends_what_oscar_recommends(client, uncached):
    product = Product.objects.get(upc="RW-PTS-100")
    expected = product.sorted_recommended_products[:6]
    assert expected, "the demo product has recommendations"
    assert recommended_products(product) == expected
    html = client.get(product.get_absolute_url()).content.decode()
    for recommended in expected:
        assert recommended.get_absolute_url() in html
