"""The one look: every kind of page carries the seed's header and the mini cart."""

import pytest
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

WAGTAIL_PAGE = "/blog/what-do-back-spasms-feel-like/"
EMPTY = "Your cart is empty"


def _oscar_page():
    return Product.objects.get(upc="RW-PTS-100").get_absolute_url()


def _add_one(client):
    product = Product.objects.get(upc="RW-PAD-4")
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["wagtail", "oscar", "clinics"])
def test_header_has_guarantee_phone_nav_account_and_empty_mini_cart(demo, client, which):
    url = {"wagtail": WAGTAIL_PAGE, "oscar": _oscar_page(), "clinics": "/clinics/"}[which]
    html = client.get(url).content.decode()
    assert 'href="/guarantee/"' in html and "90 Day Money Back Guarantee" in html
    assert 'href="tel:+18775550142"' in html
    for label in ("Shop", "Blog", "Clinic Locator"):
        assert f">{label}</a>" in html
    assert "Sign in" in html
    assert EMPTY in html
    assert 'class="skip-link"' in html and '<main id="main"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["wagtail", "oscar"])
def test_mini_cart_shows_one_item_and_total(demo, client, which):
    _add_one(client)
    url = WAGTAIL_PAGE if which == "wagtail" else _oscar_page()
    html = client.get(url).content.decode()
    assert EMPTY not in html
    assert '<span class="mini-cart-count">1</span> item ' in html
    assert "$19.95" in html


@pytest.mark.django_db
def test_header_text_is_editable_in_site_settings(demo, client):
    from wagtail.models import Site

    from sitewide.models import SiteChrome

    chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    chrome.phone_display = "1-800-555-0100"
    chrome.phone_tel = "+18005550100"
    chrome.announcement_text = "Free shipping over $75"
    chrome.save()
    html = client.get("/").content.decode()
    assert 'href="tel:+18005550100">1-800-555-0100</a>' in html
    assert "Free shipping over $75" in html


@pytest.mark.django_db
def test_signed_in_visitor_sees_my_account(demo, client, django_user_model):
    user = django_user_model.objects.create_user("shopper", "shopper@example.com", "pw-123456")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "My account" in html and "Sign in" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/blog/",
        WAGTAIL_PAGE,
        "/shop/catalogue/",
        "/shop/basket/",
        "/clinics/",
        "/cms/login/",
        "/dashboard/login/",
        "/django-admin/login/",
        "/guarantee/",
    ],
)
def test_main_pages_answer_200(demo, client, url):
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_product_page_answers_200(demo, client):
    assert client.get(_oscar_page()).status_code == 200
