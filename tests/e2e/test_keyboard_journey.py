"""A purchase with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing, from the
home page to the order confirmation, every control reached showing where the focus is."""

import re

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.helpers import fill_shipping_address

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const box = el.getBoundingClientRect();
  const text = el.innerText || el.value || el.getAttribute("aria-label") || el.placeholder || "";
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    label: text.trim().slice(0, 60),
    visibleFocus: outline || style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0,
  };
}"""
MAX_TABS = 120
SPRINGFIELD = {
    "first_name": "Kay",
    "last_name": "Board",
    "line1": "12 Main Street",
    "line4": "Springfield",
    "state": "IL",
    "postcode": "62701",
}

Product = get_model("catalogue", "Product")


@pytest.fixture
def shop_site(demo_site, localstripe):
    return demo_site


def focused(page):
    return page.evaluate(FOCUSED)


def matches(page, selector):
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def tab_to(page, selector, *, key="Tab"):
    """Press Tab until the focus is on ``selector``; every control passed shows its focus."""
    passed = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        info = focused(page)
        if info["tag"] in ("body", "main"):
            continue
        passed.append(info)
        assert info["onScreen"], f"focus on an invisible control: {info}"
        assert info["visibleFocus"], f"no visible focus on {info}"
        if matches(page, selector):
            return info
    raise AssertionError(f"{selector} not reached with {key}; last {passed[-8:]}")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def test_keyboard_only_purchase(page, shop_site):
    page.goto(shop_site + "/")

    # The first Tab shows the skip link; Enter moves the focus to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert focused(page)["visibleFocus"]
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # From the main content to a product, then its quantity and the add button.
    tab_to(page, "main .product-card-title a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    product_name = page.get_by_role("heading", level=1).inner_text()
    type_into(page, "#add_to_basket_form input[name=quantity]", "2")
    tab_to(page, "#add_to_basket_form [type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#mini-cart")).to_contain_text("2 items")

    # The mini cart, reached from the top of the page, opens the basket.
    tab_to(page, "#mini-cart a")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(product_name)
    assert_accessible(page)
    tab_to(page, "a[href*='/checkout/']")
    page.keyboard.press("Enter")

    # The one checkout page, top to bottom: the guest's email and the address.
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    for field, text in [
        ("#id_email", "keys@example.com"),
        ("#id_first_name", "Kay"),
        ("#id_last_name", "Board"),
        ("#id_line1", "12 Main Street"),
        ("#id_line4", "Springfield"),
    ]:
        type_into(page, field, text)
    country = page.locator("#id_country")
    tab_to(page, "#id_country")
    if country.input_value() != "US":
        page.keyboard.type("United States")
    expect(country).to_have_value("US")
    tab_to(page, "#id_state")
    page.keyboard.type("Illinois")  # a select's type-ahead
    expect(page.locator("#id_state")).to_have_value("IL")
    type_into(page, "#id_postcode", "62701")
    with page.expect_response(re.compile(r"/shop/checkout/quote/")) as quoted:
        page.keyboard.press("Tab")  # leaving the ZIP code re-prices the page
    expect(page.locator("#pay-button")).to_have_text(quoted.value.json()["pay_label"])

    # Shipping: the methods for the address, standard chosen.
    tab_to(page, "input[name=shipping_method]")
    expect(page.locator("input[name=shipping_method]").first).to_be_focused()
    expect(page.locator("input[name=shipping_method]").first).to_be_checked()
    expect(page.locator("#checkout-summary [data-money=tax]").first).to_have_text(
        re.compile(r"^\$\d")
    )

    # The card, typed into the Payment Element (the test Stripe.js's), then Pay.
    for field, text in [
        ("#payment-element input[autocomplete=cc-number]", "4242424242424242"),
        ("#payment-element input[autocomplete=cc-exp]", "12 / 34"),
        ("#payment-element input[autocomplete=cc-csc]", "123"),
    ]:
        type_into(page, field, text)
    expect(page.locator("#pay-button")).to_have_text(re.compile(r"^Pay \$\d"))
    tab_to(page, "#pay-button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmation", timeout=20_000)
    expect(page.locator("main")).to_contain_text(product_name)


def test_the_arrow_keys_choose_a_shipping_method_and_keep_the_focus(page, shop_site):
    product = Product.objects.get(upc="RW-PTS-100")
    page.goto(shop_site + product.get_absolute_url())
    page.locator("#add_to_basket_form [type=submit]").click()
    expect(page.locator("#mini-cart")).to_contain_text("1 item")
    page.goto(shop_site + "/shop/checkout/")
    fill_shipping_address(page, email="keys@example.com", **SPRINGFIELD)
    methods = page.locator("input[name=shipping_method]")
    expect(methods.first).to_be_checked()
    total = page.locator("#checkout-summary [data-money=total]")
    standard_total = total.inner_text()
    methods.first.focus()
    page.keyboard.press("ArrowDown")
    expect(total).not_to_have_text(standard_total)
    expect(methods.nth(1)).to_be_checked()
    expect(methods.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(total).to_have_text(standard_total)
