"""The one-page checkout in Chromium with the fake Stripe.js (devtools/stripe_js/v3.js):
a guest pays with one page between the cart and the confirmation, a customer saves the card
and next time pays in one click with the saved card and address, and a wallet (the fake's
Express Checkout Element) pays with its own address and the tax of that address."""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.helpers import VISA, fill_card, fill_shipping_address, sign_in_at_shop

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHICAGO_WALLET = {
    "name": "Jordan Rivera",
    "email": "wallet.buyer@example.com",
    "address": {
        "line1": "233 S Wacker Dr",
        "line2": "Suite 100",
        "city": "Chicago",
        "state": "IL",
        "postal_code": "60606",
        "country": "US",
    },
}


@pytest.fixture
def shop_site(demo_site, localstripe):
    return demo_site


def documents_loaded(page):
    """The pages the browser loads from now on (redirects count as the page they lead to)."""
    loaded = []
    page.on(
        "framenavigated",
        lambda frame: loaded.append(frame.url) if frame == page.main_frame else None,
    )
    return loaded


def add_the_therapy_system(page, base):
    page.goto(base + Product.objects.get(upc="RW-PTS-100").get_absolute_url())
    page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart").click()
    expect(page.locator("#mini-cart")).to_contain_text("1 item")


def to_checkout(page, base):
    page.goto(base + "/shop/basket/")
    loaded = documents_loaded(page)
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    return loaded


def confirmation_number(page):
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("confirmation", timeout=20_000)
    return re.search(r"\d{6,}", heading.inner_text()).group(0)


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_guest_pays_on_one_page(page, shop_site):
    page.set_viewport_size(PHONE)
    add_the_therapy_system(page, shop_site)
    loaded = to_checkout(page, shop_site)
    assert overflow(page) <= 0
    assert_accessible(page, every_impact=True)
    fill_shipping_address(
        page,
        email="one.page@example.com",
        first_name="Ada",
        last_name="Shopper",
        line1="350 Fifth Avenue",
        line4="New York",
        state="NY",
        postcode="10118",
    )
    # The summary follows the address in place: Manhattan's three taxes, 8.875 % in all.
    summary = page.locator("#checkout-summary")
    expect(summary).to_contain_text("New York City")
    expect(page.locator("#pay-button")).to_have_text("Pay $163.26")
    page.screenshot(path="var/e2e-artifacts/checkout-390.png", full_page=True)
    assert_accessible(page, every_impact=True)
    fill_card(page, VISA)
    page.locator("#pay-button").click()
    number = confirmation_number(page)
    assert [url.split("/shop/")[-1] for url in loaded] == ["checkout/", "checkout/thank-you/"]
    order = Order.objects.get(number=number)
    assert order.guest_email == "one.page@example.com"
    assert order.total_incl_tax == Decimal("163.26")
    assert order.stripe_payment.card_label == "Visa ending 4242"


def test_customer_saves_the_card_then_pays_in_one_click(page, shop_site, django_user_model):
    django_user_model.objects.create_user(
        "returning", "returning@example.com", "a-long-pass-phrase-42"
    )
    page.set_viewport_size(DESKTOP)
    sign_in_at_shop(page, shop_site, "returning@example.com", "a-long-pass-phrase-42")
    add_the_therapy_system(page, shop_site)
    to_checkout(page, shop_site)
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("returning@example.com")
    fill_shipping_address(
        page,
        first_name="Rae",
        last_name="Turner",
        line1="100 Queen St W",
        line4="Toronto",
        state="ON",
        postcode="M5H 2N2",
        country="CA",
    )
    expect(page.locator("#pay-button")).to_have_text("Pay $169.44 USD")  # HST 13 %
    fill_card(page, VISA)
    page.get_by_label("Save this card for my next orders").check()
    page.screenshot(path="var/e2e-artifacts/checkout-1280.png", full_page=True)
    page.locator("#pay-button").click()
    confirmation_number(page)

    # Next time: the saved card and the saved address are chosen; one click on Pay.
    add_the_therapy_system(page, shop_site)
    loaded = to_checkout(page, shop_site)
    expect(page.get_by_label(re.compile(r"Visa ending 4242, expires 12/2034"))).to_be_checked()
    expect(page.locator("#id_line1")).to_have_value("100 Queen St W")
    expect(page.locator("#pay-button")).to_have_text("Pay $169.44 USD")
    assert_accessible(page, every_impact=True)
    page.locator("#pay-button").click()
    number = confirmation_number(page)
    assert [url.split("/shop/")[-1] for url in loaded] == ["checkout/", "checkout/thank-you/"]
    assert Order.objects.get(number=number).shipping_address.line4 == "Toronto"

    # The account lists the card, which can be removed.
    page.goto(shop_site + "/shop/accounts/cards/")
    expect(page.get_by_test_id("saved-cards")).to_contain_text("Visa ending 4242")
    assert_accessible(page, every_impact=True)
    page.get_by_role("button", name="Remove Visa ending 4242").click()
    expect(page.locator("main")).to_contain_text("You have no saved cards")


def test_wallet_pays_with_its_address_and_that_addresses_tax(page, shop_site):
    page.set_viewport_size(PHONE)
    add_the_therapy_system(page, shop_site)
    to_checkout(page, shop_site)
    wallet = page.get_by_role("button", name="Pay with test wallet")
    expect(wallet).to_be_visible()
    page.evaluate("profile => { window.fakeStripeWallet = profile; }", CHICAGO_WALLET)
    wallet.click()
    number = confirmation_number(page)
    order = Order.objects.get(number=number)
    address = order.shipping_address
    assert (address.line1, address.line4, address.state, address.postcode) == (
        "233 S Wacker Dr",
        "Chicago",
        "IL",
        "60606",
    )
    assert (address.first_name, address.last_name) == ("Jordan", "Rivera")
    assert order.guest_email == "wallet.buyer@example.com"
    assert order.total_tax == Decimal("15.37")  # Chicago's 10.25 % on $149.95
    assert order.stripe_payment.card_label == "Visa ending 4242 (Google Pay)"


def test_wallet_address_abroad_is_refused_in_the_sheet(page, shop_site):
    add_the_therapy_system(page, shop_site)
    to_checkout(page, shop_site)
    abroad = {**CHICAGO_WALLET, "address": {**CHICAGO_WALLET["address"], "country": "FR"}}
    page.evaluate("profile => { window.fakeStripeWallet = profile; }", abroad)
    page.get_by_role("button", name="Pay with test wallet").click()
    expect(page.locator("#fake-stripe-express-message")).to_have_text(
        "This wallet address cannot be used."
    )
    assert not Order.objects.exists()
