"""Whole-page cache: anonymous pages come from the cache; content changes show at once."""

import re
from decimal import Decimal

import pytest
from django.test import Client
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


def _basket_visitor(quantity):
    from django.test import Client

    visitor = Client()
    pads = Product.objects.get(upc="RW-PAD-4")
    visitor.post(f"/shop/basket/add/{pads.pk}/", {"quantity": quantity})
    return visitor


@pytest.mark.django_db
def test_visitor_with_basket_never_gets_another_visitors_mini_cart(demo, client):
    three, one = _basket_visitor(3), _basket_visitor(1)
    assert '<span class="mini-cart-count">3</span>' in three.get(ARTICLE).content.decode()

    assert client.get(ARTICLE)["X-Page-Cache"] == "miss"
    anonymous = client.get(ARTICLE)
    assert anonymous["X-Page-Cache"] == "hit"
    assert "Your cart is empty" in anonymous.content.decode()

    for visitor, count in ((one, 1), (three, 3)):
        response = visitor.get(ARTICLE)
        # The shared page with the visitor's own header, never someone else's.
        assert response["X-Page-Cache"] == "hit-visitor"
        assert response["Cache-Control"] == "private"
        html = response.content.decode()
        assert f'<span class="mini-cart-count">{count}</span>' in html
        assert "Your cart is empty" not in html


@pytest.mark.django_db
def test_visitor_sees_their_own_messages_on_a_cached_page(demo, client):
    client.get(ARTICLE)  # cached by an anonymous visit
    visitor = _basket_visitor(1)  # adding to the basket leaves a "added to your basket" message
    html = visitor.get(ARTICLE).content.decode()
    assert "has been added to your basket" in html or "has been added to your cart" in html
    assert "has been added" not in visitor.get(ARTICLE).content.decode()  # shown once


@pytest.mark.django_db
def test_signed_in_visitor_is_never_served_the_anonymous_header(demo, client, django_user_model):
    client.get("/")
    user = django_user_model.objects.create_user("shopper", "s@example.com", "pw-123456")
    client.force_login(user)
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit-visitor"
    html = response.content.decode()
    assert "My account" in html and "Sign in" not in html


@pytest.mark.django_db
def test_signed_in_shop_pages_are_cached_per_customer(demo, client, django_user_model):
    url = _product().get_absolute_url()
    client.get(url)
    ada = django_user_model.objects.create_user("ada", "ada@example.com", "pw-123456")
    bob = django_user_model.objects.create_user("bob", "bob@example.com", "pw-123456")
    client.force_login(ada)
    assert client.get(url)["X-Page-Cache"] == "miss-customer"
    assert client.get(url)["X-Page-Cache"] == "hit-customer"
    assert "is in <a" not in client.get(url).content.decode()

    # Ada's wish list shows on her next view of the page, and never on Bob's.
    response = client.post(f"/shop/accounts/wishlists/add/{_product().pk}/")
    assert response.status_code == 302
    mine = client.get(url)
    assert mine["X-Page-Cache"] == "miss-customer"
    assert "Product is in" in mine.content.decode()
    other = Client()
    other.force_login(bob)
    for _ in range(2):
        html = other.get(url).content.decode()
        assert "Product is in" not in html
        assert 'name="csrfmiddlewaretoken" value=""' not in html


@pytest.mark.django_db
def test_private_areas_are_not_cached(demo, client):
    for url in ("/shop/checkout/", "/cms/login/", "/dashboard/login/"):
        client.get(url)
        assert client.get(url).get("X-Page-Cache") is None


@pytest.mark.django_db
def test_approving_a_comment_shows_on_next_request(demo, client):
    from blog.models import ArticleComment, ArticlePage
    from blog.services import moderate_comments, post_comment

    article = ArticlePage.objects.get(slug="what-do-back-spasms-feel-like")
    comment = post_comment(
        page=article, name="Dana", email="dana@example.com", text="Stretching helped me a lot."
    )
    assert "Stretching helped me a lot." not in client.get(ARTICLE).content.decode()
    assert client.get(ARTICLE)["X-Page-Cache"] == "hit"

    moderate_comments(ArticleComment.objects.filter(pk=comment.pk), ArticleComment.Status.APPROVED)
    assert "Stretching helped me a lot." in client.get(ARTICLE).content.decode()


@pytest.mark.django_db
def test_visitor_mini_cart_follows_their_basket_on_cached_pages(demo, client):
    client.get(ARTICLE)  # cached by an anonymous visit
    visitor = _basket_visitor(1)
    assert '<span class="mini-cart-count">1</span>' in visitor.get(ARTICLE).content.decode()
    pads = Product.objects.get(upc="RW-PAD-4")
    visitor.post(f"/shop/basket/add/{pads.pk}/", {"quantity": 2})
    response = visitor.get(ARTICLE)
    assert response["X-Page-Cache"] == "hit-visitor"
    assert '<span class="mini-cart-count">3</span>' in response.content.decode()
    # The same total, offers included, as a page rendered afresh for the visitor.
    total = re.compile(r'<span class="mini-cart-total">([^<]+)</span>')
    fresh = visitor.get("/shop/basket/").content.decode()
    assert total.search(response.content.decode()).group(1) == total.search(fresh).group(1)


@pytest.mark.django_db
def test_visitor_mini_cart_follows_a_price_change(demo, client):
    client.get(ARTICLE)
    visitor = _basket_visitor(1)
    assert "$19.95" in visitor.get(ARTICLE).content.decode()
    record = StockRecord.objects.get(product__upc="RW-PAD-4")
    record.price = Decimal("17.50")
    record.save()
    client.get(ARTICLE)  # the page is cached again after the change
    assert "$17.50" in visitor.get(ARTICLE).content.decode()


@pytest.mark.django_db
def test_caching_a_geocoder_answer_keeps_the_page_cache(demo, client):
    from clinics.models import GeocodeCacheEntry

    client.get(ARTICLE)
    GeocodeCacheEntry.objects.create(
        provider="nominatim", query="springfield", found=True, latitude=39.8, longitude=-89.6
    )
    assert client.get(ARTICLE)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_clear_page_cache_command_renders_pages_afresh(demo, client):
    from django.core.management import call_command

    client.get(ARTICLE)
    assert client.get(ARTICLE)["X-Page-Cache"] == "hit"
    call_command("clear_page_cache", verbosity=0)
    assert client.get(ARTICLE)["X-Page-Cache"] == "miss"
