"""Steps the browser journeys (and bench/audit.py) share: signing in, the checkout address
form and paying with a card in localstripe's Stripe.js. Plain Playwright, no Django: the
Lighthouse audit drives its own browser with them."""

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
    page, *, first_name, last_name, line1, line4, state, postcode, country="US"
):
    """Checkout's shipping address form (``state`` the state's or province's two-letter
    code), submitted."""
    page.fill("#id_first_name", first_name)
    page.fill("#id_last_name", last_name)
    page.fill("#id_line1", line1)
    page.fill("#id_line4", line4)
    page.select_option("#id_country", country)
    page.select_option("#id_state", state)
    page.fill("#id_postcode", postcode)
    page.get_by_role("button", name="Continue").click()


def pay_with(page, number):
    """Card details into localstripe's card element, then Pay."""
    element = page.locator("#card-element")
    element.locator("input[placeholder=number]").fill(number)
    element.locator("input[placeholder=exp_month]").fill("12")
    element.locator("input[placeholder=exp_year]").fill("34")
    element.locator("input[placeholder=cvc]").fill("123")
    element.locator("input[placeholder=postal_code]").fill("62701")
    page.locator("#pay-button").click()
