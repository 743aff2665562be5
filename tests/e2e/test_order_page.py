"""The one order page on a 390 px phone, as a guest through the signed link and signed in:
no horizontal scroll, the return button only once the order has shipped, nothing axe
objects to; and axe on the dashboard's order page."""

from django.urls import reverse
from playwright.sync_api import expect

from support import fulfilment
from tests.e2e.a11y import assert_accessible
from tests.e2e.helpers import sign_in_at_dashboard, sign_in_at_shop
from tests.support.conftest import PASSWORD, make_order, make_user

PHONE = {"width": 390, "height": 844}
UPS = "1Z999AA10123456784"


def _fits_the_phone(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _shows_the_order_before_and_after_shipment(page, url, order, agent):
    page.goto(url)
    expect(page.get_by_test_id("order-page")).to_contain_text(f"Order {order.number}")
    expect(page.get_by_test_id("order-page-totals")).to_be_visible()
    expect(page.get_by_test_id("return-button")).to_have_count(0)
    _fits_the_phone(page)
    assert_accessible(page, every_impact=True)
    fulfilment.record_dispatch(order=order, by=agent, carrier="ups", tracking_number=UPS)
    page.goto(url)
    expect(page.get_by_test_id("order-status")).to_have_text("Shipped")
    expect(page.get_by_test_id("tracking-link")).to_be_visible()
    expect(page.get_by_test_id("guarantee-ends")).to_be_visible()
    _fits_the_phone(page)
    assert_accessible(page, every_impact=True)
    page.get_by_test_id("return-button").click()
    expect(page.get_by_test_id("window-open")).to_be_visible()
    _fits_the_phone(page)


def test_one_order_page_on_a_phone_as_guest_and_signed_in(page, demo_site):
    # demo_site: the site's pages and settings are back after an earlier browser test
    # emptied the database (the order page's header reads them).
    base = demo_site
    agent = make_user("support", "agent")
    customer = make_user("customer", "ada")
    guest_order = make_order(email="guest.buyer@example.com")
    account_order = make_order(user=customer)

    page.set_viewport_size(PHONE)
    signed = reverse(
        "customer:anon-order",
        kwargs={"order_number": guest_order.number, "hash": guest_order.verification_hash()},
    )
    _shows_the_order_before_and_after_shipment(page, base + signed, guest_order, agent)

    sign_in_at_shop(page, base, customer.email, PASSWORD)
    account = base + reverse("customer:order", args=[account_order.number])
    _shows_the_order_before_and_after_shipment(page, account, account_order, agent)
    page.goto(base + reverse("customer:order-list"))
    _fits_the_phone(page)


def test_dashboard_order_page_is_accessible(page, demo_site):
    base = demo_site
    make_user("support", "agent")
    order = make_order()
    sign_in_at_dashboard(page, base, "agent", PASSWORD)
    page.goto(f"{base}/dashboard/orders/{order.number}/")
    expect(page.locator("#id_new_status")).to_have_value("")
    assert_accessible(page, every_impact=True)
    page.get_by_role("tab", name="Emails", exact=True).click()
    expect(page.get_by_test_id("order-emails")).to_be_visible()
    # Bootstrap fades the tab in: check it once it is fully shown, not mid-fade.
    page.wait_for_function("getComputedStyle(document.getElementById('emails')).opacity === '1'")
    assert_accessible(page, every_impact=True)
