"""Test data more than one test folder builds (bench/traffic.py uses the address too, once
Django is set up)."""

from oscar.core.loading import get_model
from oscar.test.factories import create_offer

Benefit = get_model("offer", "Benefit")
Range = get_model("offer", "Range")

# In Oregon, which has no sales tax, so payment tests keep round amounts; the tax tests
# (tests/shop/test_tax*.py) ship to taxed places.
_ADDRESS = {
    "title": "",
    "first_name": "Ada",
    "last_name": "Shopper",
    "line1": "12 Main Street",
    "line2": "",
    "line3": "",
    "line4": "Portland",
    "state": "OR",
    "postcode": "97201",
    "country_id": "US",
    "phone_number": "",
    "notes": "",
}


def shipping_address(**changes):
    """A shipping address as checkout keeps it (``CheckoutDetails.shipping_address``)."""
    return {**_ADDRESS, **changes}


# The address form (not checkout's stored address) for a place in Quebec.
MONTREAL_ADDRESS_FORM = {
    "line1": "1 Rue Principale",
    "line4": "Montreal",
    "state": "QC",
    "postcode": "H2X 1Y4",
    "country": "CA",
}


def shop_sign_in(client, email, password):
    """The storefront's sign-in form, posted; returns the response."""
    return client.post(
        "/shop/accounts/login/",
        {"login-username": email, "login-password": password, "login_submit": "Log In"},
    )


def site_wide_offer(name, percent):
    """An offer of ``percent`` off everything, for every shopper."""
    everything = Range.objects.create(name="Everything", includes_all_products=True)
    return create_offer(
        name=name,
        product_range=everything,
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=percent),
    )
