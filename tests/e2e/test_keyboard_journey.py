"""A purchase with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing, from the
home page to the order confirmation, every control reached showing where the focus is."""

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible

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

    # Checkout as a guest.
    expect(page.locator("#id_username")).to_be_attached()
    type_into(page, "#id_username", "keys@example.com")
    tab_to(page, "input[name=options][value=anonymous]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=options][value=anonymous]")).to_be_checked()
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    # Shipping address.
    expect(page.locator("#id_first_name")).to_be_attached()
    for field, text in [
        ("#id_first_name", "Kay"),
        ("#id_last_name", "Board"),
        ("#id_line1", "12 Main Street"),
        ("#id_line4", "Springfield"),
        ("#id_state", "IL"),
        ("#id_postcode", "62701"),
    ]:
        type_into(page, field, text)
    country = page.locator("#id_country")
    if country.input_value() != "US":
        tab_to(page, "#id_country")
        page.keyboard.type("United States")
    expect(country).to_have_value("US")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    # Shipping method.
    expect(page.get_by_role("button", name="Select option").first).to_be_visible()
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and pay")

    # The card field (localstripe's Stripe.js), then Pay.
    for placeholder, text in [
        ("number", "4242424242424242"),
        ("exp_month", "12"),
        ("exp_year", "34"),
        ("cvc", "123"),
        ("postal_code", "62701"),
    ]:
        type_into(page, f"#card-element input[placeholder={placeholder}]", text)
    tab_to(page, "#pay-button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmation", timeout=20_000)
    expect(page.locator("main")).to_contain_text(product_name)
