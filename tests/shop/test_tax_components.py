"""Taxes by name: each tax's amount in a quote, and the rows an order stores.

The rule: the taxes by name add up exactly to the tax charged (the line taxes, each a whole
number of unit taxes, plus the tax on shipping), for any basket, with exempt items, shipping
and the two-tax Quebec.
"""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_class
from oscar.test.factories import create_product

from shop.payments.placement import OrderPlacer, submission_arguments
from shop.payments.services import CheckoutDetails, build_submission
from shop.tax import selectors
from shop.tax.models import OrderTax
from shop.tax.providers import Destination, TableTaxProvider, TaxableItem, allocate
from shop.tax.seed import seed_rates
from shop.tax.services import record_order_taxes
from tests.factories import shipping_address, site_wide_offer

D = Decimal
PaymentDetailsView = get_class("checkout.views", "PaymentDetailsView")
ShopOrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")

pytestmark = pytest.mark.django_db

DESTINATIONS = [
    Destination("CA", "QC", "H2Y1C6"),  # GST 5 % + QST 9.975 %, each rounded on its own
    Destination("CA", "BC", "V6B1A1"),  # PST not on shipping
    Destination("CA", "ON", "M5V2T6"),
    Destination("US", "NY", "10118"),  # 4 + 4.5 + 0.375, rounded once at 8.875 %
    Destination("US", "IL", "60601"),  # four taxes, shipping not taxed
    Destination("US", "NY", "12207"),
    Destination("US", "OR", "97201"),  # no tax
]

prices = st.decimals(min_value=D("0.01"), max_value=D("2000"), places=2)
items = st.lists(
    st.tuples(prices, st.integers(min_value=1, max_value=7), st.booleans()),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def rates(db):
    seed_rates()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    destination=st.sampled_from(DESTINATIONS),
    basket=items,
    shipping=st.decimals(min_value=D("0"), max_value=D("80"), places=2),
)
def test_taxes_by_name_add_up_to_the_tax_charged(rates, destination, basket, shipping):
    taxable = [
        TaxableItem(
            key=i, unit_price=price, quantity=qty, tax_class="exempt" if exempt else "standard"
        )
        for i, (price, qty, exempt) in enumerate(basket)
    ]
    quote = TableTaxProvider().quote(
        destination=destination, items=taxable, shipping_charge=shipping
    )
    charged = sum((quote.line_tax(i.key, i.quantity) for i in taxable), D("0"))
    charged += quote.shipping_tax
    assert sum((c.amount for c in quote.components), D("0")) == charged
    assert all(c.amount >= 0 and c.amount == c.amount.quantize(D("0.01")) for c in quote.components)
    for item in taxable:
        if item.tax_class == "exempt":
            assert quote.unit_tax[item.key] == 0


def test_quebec_taxes_are_each_rounded_on_the_same_price(rates):
    # 24.99: GST 1.2495 -> 1.25, QST 2.4928 -> 2.49 (one rounding at 14.975 % would be 3.74)
    quote = TableTaxProvider().quote(
        destination=Destination("CA", "QC", "H2Y1C6"),
        items=[TaxableItem(key=1, unit_price=D("24.99"), quantity=2)],
        shipping_charge=D("19.95"),  # GST 0.9975 -> 1.00, QST 1.99 -> 1.99
    )
    assert quote.unit_tax[1] == D("3.74")
    assert [(c.label, c.amount) for c in quote.components] == [
        ("GST 5%", D("3.50")),
        ("QST 9.975%", D("6.97")),
    ]
    assert quote.shipping_tax == D("2.99")


@given(
    total=st.decimals(min_value=D("0"), max_value=D("10000"), places=2),
    weights=st.lists(
        st.decimals(min_value=D("0"), max_value=D("100"), places=3), min_size=1, max_size=6
    ),
)
def test_allocate_splits_to_the_cent_and_adds_up(total, weights):
    parts = allocate(total, weights)
    assert sum(parts, D("0")) == total
    assert all(part >= 0 for part in parts)


def _submission(make_basket, postcode, state, city, *items):
    basket = make_basket(*items)
    country = "CA" if state in ("QC", "ON", "BC") else "US"
    address = shipping_address(line4=city, state=state, postcode=postcode, country_id=country)
    return build_submission(CheckoutDetails(basket.id, None, "t@example.com", address, "express"))


def _place(submission, number):
    return OrderPlacer().place_order(
        order_number=number, guest_email="t@example.com", **submission_arguments(submission)
    )


def test_placed_order_stores_each_tax_adding_up_to_its_total_tax(rates, make_basket):
    device = create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=5)
    pads = create_product(title="Electrode pads", price=D("24.99"), num_in_stock=5)
    submission = _submission(make_basket, "H2Y 1C6", "QC", "Montreal", (device, 1), (pads, 2))
    order = _place(submission, "900001")
    taxes = selectors.order_taxes(order)
    assert [t.label for t in taxes] == ["GST 5%", "QST 9.975%"]
    # device 7.50 + 14.96, pads 2 × (1.25 + 2.49), shipping 1.00 + 1.99
    assert [t.amount for t in taxes] == [D("11.00"), D("21.93")]
    assert sum(t.amount for t in taxes) == order.total_tax == D("32.93")


def test_a_discount_lowers_the_stored_taxes_to_what_oscar_charged(rates, make_basket):
    site_wide_offer("10% off", 10)
    belt = create_product(title="Belt", price=D("150.00"), num_in_stock=5)
    submission = _submission(make_basket, "60601", "IL", "Chicago", (belt, 1))
    order = _place(submission, "900002")
    # 135.00 after the discount × 10.25 % = 13.84 (Oscar's tax ratio); shipping not taxed in IL
    assert order.total_tax == D("13.84")
    stored = list(order.taxes.values_list("name", "amount"))
    assert [name for name, _ in stored] == [
        "Sales tax", "Cook County tax", "City of Chicago tax", "RTA tax",
    ]  # fmt: skip
    assert sum(amount for _, amount in stored) == D("13.84")
    assert sum(t.amount for t in selectors.quote_taxes(submission.basket.tax_quote)) == D("13.84")


def test_untaxed_address_stores_no_taxes(rates, make_basket):
    device = create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=5)
    order = _place(_submission(make_basket, "97201", "OR", "Portland", (device, 1)), "900003")
    assert not order.taxes.exists()
    assert selectors.order_taxes(order) == []


def test_order_placed_before_taxes_were_stored_shows_one_tax_row(rates, make_basket):
    device = create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=5)
    order = _place(_submission(make_basket, "12207", "NY", "Albany", (device, 1)), "900004")
    OrderTax.objects.filter(order=order).delete()
    [row] = selectors.order_taxes(order)
    assert (row.name, row.rate, row.amount, row.label) == ("Tax", None, order.total_tax, "Tax")


def test_recording_again_replaces_the_rows(rates, make_basket):
    device = create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=5)
    submission = _submission(make_basket, "10118", "NY", "New York", (device, 1))
    order = _place(submission, "900005")
    record_order_taxes(order, submission.basket.tax_quote)
    assert order.taxes.count() == 3


def test_both_ways_of_placing_an_order_store_the_taxes():
    """The paid order (OrderPlacer) and Oscar's place-order view (nothing to pay) both place
    through the fork's mixin, which stores the taxes."""
    assert issubclass(OrderPlacer, ShopOrderPlacementMixin)
    assert issubclass(PaymentDetailsView, ShopOrderPlacementMixin)
    assert ShopOrderPlacementMixin.__module__ == "shop.checkout.mixins"
