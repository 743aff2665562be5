"""Local sales tax in the ten largest US cities: the seeded rows (data migration tax/0004 and
``load_demo``) add up with the state's rate to each city's combined rate, and a basket
shipped there is charged it through checkout's own pricing (``apply_to_basket``)."""

from decimal import Decimal

import pytest
from oscar.test.factories import create_product

from shop.payments.services import CheckoutDetails, build_submission
from shop.tax import selectors
from shop.tax.models import TaxRate
from shop.tax.providers import Destination, TableTaxProvider
from shop.tax.seed import LOCAL_RATES, seed_rates
from tests.factories import shipping_address

D = Decimal

pytestmark = pytest.mark.django_db

COMBINED = {
    "New York City": D("8.875"),
    "Los Angeles": D("9.75"),
    "Chicago": D("10.25"),
    "Houston": D("8.25"),
    "Phoenix": D("8.6"),
    "Philadelphia": D("8"),
    "San Antonio": D("8.25"),
    "San Diego": D("7.75"),
    "Dallas": D("8.25"),
    "Jacksonville": D("7.5"),
}


@pytest.mark.parametrize("city", COMBINED)
def test_each_city_zip_prefix_pays_the_combined_rate(city):
    # No seed_rates() here: the data migration put the rows in the test database.
    state, prefixes, _taxes, _source = LOCAL_RATES[city]
    for prefix in prefixes:
        rates = TableTaxProvider().rates_for(Destination("US", state, f"{prefix}01"))
        assert sum(rate.rate for rate in rates) == COMBINED[city], (city, prefix)


def test_every_local_row_names_its_source_and_date():
    local = TaxRate.objects.exclude(postcode_prefix="").filter(country="US")
    assert local.count() >= sum(len(p) * len(t) for _s, p, t, _src in LOCAL_RATES.values())
    for row in local:
        assert "20" in row.source and "ZIP codes" in row.source, row


def test_seeding_again_adds_nothing():
    before = TaxRate.objects.count()
    seed_rates()
    assert TaxRate.objects.count() == before


@pytest.fixture
def device(db):
    return create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=10)


@pytest.fixture
def checkout_to(device, make_basket):
    """checkout_to(city, state, zip) -> the submission for one device shipped there
    (standard shipping, free over the threshold: only the device is taxed)."""

    def price(city, state, postcode):
        seed_rates()
        basket = make_basket((device, 1))
        address = shipping_address(line4=city, state=state, postcode=postcode)
        details = CheckoutDetails(basket.id, None, "g@example.com", address, "standard")
        return build_submission(details)

    return price


def _taxes(submission):
    return [(t.label, t.amount) for t in selectors.quote_taxes(submission.basket.tax_quote)]


def test_manhattan_10118_pays_8_875_percent(checkout_to):
    submission = checkout_to("New York", "NY", "10118")
    # 149.95 × 8.875 % = 13.308 -> 13.31, shown as its three taxes
    [line] = submission.basket.all_lines()
    assert line.line_tax == D("13.31")
    assert submission.total.incl_tax == D("163.26")
    assert _taxes(submission) == [
        ("Sales tax 4%", D("6.00")),
        ("New York City sales tax 4.5%", D("6.75")),
        ("MCTD sales tax 0.375%", D("0.56")),
    ]


def test_chicago_60601_pays_10_25_percent(checkout_to):
    submission = checkout_to("Chicago", "IL", "60601")
    # 149.95 × 10.25 % = 15.3699 -> 15.37 (rounded once at the combined rate)
    assert submission.total.incl_tax - submission.total.excl_tax == D("15.37")
    assert _taxes(submission) == [
        ("Sales tax 6.25%", D("9.37")),
        ("Cook County tax 1.75%", D("2.62")),
        ("City of Chicago tax 1.25%", D("1.88")),
        ("RTA tax 1%", D("1.50")),
    ]


def test_los_angeles_90012_pays_9_75_percent(checkout_to):
    submission = checkout_to("Los Angeles", "CA", "90012")
    # 149.95 × 9.75 % = 14.6201 -> 14.62
    assert submission.total.incl_tax - submission.total.excl_tax == D("14.62")
    assert _taxes(submission) == [
        ("Sales tax 7.25%", D("10.87")),
        ("Los Angeles County district tax 2.5%", D("3.75")),
    ]


def test_outside_the_cities_the_statewide_rate_alone(checkout_to):
    submission = checkout_to("Albany", "NY", "12207")
    assert _taxes(submission) == [("Sales tax 4%", D("6.00"))]
