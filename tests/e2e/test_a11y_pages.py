"""axe-core on the pages no journey reaches, and on forms showing their errors: the guest
return request, the order look-ups, the newsletter and sign-in pages, the clinic search, the
one-page checkout paid with its contact and address left empty."""

import datetime

from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.helpers import VISA, pay_with
from tests.support.conftest import make_order

GUEST = "guest.buyer@example.com"
Product = get_model("catalogue", "Product")


def test_guest_return_request_with_errors_then_sent(page, demo_site):
    order = make_order(email=GUEST, delivered_on=timezone.localdate() - datetime.timedelta(days=5))
    page.goto(demo_site + "/returns/")
    assert_accessible(page)
    page.get_by_role("button", name="Find my order").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Order number").fill(order.number)
    page.get_by_label("Email used for the order").fill(GUEST)
    page.get_by_role("button", name="Find my order").click()
    # The look-up leads to the one order page, whose return button opens the request form.
    expect(page.get_by_test_id("order-page")).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("return-button").click()
    expect(page.get_by_test_id("window-open")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Request a return").click()  # nothing chosen
    expect(page.locator("#lines-errors")).to_contain_text("Choose at least one item")
    assert_accessible(page)
    page.locator("input[name=lines]").first.check()
    page.select_option("#id_reason", "not_helping")
    page.get_by_role("button", name="Request a return").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Return")
    assert_accessible(page)


def test_order_status_lookup_with_errors(page, demo_site):
    page.goto(demo_site + "/orders/status/")
    assert_accessible(page)
    page.get_by_role("button", name="Show my order").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_focused()
    assert_accessible(page)


def test_sign_in_and_newsletter_and_clinic_search_with_errors(page, demo_site):
    page.goto(demo_site + "/shop/accounts/login/")
    page.fill("#id_login-username", "nobody@example.com")
    page.fill("#id_login-password", "wrong-password")
    page.click("button[name=login_submit]")
    expect(page.locator("[data-form-errors]")).to_be_focused()
    assert_accessible(page)

    page.goto(demo_site + "/newsletter/")
    assert_accessible(page)

    page.goto(demo_site + "/clinics/?q=10001&radius=ten")
    expect(page.locator("#id_radius")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_checkout_paid_with_nothing_filled_in_shows_its_errors(page, demo_site, localstripe):
    page.goto(demo_site + Product.objects.get(upc="RW-PTS-100").get_absolute_url())
    page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart").click()
    expect(page.locator("#mini-cart")).to_contain_text("1 item")
    page.goto(demo_site + "/shop/checkout/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    assert_accessible(page)
    pay_with(page, VISA)  # a card, but no email and no address
    errors = page.locator("#payment-errors")
    expect(errors).to_contain_text("Please check the highlighted details.")
    expect(errors).to_contain_text("Email")
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    # The focus moves to an invalid field (today the server's first, First name, though the
    # email above it is invalid too).
    expect(page.locator("[aria-invalid=true]:focus")).to_have_count(1)
    expect(page.locator("#pay-button")).to_be_enabled()
    assert_accessible(page)
