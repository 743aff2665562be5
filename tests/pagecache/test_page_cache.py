"""Whole-page cache: anonymous pages come from the cache; content changes show at once."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ARTICLE = "/blog/what-do-back-spasms-feel-like/"


def _product():
    return Product.objects.get(upc="RW-PTS-100")


@pytest.mark.django_db
def test_anonymous_page_is_served_from_cache_after_first_hit(
    demo, client, django_assert_num_queries
):
    assert client.get(ARTICLE)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(ARTICLE)
    assert second["X-Page-Cache"] == "hit"
    assert second.status_code == 200


@pytest.mark.django_db
def test_cached_copy_carries_no_csrf_token(demo, client):
    url = _product().get_absolute_url()
    client.get(url)
    html = client.get(url).content.decode()
    assert 'name="csrfmiddlewaretoken" value=""' in html
    assert "Set-Cookie" not in str(client.get(url).headers)


@pytest.mark.django_db
def test_price_change_shows_on_next_request(demo, client):
    url = _product().get_absolute_url()
    assert "$149.95" in client.get(url).content.decode()
    record = StockRecord.objects.get(product=_product())
    record.price = Decimal("129.00")
    record.save()
    html = client.get(url).content.decode()
    assert "$129.00" in html and "$149.95" not in html


@pytest.mark.django_db
def test_stock_change_shows_on_next_request(demo, client):
    url = _product().get_absolute_url()
    assert "In stock" in client.get(url).content.decode()
    record = StockRecord.objects.get(product=_product())
    record.num_in_stock = 0
    record.save()
    assert "Unavailable" in client.get(url).content.decode()


@pytest.mark.django_db
def test_publishing_an_article_shows_on_next_request(demo, client):
    from blog.models import ArticlePage

    client.get("/blog/")
    article = ArticlePage.objects.get(slug="what-do-back-spasms-feel-like")
    article.title = "Back spasms: what they feel like"
    article.save_revision().publish()
    assert "Back spasms: what they feel like" in client.get("/blog/").content.decode()


@pytest.mark.django_db
def test_visitor_with_basket_never_gets_another_visitors_mini_cart(demo, client):
    from django.test import Client

    other = Client()
    pads = Product.objects.get(upc="RW-PAD-4")
    other.post(f"/shop/basket/add/{pads.pk}/", {"quantity": 3})
    other_html = other.get(ARTICLE).content.decode()
    assert '<span class="mini-cart-count">3</span>' in other_html

    anonymous_html = client.get(ARTICLE).content.decode()
    assert "You have no items in your shopping cart." in anonymous_html
    # The basket holder's page is rendered for them, not served from the shared cache.
    assert other.get(ARTICLE).get("X-Page-Cache") is None
    assert '<span class="mini-cart-count">3</span>' in other.get(ARTICLE).content.decode()


@pytest.mark.django_db
def test_signed_in_visitor_is_never_served_the_anonymous_copy(demo, client, django_user_model):
    client.get("/")
    user = django_user_model.objects.create_user("shopper", "s@example.com", "pw-123456")
    client.force_login(user)
    response = client.get("/")
    assert response.get("X-Page-Cache") is None
    assert "My account" in response.content.decode()


@pytest.mark.django_db
def test_private_areas_are_not_cached(demo, client):
    for url in ("/shop/basket/", "/cms/login/", "/dashboard/login/"):
        client.get(url)
        assert client.get(url).get("X-Page-Cache") is None
