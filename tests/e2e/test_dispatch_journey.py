"""A week of one order, in Chromium, on the demo store with no admin steps: a shopper
registers and buys (New York address), support marks the order dispatched with a UPS
tracking number from the dashboard, the shopper sees the tracking link and got the email,
support marks it delivered, on day 30 the shopper returns one line, and support approves,
receives and refunds it through localstripe."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time
from oscar.core.loading import get_model
from playwright.sync_api import expect

from support.models import ReturnRequest
from tests.e2e.helpers import (
    VISA,
    fill_shipping_address,
    pay_with,
    register_at_shop,
    sign_in_at_dashboard,
    sign_in_at_shop,
)
from tests.e2e.test_checkout_journey import order_number_on
from tests.money import money_rows
from tests.support.conftest import stripe_refunds

Order = get_model("order", "Order")

SHOPPER = "nia.shopper@example.com"
SHOPPER_PASSWORD = "a-long-pass-phrase-42"
UPS_TYPED = "1z 999 aa1 01 2345 6784"
UPS = "1Z999AA10123456784"
# The browser and the test server run while the clock is fixed 30 days ahead; Playwright's
# own event loop keeps the real clock.
FREEZE_IGNORE = ["playwright", "asyncio", "greenlet"]


@pytest.fixture
def shop_site(demo_site, localstripe):
    return demo_site


def register(page, base):
    register_at_shop(page, base, SHOPPER, SHOPPER_PASSWORD)


def add_to_cart(page, base, title):
    page.goto(base + "/shop/catalogue/")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart").click()


def checkout_to_new_york(page, base):
    page.goto(base + "/shop/basket/")
    # The basket estimates the tax once the shopper says where it ships.
    page.select_option("#id_tax_region", "US-NY")
    page.locator("[data-testid=tax-destination]").get_by_role("button", name="Update").click()
    expect(page.locator("#basket_totals [data-money=tax]").first).not_to_have_text("$0.00")
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    fill_shipping_address(
        page,
        first_name="Nia",
        last_name="Shopper",
        line1="350 Fifth Avenue",
        line4="New York",
        state="NY",
        postcode="10118",
    )
    # The standard method is chosen; the summary is priced for Manhattan (ZIP 10118): the
    # state's, the city's and the MCTD's taxes.
    expect(page.locator("input[name=shipping_method]").first).to_be_checked()
    expect(page.locator("#checkout-summary [data-money=tax]")).to_have_count(3)


def support_signs_in(browser, base):
    """The demo's support account (`make run` prints it), in its own browser session."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    agent = context.new_page()
    sign_in_at_dashboard(agent, base, "support", "support-demo-pass")
    return context, agent


def test_order_dispatched_delivered_returned_on_day_30_and_refunded(browser, page, shop_site):
    base = shop_site
    register(page, base)
    add_to_cart(page, base, "Pain Therapy System")
    add_to_cart(page, base, "Replacement Electrode Pads (4 pack)")
    checkout_to_new_york(page, base)
    # New York sales tax is charged in checkout and shown on the confirmation page.
    expect(page.locator("#checkout-summary [data-money=tax]").first).not_to_have_text("$0.00")
    pay_with(page, VISA)
    number = order_number_on(page)
    order = Order.objects.get(number=number)
    assert order.shipping_address.state == "NY"
    assert order.total_tax > 0
    taxes = [a for label, a in money_rows(page.content()).items() if label.endswith("%")]
    assert sum(Decimal(a.strip("$")) for a in taxes) == order.total_tax

    # Support marks the whole order dispatched with UPS from the order page.
    context, agent = support_signs_in(browser, base)
    agent.goto(f"{base}/dashboard/orders/{number}/")
    agent.check("#dispatch_check")
    agent.select_option("#carrier_select", "ups")
    agent.fill("#tracking_input", UPS_TYPED)
    agent.get_by_test_id("line-action-submit").click()
    expect(agent.locator(".alert-success")).to_contain_text(f"tracking number {UPS}")
    expect(agent.get_by_test_id("shipments")).to_contain_text(UPS)
    expect(agent.get_by_test_id("guarantee-box")).to_contain_text("from dispatched")

    # The "on its way" email went out, and the order page shows the tracking link.
    [email] = [m for m in mail.outbox if m.to == [SHOPPER] and "on its way" in m.subject]
    tracking_url = f"https://www.ups.com/track?loc=en_US&tracknum={UPS}"
    assert tracking_url in email.body
    page.goto(f"{base}/shop/accounts/orders/{number}/")
    expect(page.get_by_test_id("order-tracking")).to_contain_text("Shipped on")
    expect(page.get_by_test_id("tracking-link")).to_have_attribute("href", tracking_url)

    # Support marks it delivered (today).
    agent.check("#deliver_check")
    agent.get_by_test_id("line-action-submit").click()
    expect(agent.locator(".alert-success")).to_contain_text("delivered")
    expect(agent.get_by_test_id("guarantee-box")).to_contain_text("from delivered")
    context.close()
    order.refresh_from_db()
    assert order.status == "Delivered"

    # Day 30: the shopper comes back (sessions have expired) and returns the device.
    day_30 = timezone.now() + datetime.timedelta(days=30)
    with freeze_time(day_30, tick=True, ignore=FREEZE_IGNORE):
        sign_in_at_shop(page, base, SHOPPER, SHOPPER_PASSWORD)
        page.goto(f"{base}/shop/accounts/orders/{number}/")
        expect(page.get_by_test_id("order-tracking")).to_contain_text("Delivered on")
        page.get_by_test_id("return-button").click()
        expect(page.get_by_test_id("window-open")).to_be_visible()
        page.get_by_label("Pain Therapy System").check()
        page.select_option("#id_reason", "not_helping")
        page.get_by_role("button", name="Request a return").click()
        return_request = ReturnRequest.objects.get(order=order)
        expect(page.get_by_role("heading", name=f"Return {return_request.number}")).to_be_visible()

        context, agent = support_signs_in(browser, base)
        agent.goto(f"{base}/dashboard/returns/{return_request.number}/")
        for button, status in [
            ("Approve", "Approved"),
            ("Mark received", "Received"),
            ("Refund to card", "Refunded"),
        ]:
            agent.get_by_role("button", name=button).click()
            expect(agent.get_by_test_id("return-status")).to_have_text(status)
        context.close()

        page.goto(f"{base}/returns/{return_request.number}/")
        expect(page.get_by_test_id("return-next-step")).to_contain_text("We've refunded")

    # The refund at localstripe is the returned line's price (incl. any tax on it).
    line = order.lines.get(title="Pain Therapy System")
    [refund] = stripe_refunds(order.sources.get().reference)
    assert line.line_price_incl_tax > line.line_price_excl_tax  # the line was taxed
    assert refund["amount"] == int(line.line_price_incl_tax * 100)
    assert line.line_price_excl_tax == line.unit_price_excl_tax * line.quantity
    order.refresh_from_db()
    assert order.status == "Partially refunded"
