"""A commit invalidates only the cached copies that show what changed.

Demo catalogue: the Pain Therapy System (A, RW-PTS-100) is featured on the home page, in
the seed article's product block and recommended on the pads' pages; the Circulation
Promoter's page (RW-CP-200) shows the Therapy System too; the large pads' page (RW-PAD-L2)
does not.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.payments import services
from shop.payments.services import CheckoutDetails
from tests.factories import shipping_address

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")
Voucher = get_model("voucher", "Voucher")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Order = get_model("order", "Order")
Selector = get_class("partner.strategy", "Selector")

HOME = "/"
BLOG = "/blog/"
ARTICLE = "/blog/what-do-back-spasms-feel-like/"
CATALOGUE = "/shop/catalogue/"
VISA = "4242424242424242"
ADDRESS = shipping_address(line4="Springfield", state="IL", postcode="62701")


def url_of(upc):
    return Product.objects.get(upc=upc).get_absolute_url()


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def cache_state(client, *urls):
    return {url: client.get(url)["X-Page-Cache"] for url in urls}


def place_order(localstripe, upc, quantity, *, voucher_code=None):
    """An order paid by card through the real payment service against localstripe, by a
    guest (so a sent-email row is written too)."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(Product.objects.get(upc=upc), quantity)
    if voucher_code:
        basket.vouchers.add(Voucher.objects.get(code=voucher_code))
    details = CheckoutDetails(
        basket_id=basket.id,
        user_id=None,
        guest_email="guest@example.com",
        shipping_address=dict(ADDRESS),
        shipping_method_code="standard",
    )
    outcome = services.start_payment(
        details=details, payment_method=localstripe.payment_method(VISA)
    )
    assert outcome.order is not None
    return outcome.order


@pytest.mark.django_db
def test_an_order_for_a_product_keeps_every_page_cached_while_its_shown_stock_holds(
    demo, client, localstripe
):
    pads, other = url_of("RW-PAD-L2"), url_of("RW-CP-200")
    urls = (pads, other, HOME, ARTICLE, BLOG, CATALOGUE)
    warm(client, *urls)
    # Three packs: the site offer and the voucher apply (usage counters), a guest email is
    # sent (a sent-email row), 120 -> 117 units: still "In stock".
    order = place_order(localstripe, "RW-PAD-L2", 3, voucher_code="RELIEF10")

    assert order.discounts.exists()
    assert Voucher.objects.get(code="RELIEF10").num_orders == 1
    assert cache_state(client, *urls) == dict.fromkeys(urls, "hit")


@pytest.mark.django_db
def test_an_order_crossing_the_low_stock_threshold_refreshes_only_that_products_pages(
    demo, client, localstripe, settings
):
    settings.SHOP_LOW_STOCK_THRESHOLD = 5
    StockRecord.objects.filter(product__upc="RW-PAD-L2").update(num_in_stock=7)
    pads, other = url_of("RW-PAD-L2"), url_of("RW-CP-200")
    urls = (pads, other, HOME, ARTICLE, BLOG)
    warm(client, *urls)
    assert "In stock" in client.get(pads).content.decode()

    place_order(localstripe, "RW-PAD-L2", 1)  # 7 -> 6: still "In stock"
    assert cache_state(client, *urls) == dict.fromkeys(urls, "hit")

    place_order(localstripe, "RW-PAD-L2", 2)  # 6 -> 4: "only 4 left"
    response = client.get(pads)
    assert response["X-Page-Cache"] == "miss"
    assert "only 4 left" in response.content.decode()
    assert cache_state(client, other, HOME, ARTICLE, BLOG) == dict.fromkeys(
        (other, HOME, ARTICLE, BLOG), "hit"
    )

    place_order(localstripe, "RW-PAD-L2", 4)  # 4 -> 0: out of stock
    assert "Unavailable" in client.get(pads).content.decode()
    assert client.get(other)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_price_change_shows_wherever_the_product_is_shown_and_nowhere_else(demo, client):
    therapy, unrelated = url_of("RW-PTS-100"), url_of("RW-PAD-L2")
    showing = (therapy, HOME, ARTICLE, CATALOGUE, url_of("RW-CP-200"))
    warm(client, *showing, unrelated)

    record = StockRecord.objects.get(product__upc="RW-PTS-100")
    record.price = Decimal("129.00")
    record.save()

    for url in showing:
        html = client.get(url).content.decode()
        assert "$129.00" in html and "$149.95" not in html, url
    assert client.get(unrelated)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_publishing_an_article_refreshes_it_the_blog_index_and_home_not_the_products(demo, client):
    from blog.models import ArticlePage

    products = (url_of("RW-PTS-100"), url_of("RW-PAD-L2"), CATALOGUE)
    warm(client, ARTICLE, BLOG, HOME, *products)

    article = ArticlePage.objects.get(slug="what-do-back-spasms-feel-like")
    article.title = "Back spasms: what they feel like"
    article.save_revision().publish()

    for url in (ARTICLE, BLOG, HOME):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Back spasms: what they feel like" in response.content.decode(), url
    assert cache_state(client, *products) == dict.fromkeys(products, "hit")


@pytest.mark.django_db
def test_a_new_article_appears_on_the_blog_index_and_home(demo, client):
    from blog.models import ArticlePage, BlogIndexPage

    warm(client, BLOG, HOME, url_of("RW-PTS-100"))
    index = BlogIndexPage.objects.get()
    article = ArticlePage(
        title="Heat or cold for a sore back?",
        slug="heat-or-cold",
        summary="Which helps when.",
        date=timezone.localdate(),
    )
    index.add_child(instance=article)
    article.save_revision().publish()

    assert "Heat or cold for a sore back?" in client.get(BLOG).content.decode()
    assert client.get(url_of("RW-PTS-100"))["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_saving_a_draft_changes_no_cached_page(demo, client):
    from blog.models import ArticlePage

    warm(client, ARTICLE, BLOG)
    article = ArticlePage.objects.get(slug="what-do-back-spasms-feel-like")
    article.title = "Draft title nobody sees yet"
    article.save_revision()
    assert cache_state(client, ARTICLE, BLOG) == {ARTICLE: "hit", BLOG: "hit"}
    assert "Draft title nobody sees yet" not in client.get(ARTICLE).content.decode()


@pytest.mark.django_db
def test_rows_no_page_shows_invalidate_nothing(demo, client):
    from wagtail.models import PageLogEntry

    from blog.models import ArticlePage, Lead
    from blog.services import post_comment

    urls = (HOME, ARTICLE, url_of("RW-PTS-100"))
    warm(client, *urls)
    article = ArticlePage.objects.get(slug="what-do-back-spasms-feel-like")

    post_comment(page=article, name="Dana", email="dana@example.com", text="Pending comment.")
    Lead.objects.create(email="lead@example.com", page=article)
    PageLogEntry.objects.log_action(article, "wagtail.view_restriction.create")
    voucher = Voucher.objects.get(code="RELIEF10")
    voucher.num_basket_additions += 1
    voucher.save()
    offer = ConditionalOffer.objects.get(slug="stock-up-pads-accessories")
    offer.record_usage({"freq": 1, "discount": Decimal("3.00")})
    get_model("communication", "Email").objects.create(
        email="guest@example.com", subject="Your order", body_text="Thanks", body_html=""
    )

    assert cache_state(client, *urls) == dict.fromkeys(urls, "hit")


@pytest.mark.django_db
def test_a_copy_showing_prices_never_outlives_the_next_offer_start(demo, client):
    url = url_of("RW-PTS-100")
    assert 500 < int(_s_maxage(client.get(url))) <= 600

    starts = timezone.now() + timedelta(seconds=90)
    Voucher.objects.filter(code="RELIEF10").update(start_datetime=starts)
    Voucher.objects.get(code="RELIEF10").save()

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert 0 < int(_s_maxage(response)) <= 90
    assert 0 < int(_s_maxage(client.get(url))) <= 90  # the hit says what is left


def _s_maxage(response):
    return response["Cache-Control"].split("s-maxage=")[1].split(",")[0]


@pytest.mark.django_db
def test_shared_copies_carry_their_tags_and_visitors_copies_are_private(demo, client):
    url = url_of("RW-CP-200")
    for response in (client.get(url), client.get(url)):
        assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=")
        tags = response["xkey"].split(" ")
        product = Product.objects.get(upc="RW-CP-200")
        assert {f"p:{product.pk}", "site"} <= set(tags)
        assert all(" " not in tag and tag for tag in tags)

    visitor = Client()
    visitor.post(f"/shop/basket/add/{Product.objects.get(upc='RW-PAD-4').pk}/", {"quantity": 1})
    for page in (url, ARTICLE, "/shop/basket/", "/shop/checkout/"):
        response = visitor.get(page)
        assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
        assert "xkey" not in response, page


@pytest.mark.django_db
def test_tags_invalidated_is_sent_with_the_changed_tags(demo):
    from pagecache.tags import tags_invalidated

    received = []

    def listener(sender, tags, **kwargs):
        received.append(tags)

    tags_invalidated.connect(listener)
    try:
        record = StockRecord.objects.get(product__upc="RW-PTS-100")
        record.price = Decimal("139.00")
        record.save()
    finally:
        tags_invalidated.disconnect(listener)
    assert received == [frozenset({f"p:{record.product_id}"})]


@pytest.mark.django_db
def test_saving_the_tracking_ids_refreshes_every_page(demo, client):
    """Every page's head carries the tracking settings; a saved Pixel id reaches them all,
    while a newsletter sign-up (a marketing row no page shows) changes nothing."""
    from wagtail.models import Site

    from marketing.models import Subscriber, TrackingSettings

    urls = (HOME, ARTICLE, url_of("RW-PTS-100"))
    warm(client, *urls)
    Subscriber.objects.create(email="reader@example.com")
    assert cache_state(client, *urls) == dict.fromkeys(urls, "hit")

    tracking = TrackingSettings.for_site(Site.objects.get(is_default_site=True))
    tracking.meta_pixel_id = "123456789012345"
    tracking.save()

    assert cache_state(client, *urls) == dict.fromkeys(urls, "miss")
