"""Sales tax figures: one basket shipped to New York, Oregon, Ontario and Quebec, priced by
the same code the Pay button uses (shop.payments.services.build_submission), against amounts
worked out by hand to the cent.

The basket: Pain Therapy System $149.95 × 1, Electrode pads $24.99 × 2 (goods $199.93),
Express shipping $19.95. Each tax is computed on one unit and rounded half up to the cent.
"""

from decimal import Decimal

import pytest
from oscar.test.factories import create_product

from shop.payments.services import CheckoutDetails, build_submission
from shop.tax import services as tax
from shop.tax.models import TaxRate
from shop.tax.providers import Destination, TableTaxProvider, TaxableItem
from shop.tax.regions import region_of
from shop.tax.seed import seed_rates
from tests.factories import shipping_address, site_wide_offer

D = Decimal

ADDRESSES = {
    # Albany: the table has the statewide 4 % only there (local rates are seeded for the ten
    # largest cities, tests/shop/test_tax_local_rates.py), so the figures stay hand-checkable.
    "NY": {"line4": "Albany", "state": "NY", "postcode": "12207", "country_id": "US"},
    "OR": {"line4": "Portland", "state": "OR", "postcode": "97201", "country_id": "US"},
    "ON": {"line4": "Toronto", "state": "ON", "postcode": "M5V 2T6", "country_id": "CA"},
    "QC": {"line4": "Montréal", "state": "QC", "postcode": "H2Y 1C6", "country_id": "CA"},
}

pytestmark = pytest.mark.django_db


def address(region):
    return shipping_address(line1="1 Main Street", **ADDRESSES[region])


@pytest.fixture
def rates(db):
    seed_rates()


@pytest.fixture
def device(db):
    return create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=10)


@pytest.fixture
def pads(db):
    return create_product(title="Electrode pads", price=D("24.99"), num_in_stock=50)


@pytest.fixture
def priced(rates, device, pads, make_basket):
    """priced(region) -> the submission for the basket shipped there by Express."""

    def price(region, method="express"):
        basket = make_basket((device, 1), (pads, 2))
        details = CheckoutDetails(
            basket_id=basket.id,
            user_id=None,
            guest_email="guest@example.com",
            shipping_address=address(region),
            shipping_method_code=method,
        )
        return build_submission(details)

    return price


def line_taxes(submission):
    return [line.line_tax for line in submission.basket.all_lines()]


# region: (device line tax, pads line tax, shipping tax, order total)
HAND_COMPUTED = {
    # NY state 4 %, shipping taxed: 5.998 -> 6.00; 0.9996 -> 1.00 (×2); 0.798 -> 0.80
    "NY": (D("6.00"), D("2.00"), D("0.80"), D("228.68")),
    # Oregon has no sales tax
    "OR": (D("0.00"), D("0.00"), D("0.00"), D("219.88")),
    # Ontario HST 13 %: 19.4935 -> 19.49; 3.2487 -> 3.25 (×2); 2.5935 -> 2.59
    "ON": (D("19.49"), D("6.50"), D("2.59"), D("248.46")),
    # Quebec GST 5 % + QST 9.975 %: 7.4975 -> 7.50 + 14.9575 -> 14.96;
    # 1.2495 -> 1.25 + 2.4928 -> 2.49 (×2); shipping 0.9975 -> 1.00 + 1.9900 -> 1.99
    "QC": (D("22.46"), D("7.48"), D("2.99"), D("252.81")),
}


@pytest.mark.parametrize("region", HAND_COMPUTED)
def test_basket_tax_matches_hand_computed_amounts(priced, region):
    device_tax, pads_tax, shipping_tax, total = HAND_COMPUTED[region]
    submission = priced(region)
    assert line_taxes(submission) == [device_tax, pads_tax]
    assert submission.shipping_charge.excl_tax == D("19.95")
    assert submission.shipping_charge.tax == shipping_tax
    assert submission.total.excl_tax == D("219.88")
    assert submission.total.incl_tax == total
    assert submission.total.tax == device_tax + pads_tax + shipping_tax


def test_shipping_is_not_taxed_where_the_state_exempts_it(priced):
    TaxRate.objects.filter(country="US", region="NY").update(shipping_taxable=False)
    submission = priced("NY")
    assert submission.shipping_charge.tax == D("0.00")
    assert submission.total.incl_tax == D("227.88")


def test_free_shipping_threshold_is_on_goods_before_tax(rates, make_basket, settings):
    # $72 of goods: under the $75 threshold, even though $72 + NY tax is over it.
    settings.SHOP_FREE_SHIPPING_THRESHOLD = D("75.00")
    item = create_product(title="Belt", price=D("72.00"), num_in_stock=5)
    basket = make_basket((item, 1))
    details = CheckoutDetails(basket.id, None, "g@example.com", address("NY"), "standard")
    submission = build_submission(details)
    assert submission.shipping_charge.excl_tax == D("7.95")
    assert submission.total.incl_tax == D("72.00") + D("2.88") + D("7.95") + D("0.32")


def test_exempt_product_pays_no_tax_and_shipping_is_taxed_for_the_taxable_share(priced, pads):
    tax.set_tax_class(pads, "exempt")
    submission = priced("NY")
    assert line_taxes(submission) == [D("6.00"), D("0.00")]
    # shipping 19.95 × 149.95 / 199.93 = 14.9627 taxable; × 4 % = 0.5985 -> 0.60
    assert submission.shipping_charge.tax == D("0.60")
    assert submission.total.incl_tax == D("219.88") + D("6.60")


def test_every_product_class_offers_the_tax_class_attribute(device):
    attribute = device.get_product_class().attributes.get(code="tax_class")
    assert attribute.type == "option"
    assert sorted(attribute.option_group.options.values_list("option", flat=True)) == [
        "exempt",
        "standard",
    ]
    assert tax.tax_classes([device]) == {device.id: "standard"}


def test_local_rate_by_postcode_prefix_replaces_the_statewide_one(rates):
    # Buffalo (Erie County, 8.75 % combined): no seeded local row there.
    TaxRate.objects.create(
        country="US", region="NY", postcode_prefix="142", name="Sales tax", rate=D("8.75")
    )
    provider = TableTaxProvider()
    items = [TaxableItem(key=1, unit_price=D("100.00"), quantity=1)]
    buffalo = provider.quote(
        destination=Destination("US", "NY", "14202"), items=items, shipping_charge=D("0")
    )
    albany = provider.quote(
        destination=Destination("US", "NY", "12207"), items=items, shipping_charge=D("0")
    )
    assert buffalo.unit_tax[1] == D("8.75")
    assert [c.label for c in buffalo.components] == ["Sales tax 8.75%"]
    assert albany.unit_tax[1] == D("4.00")


@pytest.mark.parametrize(
    ("country", "postcode", "state", "region"),
    [
        ("US", "10118", "", "NY"),
        ("US", "97201-1234", "Oregon", "OR"),
        ("US", "", "new york", "NY"),
        ("CA", "h2y 1c6", "", "QC"),
        ("CA", "M5V2T6", "Ontario", "ON"),
        ("CA", "X0A 0H0", "", "NU"),
        ("CA", "", "Québec", "QC"),
        ("US", "", "Atlantis", ""),
    ],
)
def test_region_comes_from_the_postcode_or_the_state(country, postcode, state, region):
    assert region_of(country, postcode, state) == region


def test_address_without_a_known_state_is_not_taxed():
    from oscar.core.loading import get_model

    ShippingAddress = get_model("order", "ShippingAddress")
    assert tax.destination_of_address(ShippingAddress(country_id="US", state="Atlantis")) is None
    assert tax.destination_of_address(ShippingAddress(country_id="GB", postcode="SW1A 1AA")) is None
    assert tax.destination_of_address(None) is None


def test_tax_provider_is_chosen_by_setting(settings, priced):
    settings.SHOP_TAX_PROVIDER = "tests.shop.test_tax.FlatTenPercent"
    submission = priced("OR")
    assert line_taxes(submission) == [D("15.00"), D("5.00")]


class FlatTenPercent(TableTaxProvider):
    """A stand-in for an outside provider (Stripe Tax, Avalara): same interface."""

    def rates_for(self, destination):
        from shop.tax.providers import TaxComponent

        return [TaxComponent("Test tax", D("10"), True)]


def test_refund_share_of_tax_is_in_proportion(rates):
    class Order:
        total_incl_tax = D("228.68")
        total_tax = D("8.80")

    assert tax.tax_share(Order, D("114.34")) == D("4.40")
    assert tax.tax_share(Order, D("228.68")) == D("8.80")


def test_discounted_line_is_taxed_on_its_price_after_the_discount(rates, make_basket):
    site_wide_offer("10% off", 10)
    belt = create_product(title="Belt", price=D("150.00"), num_in_stock=5)
    basket = make_basket((belt, 1))
    details = CheckoutDetails(basket.id, None, "g@example.com", address("NY"), "standard")
    submission = build_submission(details)
    [line] = submission.basket.all_lines()
    # 150.00 - 15.00 discount = 135.00; × 4 % = 5.40 (not 6.00, the tax on the full price)
    assert line.line_price_excl_tax_incl_discounts == D("135.00")
    assert line.line_tax == D("5.40")
    assert submission.total.incl_tax == D("140.40")
