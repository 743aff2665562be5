"""From an article to a paid order, in Chromium, paying through localstripe's Stripe.js."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.helpers import (
    DECLINED,
    VISA,
    VISA_3DS,
    fill_shipping_address,
    pay_with,
    register_at_shop,
)

Order = get_model("order", "Order")

ARTICLE = "/blog/what-do-back-spasms-feel-like/"


@pytest.fixture
def shop_site(demo_site, localstripe):
    return demo_site


def add_therapy_system_from_the_article(page, base_url):
    page.goto(base_url + ARTICLE)
    assert_accessible(page)
    page.locator("article").get_by_role("link", name="Pain Therapy System").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pain Therapy System")
    assert_accessible(page)
    page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart").click()
    expect(page.locator("#mini-cart")).to_contain_text("1 item")
    expect(page.locator("#mini-cart")).to_contain_text("$149.95")
    assert_accessible(page)


ILLINOIS = {"line4": "Springfield", "state": "IL", "postcode": "62701"}
ALBANY = {"line4": "Albany", "state": "NY", "postcode": "12207"}


def checkout_to_payment(page, base_url, *, guest_email=None, address=ILLINOIS):
    """From the cart to the one checkout page, contact and address filled in."""
    page.goto(base_url + "/shop/basket/")
    assert_accessible(page)
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    fill_shipping_address(
        page,
        first_name="Ada",
        last_name="Shopper",
        line1="12 Main Street",
        email=guest_email,
        **address,
    )
    expect(page.locator("#checkout-summary [data-money=tax]")).not_to_have_text(
        re.compile("address")
    )
    assert_accessible(page)


def order_number_on(page):
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("confirmation", timeout=20_000)
    assert_accessible(page)
    return re.search(r"\d{6,}", heading.inner_text()).group(0)


def test_guest_buys_from_an_article_and_gets_a_confirmation_email(page, shop_site):
    add_therapy_system_from_the_article(page, shop_site)
    checkout_to_payment(page, shop_site, guest_email="guest@example.com")
    pay_with(page, VISA)
    number = order_number_on(page)
    expect(page.locator("main")).to_contain_text(number)
    order = Order.objects.get(number=number)
    assert order.guest_email == "guest@example.com"
    assert [m for m in mail.outbox if number in m.subject and m.to == ["guest@example.com"]]


def test_registered_customer_finds_the_order_in_order_history(page, shop_site):
    page.goto(shop_site + "/shop/accounts/login/")
    assert_accessible(page)
    register_at_shop(page, shop_site, "ada@example.com", "a-long-pass-phrase-42")
    add_therapy_system_from_the_article(page, shop_site)
    checkout_to_payment(page, shop_site)
    pay_with(page, VISA)
    number = order_number_on(page)
    page.goto(shop_site + "/shop/accounts/orders/")
    expect(page.locator("main")).to_contain_text(number)
    assert_accessible(page)
    page.goto(shop_site + f"/shop/accounts/orders/{number}/")
    assert_accessible(page)


def test_new_york_shopper_sees_sales_tax_in_basket_checkout_and_confirmation(page, shop_site):
    import stripe
    from django.conf import settings

    register_at_shop(page, shop_site, "ny@example.com", "a-long-pass-phrase-42")
    add_therapy_system_from_the_article(page, shop_site)

    # Basket: no destination yet, then New York chosen: 149.95 × 4 % = 6.00 (statewide;
    # Manhattan's combined rate is tests/e2e/test_shopper_surface.py's)
    page.goto(shop_site + "/shop/basket/")
    expect(page.locator("#basket_totals [data-money=tax]")).to_have_text("Calculated at checkout")
    page.select_option("#id_tax_region", "US-NY")
    page.locator("[data-testid=tax-destination]").get_by_role("button", name="Update").click()
    expect(page.locator("#basket_totals [data-money=tax]")).to_have_text("$6.00")
    expect(page.locator("#basket_totals [data-money=total]")).to_have_text("$155.95")

    # Checkout with a New York address: the tax charged, and the Pay button includes it
    checkout_to_payment(page, shop_site, address=ALBANY)
    expect(page.locator("#checkout-summary [data-money=tax]")).to_have_text("$6.00")
    expect(page.locator("#pay-button")).to_have_text("Pay $155.95")
    pay_with(page, VISA)

    # Confirmation: tax on its own line, the payment as a receipt line
    number = order_number_on(page)
    expect(page.locator("main [data-money=tax]")).to_have_text("$6.00")
    expect(page.locator("main [data-money=total]")).to_have_text("$155.95")
    expect(page.locator("[data-testid=payment-receipt]")).to_contain_text("ending 4242")
    expect(page.locator("main")).not_to_contain_text("Allocation of")
    order = Order.objects.get(number=number)
    assert (order.total_excl_tax, order.total_incl_tax) == (Decimal("149.95"), Decimal("155.95"))
    stripe.api_key, stripe.api_base = settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE
    intent = stripe.PaymentIntent.retrieve(order.sources.get().reference)
    assert intent["amount"] == 15595

    page.goto(shop_site + f"/shop/accounts/orders/{number}/")
    expect(page.locator("main [data-money=tax]")).to_have_text("$6.00")


def test_3d_secure_card_completes_after_the_challenge(page, shop_site):
    add_therapy_system_from_the_article(page, shop_site)
    checkout_to_payment(page, shop_site, guest_email="secure@example.com")
    pay_with(page, VISA_3DS)
    page.get_by_role("button", name="Complete authentication").click()
    number = order_number_on(page)
    assert Order.objects.filter(number=number).exists()


def test_declined_card_shows_the_error_then_another_card_pays(page, shop_site):
    add_therapy_system_from_the_article(page, shop_site)
    checkout_to_payment(page, shop_site, guest_email="declined@example.com")
    errors = page.locator("#payment-errors")
    expect(errors).to_have_attribute("role", "alert")  # there, empty, before the error
    pay_with(page, DECLINED)
    expect(errors).to_contain_text("Your card was declined.")
    assert_accessible(page)
    expect(page.locator("#pay-button")).to_be_enabled()
    assert not Order.objects.exists()
    pay_with(page, VISA)
    number = order_number_on(page)
    assert Order.objects.get().number == number
