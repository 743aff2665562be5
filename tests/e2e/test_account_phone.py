"""The account on a 390 px phone: address book, wish list and profile fit the screen, the
header's "Sign out" is there, the address form's state list follows the country, and the
order history's date filter runs without a JavaScript error."""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.helpers import sign_in_at_shop

UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")

PHONE = {"width": 390, "height": 844}
WIDTH = "() => document.documentElement.scrollWidth"
# A long email: the profile page shows it in a table.
EMAIL = "margaret.hamilton-whitfield@northern-physiotherapy-associates.example.com"
PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def customer_site(demo_site, django_user_model):
    """The demo store (its home page shows the sign-out message) and a customer with an
    address and a wish list."""
    user = django_user_model.objects.create_user(
        username="phone", email=EMAIL, password=PASSWORD, first_name="Ada", last_name="Shopper"
    )
    UserAddress.objects.create(
        user=user,
        first_name="Ada",
        last_name="Shopper",
        line1="350 Fifth Avenue, Empire State Building",
        line2="Suite 3300, Attention: Receiving Department",
        line4="New York",
        state="NY",
        postcode="10118-0110",
        country_id="US",
        phone_number="+12125550100",
    )
    product = create_product(
        title="TENS unit with a rather long name for a small screen", price=Decimal("49.00")
    )
    wishlist = WishList.objects.create(owner=user, name="Gifts for the family this winter")
    wishlist.add(product)
    return demo_site, wishlist


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def test_account_pages_fit_a_phone(phone, customer_site):
    base, wishlist = customer_site
    sign_in_at_shop(phone, base, EMAIL, PASSWORD)
    expect(phone.get_by_test_id("sign-out")).to_be_visible()
    wide = {}
    for path in (
        "/shop/accounts/addresses/",
        "/shop/accounts/addresses/add/",
        "/shop/accounts/wishlists/",
        f"/shop/accounts/wishlists/{wishlist.key}/",
        "/shop/accounts/profile/",
        "/shop/accounts/orders/?order_number=1",
    ):
        phone.goto(base + path)
        phone.wait_for_load_state("load")
        width = phone.evaluate(WIDTH)
        if width > PHONE["width"]:
            wide[path] = width
    assert not wide, f"wider than the phone: {wide}"
    assert not phone.js_errors

    # Signing out from the phone's header: the home page says so.
    phone.get_by_test_id("sign-out").click()
    expect(phone.locator(".messages")).to_contain_text("You have been signed out.")
    expect(phone.locator(".account-link")).to_have_text("Sign in")
    phone.goto(base + "/shop/accounts/profile/")
    expect(phone).to_have_url(re.compile(r"/shop/accounts/login/"))
    assert not phone.js_errors


def test_state_list_and_labels_follow_the_country(phone, customer_site):
    base, _wishlist = customer_site
    sign_in_at_shop(phone, base, EMAIL, PASSWORD)
    phone.goto(base + "/shop/accounts/addresses/add/")
    expect(phone.locator("label[for=id_postcode]")).to_have_text("ZIP code")
    assert phone.locator("#id_state optgroup").count() == 1
    phone.select_option("#id_country", "CA")
    expect(phone.locator("label[for=id_state]")).to_have_text("Province")
    expect(phone.locator("label[for=id_postcode]")).to_have_text("Postal code")
    assert phone.locator("#id_state optgroup").evaluate_all("g => g.map(x => x.label)") == [
        "Canada"
    ]
    phone.fill("#id_first_name", "Jo")
    phone.fill("#id_last_name", "Tremblay")
    phone.fill("#id_line1", "1 Rue Principale")
    phone.fill("#id_line4", "Montreal")
    phone.select_option("#id_state", "QC")
    phone.fill("#id_postcode", "h2x1y4")
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator(".address-book")).to_contain_text("Montreal, QC H2X 1Y4")
    assert not phone.js_errors
