"""Stripe Tax as the provider (``SHOP_TAX_PROVIDER``), against localstripe with the Tax
Calculation API the development fake adds (devtools/fake_stripe_tax.py). No mocking: the
store calls the fake over HTTP through the stripe library.

The fake's table differs from the store's on purpose (its Texas has no local taxes, and it
names each tax by jurisdiction), so a figure below can only have come from the fake.
"""

import logging
from decimal import Decimal

import pytest
from oscar.test.factories import create_product

from shop.payments import services
from shop.payments import stripe_gateway as gateway
from shop.payments.services import CheckoutDetails
from shop.tax import selectors
from shop.tax.providers import Destination, TaxableItem
from shop.tax.seed import seed_rates
from shop.tax.stripe_tax import StripeTaxProvider
from tests.factories import shipping_address
from tests.stripe_server import _free_port

D = Decimal
VISA = "4242424242424242"

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_tax(settings, localstripe):
    settings.SHOP_TAX_PROVIDER = "shop.tax.stripe_tax.StripeTaxProvider"
    seed_rates()
    return localstripe


@pytest.fixture
def buy(stripe_tax, make_basket, django_capture_on_commit_callbacks):
    """buy(city, state, zip, method): device $149.95 + 3 × pads $24.99, paid at localstripe."""

    def go(city, state, postcode, method="express"):
        device = create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=5)
        pads = create_product(title="Electrode pads", price=D("24.99"), num_in_stock=5)
        basket = make_basket((device, 1), (pads, 3))
        country = "CA" if state == "QC" else "US"
        address = shipping_address(line4=city, state=state, postcode=postcode, country_id=country)
        details = CheckoutDetails(basket.id, None, "st@example.com", address, method)
        with django_capture_on_commit_callbacks(execute=True):
            token = stripe_tax.payment_method(VISA)
            return services.start_payment(details=details, payment_method=token)

    return go


def test_manhattan_order_is_charged_and_stores_the_taxes_stripe_computed(buy):
    outcome = buy("New York", "NY", "10118")
    order = outcome.order
    # Per line, per tax, rounded by the fake (as Stripe does):
    #   device 149.95: 4 % 6.00, 4.5 % 6.75, 0.375 % 0.56 = 13.31
    #   pads 74.97:    4 % 3.00, 4.5 % 3.37, 0.375 % 0.28 = 6.65, not a multiple of 3:
    #                  unit tax 2.22, line charged 6.66
    #   shipping 19.95: 4 % 0.80, 4.5 % 0.90, 0.375 % 0.07 = 1.77
    assert order.total_tax == D("21.74")
    assert order.total_incl_tax == D("266.61")  # 149.95 + 74.97 + 19.95 + 21.74
    assert outcome.payment.amount == 26661
    taxes = [(t.label, t.amount) for t in selectors.order_taxes(order)]
    assert [label for label, _ in taxes] == [
        "New York sales tax 4%",
        "New York City sales tax 4.5%",
        "Metropolitan Commuter Transportation District sales tax 0.375%",
    ]
    assert sum(amount for _, amount in taxes) == D("21.74")
    assert taxes[0][1] == D("9.80")  # 6.00 + 3.00 + 0.80 (the extra cent went elsewhere)


def test_houston_order_pays_what_the_fake_says_not_the_store_table(buy):
    order = buy("Houston", "TX", "77002").order
    # The fake knows only Texas's 6.25 % (the store's table would charge Houston's 8.25 %):
    # device 9.37, pads 74.97 -> 4.69 (unit 1.56, charged 4.68), shipping 1.25
    assert [(t.label, t.amount) for t in selectors.order_taxes(order)] == [
        ("Texas sales tax 6.25%", D("15.30"))
    ]
    assert order.total_tax == D("15.30")


def test_quebec_order_stores_gst_and_qst(buy):
    order = buy("Montreal", "QC", "H2Y 1C6").order
    taxes = selectors.order_taxes(order)
    assert [t.label for t in taxes] == ["GST 5%", "QST 9.975%"]
    assert sum(t.amount for t in taxes) == order.total_tax > 0


def test_stripe_unreachable_falls_back_to_the_table_with_a_warning(stripe_tax, settings, caplog):
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    items = [TaxableItem(key=1, unit_price=D("149.95"), quantity=1)]
    with caplog.at_level(logging.WARNING, logger="shop.tax.stripe_tax"):
        quote = StripeTaxProvider().quote(
            destination=Destination("US", "TX", "77002"), items=items, shipping_charge=D("0")
        )
    assert quote.unit_tax[1] == D("12.37")  # the table's Houston 8.25 %
    assert "Stripe Tax failed" in caplog.text


def test_line_tax_not_divisible_by_quantity_is_charged_as_whole_unit_taxes():
    calculation = gateway.TaxCalculation(
        id="taxcalc_test",
        line_tax={"1": 1000},  # 10.00 on 3 units
        shipping_tax=50,
        parts=[
            gateway.TaxPart("Canada", "country", "gst", "5", 350),
            gateway.TaxPart("Quebec", "province", "qst", "9.975", 700),
        ],
    )
    quote = StripeTaxProvider().quote_from(
        calculation,
        destination=Destination("CA", "QC", "H2Y1C6"),
        items=[TaxableItem(key=1, unit_price=D("33.33"), quantity=3)],
    )
    assert quote.unit_tax[1] == D("3.33")  # 9.99 charged for the line
    assert quote.shipping_tax == D("0.50")
    assert [(c.label, c.amount) for c in quote.components] == [
        ("GST 5%", D("3.50")),
        ("QST 9.975%", D("6.99")),
    ]
