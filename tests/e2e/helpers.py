"""Steps the browser journeys (and bench/audit.py) share: signing in, the checkout address
form and paying with a card in the test Stripe.js's Payment Element. Plain Playwright, no
Django: the Lighthouse audit drives its own browser with them."""

import re

from playwright.sync_api import expect

VISA = "4242424242424242"
VISA_3DS = "4000002760003184"
DECLINED = "4000000000000002"


def sign_in_at_shop(page, base, email, password):
    page.goto(base + "/shop/accounts/login/")
    page.fill("#id_login-username", email)
    page.fill("#id_login-password", password)
    page.click("button[name=login_submit]")
    expect(page).to_have_url(re.compile(r"/shop/accounts/"))


def register_at_shop(page, base, email, password):
    """Register, then sign in: registering answers a known and a new email alike
    (shop/registration.py), so it signs nobody in."""
    page.goto(base + "/shop/accounts/login/")
    page.fill("#id_registration-email", email)
    page.fill("#id_registration-password1", password)
    page.fill("#id_registration-password2", password)
    page.get_by_role("button", name="Register").click()
    expect(page.locator("main")).to_contain_text("Check your email")
    sign_in_at_shop(page, base, email, password)


def sign_in_at_dashboard(page, base, username, password):
    page.goto(f"{base}/dashboard/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#dashboard_login_form [type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def fill_shipping_address(
    page, *, first_name, last_name, line1, line4, state, postcode, country="US", email=None
):
    """The one-page checkout's contact (a guest's ``email``) and shipping address
    (``state`` the state's or province's two-letter code). The page re-prices as it goes:
    wait for ``expect_total`` or the Pay button's label before paying."""
    if email is not None:
        page.fill("#id_email", email)
    page.fill("#id_first_name", first_name)
    page.fill("#id_last_name", last_name)
    page.fill("#id_line1", line1)
    page.fill("#id_line4", line4)
    page.select_option("#id_country", country)
    page.select_option("#id_state", state)
    page.fill("#id_postcode", postcode)
    page.locator("#id_postcode").blur()


def fill_card(page, number, *, expiry="12 / 34", cvc="123"):
    """Card details into the Payment Element (the test Stripe.js's: devtools/stripe_js)."""
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiration date (MM / YY)").fill(expiry)
    page.get_by_label("Security code").fill(cvc)


def pay_with(page, number, *, expiry="12 / 34"):
    """A new card into the Payment Element, then Pay."""
    new_card = page.locator("input[name=card][value=new]")
    if new_card.count() and new_card.get_attribute("type") == "radio":
        new_card.check()
    fill_card(page, number, expiry=expiry)
    page.locator("#pay-button").click()
