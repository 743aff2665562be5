"""With JavaScript off, the forms of a cached page still work (config/csrf.py).

Cached pages carry no CSRF token, which static/js/site.js fills in; without JavaScript the
browser's Origin header stands in for it on adding to the cart and the newsletter sign-up.
"""

import pytest
from django.core import mail
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

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
