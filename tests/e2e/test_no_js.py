"""With JavaScript off, the forms of a cached page still work (config/csrf.py), and so
does the one-page checkout as far as it can.

Cached pages carry no CSRF token, which static/js/site.js fills in; without JavaScript the
browser's Origin header stands in for it on adding to the cart and the newsletter sign-up.
The checkout's "Update shipping and tax" button (shown only without JavaScript) prices the
typed address; a new card needs Stripe's form, so Pay says to turn JavaScript on.
"""

import re

import pytest
from django.core import mail
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.helpers import fill_shipping_address

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")

ARTICLE = "/blog/what-do-back-spasms-feel-like/"


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def _warm(browser, url):
    """Another visitor's view puts the page in the cache."""
    context = browser.new_context(java_script_enabled=False)
    context.new_page().goto(url)
    context.close()


def _goto_cached(page, url, label="hit"):
    response = page.goto(url)
    assert response.headers.get("x-page-cache") == label, response.headers
    assert page.locator('input[name="csrfmiddlewaretoken"]').first.get_attribute("value") == ""


def test_add_to_cart_from_cached_product_and_category_pages_without_javascript(
    browser, no_js_page, demo_site
):
    page = no_js_page
    product = Product.objects.get(upc="RW-PTS-100").get_absolute_url()
    _warm(browser, demo_site + product)
    _goto_cached(page, demo_site + product)
    page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart").click()
    expect(page.locator("main, body").first).not_to_contain_text("Please send that form again")
    expect(page.locator("#mini-cart")).to_contain_text("1 item")

    # Now with a basket of their own: the shared copy with this visitor's header.
    category = Category.objects.filter(depth=1).first().get_absolute_url()
    _warm(browser, demo_site + category)
    _goto_cached(page, demo_site + category, "hit-visitor")
    page.locator("form[action*='/basket/add/']").first.locator("[type=submit]").click()
    expect(page.locator("#mini-cart")).to_contain_text("2 items")


def test_newsletter_sign_up_from_cached_article_without_javascript(browser, no_js_page, demo_site):
    page = no_js_page
    _warm(browser, demo_site + ARTICLE)
    _goto_cached(page, demo_site + ARTICLE)
    form = page.locator("footer .newsletter-form")
    form.get_by_label("Email address").fill("reader@example.com")
    form.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert [m.to for m in mail.outbox] == [["reader@example.com"]]


def test_checkout_prices_the_address_and_asks_for_javascript_to_pay_by_card(
    no_js_page, demo_site, localstripe
):
    page = no_js_page
    page.goto(demo_site + Product.objects.get(upc="RW-PTS-100").get_absolute_url())
    page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart").click()
    expect(page.locator("#mini-cart")).to_contain_text("1 item")

    page.goto(demo_site + "/shop/checkout/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    summary = page.locator("#checkout-summary")
    expect(summary.locator("[data-money=tax]")).to_have_text("Added with your address")
    expect(page.get_by_test_id("needs-javascript")).to_contain_text("turn on JavaScript")
    fill_shipping_address(
        page,
        first_name="Noah",
        last_name="Script",
        line1="350 Fifth Avenue",
        line4="New York",
        state="NY",
        postcode="10118",
        email="no-js@example.com",
    )
    page.get_by_role("button", name="Update shipping and tax").click()

    # Priced for Manhattan (the state's, the city's and the MCTD's taxes), standard shipping.
    expect(summary.locator("[data-money=tax]")).to_have_count(3)
    expect(page.locator("input[name=shipping_method]").first).to_be_checked()
    total = summary.locator("[data-money=total]").inner_text()
    assert re.fullmatch(r"\$\d+\.\d\d", total), total
    expect(page.locator("#pay-button")).to_have_text(f"Pay {total}")
    expect(page.locator("#id_line1")).to_have_value("350 Fifth Avenue")

    page.locator("#pay-button").click()
    expect(page.locator("#payment-errors")).to_contain_text(
        "To pay with a new card, please turn on JavaScript"
    )
    expect(page.locator("#id_email")).to_have_value("no-js@example.com")  # details kept
    expect(summary.locator("[data-money=total]")).to_have_text(total)
    assert not Order.objects.exists()
