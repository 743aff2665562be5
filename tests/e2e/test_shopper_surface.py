"""After "Add to cart" (issue 22): three shoppers walk product → cart → checkout →
thank-you → order page → email in Chromium, on a 390 px phone, and every page they saw is
looked at again on a 1280 px screen.

- a New York guest (Manhattan, 8.875 % in three taxes), a Toronto customer (HST 13 %) and a
  Montreal customer (GST 5 % and QST 9.975 %, each on its own row);
- the same figures under the same names on the cart (once the destination is chosen),
  the checkout page's summary, the thank-you and order pages and in the email;
- "USD" said to Canadians and not to New Yorkers;
- no page wider than the screen, no control under 24 px, Add to cart in the first screen,
  no UK or tax-inclusive wording ("incl. tax", "excl. tax", "dispatch", "e-mail") and no
  axe finding at all (the checkout page as it opens and filled in).
"""

import re
from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.helpers import VISA, fill_shipping_address, pay_with, register_at_shop
from tests.money import money_rows

Product = get_model("catalogue", "Product")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
UK_WORDS = re.compile(r"incl\.? tax|excl\.? tax|inc\.? tax|\bVAT\b|e-mail|dispatch", re.I)
WIDTH = """() => ({scroll: document.scrollingElement.scrollWidth,
                  client: document.scrollingElement.clientWidth})"""
# Controls smaller than 24 x 24 px (WCAG 2.5.8); links inside sentences are exempt.
SMALL_TARGETS = """() => [...document.querySelectorAll(
  'main button, main .btn, main select, main input[type=radio], main input[type=checkbox],' +
  'main a[data-behaviours], header button, header select')].filter((el) => {
  const box = el.getBoundingClientRect();
  return box.width > 1 && box.height > 1 && (box.width < 24 || box.height < 24);
}).map((el) => el.outerHTML.slice(0, 120))"""

SHOPPERS = {
    "new-york-guest": {
        "email": "nyc-guest@example.com",
        "account": False,
        "address": {"line4": "New York", "state": "NY", "postcode": "10118", "country": "US"},
        "estimate": ("US-NY", "10118"),
        "tax": Decimal("13.31"),  # 149.95 × 8.875 %, each tax rounded on its own
        "tax_names": None,  # state, city and MCTD: several rows
        "canadian": False,
    },
    "toronto-customer": {
        "email": "toronto@example.com",
        "account": True,
        "address": {"line4": "Toronto", "state": "ON", "postcode": "M5V 2T6", "country": "CA"},
        "estimate": ("CA-ON", "M5V 2T6"),
        "tax": Decimal("19.49"),  # 149.95 × 13 %
        "tax_names": ["HST 13%"],
        "canadian": True,
    },
    "montreal-customer": {
        "email": "montreal@example.com",
        "account": True,
        "address": {"line4": "Montréal", "state": "QC", "postcode": "H2Y 1C6", "country": "CA"},
        "estimate": ("CA-QC", "H2Y 1C6"),
        "tax": Decimal("22.46"),  # 7.50 GST + 14.96 QST
        "tax_names": ["GST 5%", "QST 9.975%"],
        "canadian": True,
    },
}


@pytest.fixture
def shop_site(demo_site, localstripe):
    return demo_site


def _amount(text):
    return Decimal(re.sub(r"[^0-9.]", "", text))


def _taxes(rows):
    return {label: amount for label, amount in rows.items() if label.endswith("%")}


class Walk:
    """What one shopper saw: each page's URL and money summary, checked as it goes."""

    def __init__(self, page):
        self.page = page
        self.urls = []

    def look(self, name):
        page = self.page
        page.wait_for_load_state("load")
        width = page.evaluate(WIDTH)
        assert width["scroll"] <= width["client"], f"{name} scrolls sideways: {width}"
        text = page.inner_text("body")
        found = UK_WORDS.search(text)
        assert not found, f"{name} says {found.group(0)!r}"
        small = page.evaluate(SMALL_TARGETS)
        assert not small, f"{name} has tap targets under 24 px: {small}"
        assert_accessible(page, every_impact=True)
        self.urls.append((name, page.url))
        return page.content()


def _register(page, base, email):
    register_at_shop(page, base, email, "a-long-pass-phrase-42")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _add_to_cart_in_first_screen(page, viewport):
    button = page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart")
    box = button.bounding_box()
    assert box and box["y"] + box["height"] <= viewport["height"], box
    name = page.get_by_role("heading", level=1).bounding_box()
    assert name["y"] + name["height"] <= viewport["height"]


@pytest.mark.parametrize("who", SHOPPERS)
def test_shopper_sees_one_money_language_from_product_to_email(page, shop_site, who):
    shopper = SHOPPERS[who]
    page.set_viewport_size(PHONE)
    walk = Walk(page)
    if shopper["account"]:
        _register(page, shop_site, shopper["email"])

    page.goto(shop_site + "/clinics/?q=10001")
    walk.look("clinic-locator")
    page.goto(shop_site + Product.objects.get(upc="RW-PTS-100").get_absolute_url())
    walk.look("product")
    _add_to_cart_in_first_screen(page, PHONE)
    page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart").click()
    expect(page.locator("#mini-cart")).to_contain_text("1 item")
    expect(page.locator("#mini-cart .mini-cart-total")).to_have_text("$149.95")

    # Cart: the shopper says where it ships; the estimate is what checkout will charge.
    page.goto(shop_site + "/shop/basket/")
    region, postcode = shopper["estimate"]
    page.select_option("#id_tax_region", region)
    page.fill("#id_tax_postcode", postcode)
    page.locator("[data-testid=tax-destination]").get_by_role("button", name="Update").click()
    cart = money_rows(walk.look("cart"))

    # Checkout, one page: first as it opens (no address yet), then filled in, priced for
    # the address (the standard method chosen) before the shopper pays.
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    walk.look("checkout")
    fill_shipping_address(
        page,
        first_name="Ada",
        last_name="Shopper",
        line1="12 Main Street",
        email=None if shopper["account"] else shopper["email"],
        **shopper["address"],
    )
    summary = page.locator("#checkout-summary")
    # Re-priced in place as the address is typed: wait for the cart's estimate.
    expect(summary.locator("[data-money=total]")).to_have_text(cart["Total"])
    expect(page.locator("input[name=shipping_method]").first).to_be_checked()
    walk.look("checkout-filled")
    review = money_rows(summary.inner_html())
    expect(page.locator("#pay-button")).to_have_text(f"Pay {review['Total']}")

    pay_with(page, VISA)
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmation")
    thank_you_html = walk.look("thank-you")
    thank_you = money_rows(thank_you_html)
    number = re.search(r"confirmation: (\d{6,})", thank_you_html).group(1)

    page.get_by_role("link", name="View your order").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    order_page = money_rows(walk.look("order"))

    # One language: the same rows, in the same order, with the same figures.
    assert list(cart.items()) == list(review.items()) == list(thank_you.items())
    assert list(order_page.items()) == list(thank_you.items())
    [email] = [m for m in mail.outbox if number in m.subject]
    for label, amount in thank_you.items():
        assert f"{label}: {amount}" in email.body, (label, amount, email.body)

    taxes = _taxes(thank_you)
    assert sum((_amount(a) for a in taxes.values()), Decimal("0")) == shopper["tax"]
    if shopper["tax_names"]:
        assert list(taxes) == shopper["tax_names"]
    else:
        assert len(taxes) > 1  # state and local taxes by name
    if shopper["canadian"]:
        assert thank_you["Total"].endswith("USD")
        expect(page.locator("[data-testid=usd-note]")).to_contain_text("US dollars")
        assert "All prices are in US dollars (USD)" in email.body
    else:
        assert "USD" not in thank_you["Total"] and "US dollars" not in email.body
    assert not UK_WORDS.search(email.body)

    # The same pages on a desktop screen.
    page.set_viewport_size(DESKTOP)
    for name, url in walk.urls:
        if name.startswith("checkout"):
            continue  # the order is placed: the checkout now sends the shopper to the cart
        page.goto(url)
        width = page.evaluate(WIDTH)
        assert width["scroll"] <= width["client"], f"{name} at 1280 px: {width}"
        if name == "product":
            _add_to_cart_in_first_screen(page, DESKTOP)
