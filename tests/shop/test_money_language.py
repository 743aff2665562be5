"""One money language (issue 22): the cart, checkout, thank-you page, order page and the
confirmation email show one order's figures under the same names (Subtotal, Shipping, each
tax by name and rate, Total), the taxes add up to the tax charged, Canadians are told the
prices are US dollars, and no shopper page speaks of "incl. tax" or "excl. tax"."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.test.factories import create_product

from shop import totals
from shop.payments import services
from shop.payments.services import CheckoutDetails
from shop.tax.seed import seed_rates
from tests.money import money_rows
from tests.shop.test_tax import address

D = Decimal
VISA = "4242424242424242"
UK_WORDS = re.compile(r"incl\.? tax|excl\.? tax|inc tax|excl tax|\bVAT\b|e-mail|dispatch", re.I)

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods(db):
    seed_rates()
    device = create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=5)
    pads = create_product(title="Electrode pads", price=D("24.99"), num_in_stock=5)
    return device, pads


@pytest.fixture
def place(localstripe, make_basket, goods, django_capture_on_commit_callbacks):
    """place(region) -> the order for the device and two pads shipped there by Express."""

    def go(region):
        device, pads = goods
        basket = make_basket((device, 1), (pads, 2))
        details = CheckoutDetails(
            basket.id, None, f"{region.lower()}@example.com", address(region), "express"
        )
        with django_capture_on_commit_callbacks(execute=True):
            outcome = services.start_payment(
                details=details, payment_method=localstripe.payment_method(VISA)
            )
        return outcome.order

    return go


def _amount(text):
    return D(re.sub(r"[^0-9.]", "", text))


def _taxes(rows):
    return {label: amount for label, amount in rows.items() if "%" in label}


def _guest_order_page(client, order):
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _thank_you_page(client, order):
    session = client.session
    session["checkout_order_id"] = order.id
    session.save()
    return client.get(reverse("checkout:thank-you")).content.decode()


@pytest.mark.parametrize("region", ["NY", "QC"])
def test_every_page_and_the_email_total_an_order_in_the_same_words(client, place, region):
    order = place(region)
    thank_you = money_rows(_thank_you_page(client, order))
    order_page = money_rows(_guest_order_page(client, order))
    assert thank_you == order_page
    assert list(thank_you)[0] == "Subtotal"
    assert list(thank_you)[-1] == "Total"
    [email] = mail.outbox
    for label, amount in thank_you.items():
        assert f"{label}: {amount}" in email.body
    # Rows add up: subtotal + shipping + each tax = total, and the taxes are the tax charged.
    taxes = sum((_amount(a) for a in _taxes(thank_you).values()), D("0"))
    assert taxes == order.total_tax
    shipping = next(a for label, a in thank_you.items() if label.startswith("Shipping"))
    assert _amount(thank_you["Subtotal"]) + _amount(shipping) + taxes == order.total_incl_tax
    assert _amount(thank_you["Total"]) == order.total_incl_tax


def test_quebec_pays_gst_and_qst_each_by_name_and_is_told_it_is_us_dollars(client, place):
    order = place("QC")
    page = _thank_you_page(client, order)
    taxes = _taxes(money_rows(page))
    assert list(taxes) == ["GST 5%", "QST 9.975%"]
    assert "All prices are in US dollars (USD)" in page
    assert money_rows(page)["Total"].endswith("USD")
    assert "All prices are in US dollars (USD)" in mail.outbox[0].body


def test_new_york_orders_say_nothing_of_us_dollars(client, place):
    page = _thank_you_page(client, place("NY"))
    assert "US dollars" not in page and "USD" not in money_rows(page)["Total"]


def test_taxes_stay_named_on_the_order_after_the_rate_changes(client, place):
    from shop.tax.models import TaxRate

    order = place("QC")
    TaxRate.objects.filter(region="QC", name="QST").update(rate=D("12"))
    assert "QST 9.975%" in money_rows(_guest_order_page(client, order))


@pytest.mark.parametrize("region", ["NY", "QC"])
def test_no_shopper_page_speaks_of_tax_inclusive_prices(client, place, goods, region):
    order = place(region)
    device, _ = goods
    pages = [
        client.get(device.get_absolute_url()).content.decode(),
        _thank_you_page(client, order),
        _guest_order_page(client, order),
        mail.outbox[0].body,
    ]
    client.post(f"/shop/basket/add/{device.pk}/", {"quantity": 1})
    pages.append(client.get("/shop/basket/").content.decode())
    for html in pages:
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S)
        assert not UK_WORDS.search(text), UK_WORDS.search(text).group(0)


def test_product_page_says_tax_is_calculated_at_checkout(client, goods):
    device, _ = goods
    page = client.get(device.get_absolute_url()).content.decode()
    assert "Tax calculated at checkout" in page
    assert "Tax $0.00" not in re.sub(r"<[^>]+>", " ", page)


def test_cart_without_a_destination_adds_tax_at_checkout(client, goods):
    device, _ = goods
    client.post(f"/shop/basket/add/{device.pk}/", {"quantity": 1})
    rows = money_rows(client.get("/shop/basket/").content.decode())
    assert rows["Subtotal"] == "$149.95"
    assert rows["Sales tax"] == "Calculated at checkout"
    assert rows["Total"].endswith("+ tax")


def test_cart_estimate_for_montreal_names_both_taxes_and_the_currency(client, goods):
    device, _ = goods
    client.post(f"/shop/basket/add/{device.pk}/", {"quantity": 1})
    client.post("/shop/basket/tax-destination/", {"region": "CA-QC", "postcode": "H2Y 1C6"})
    page = client.get("/shop/basket/").content.decode()
    rows = money_rows(page)
    # 149.95 × 5 % = 7.50; × 9.975 % = 14.96; free standard shipping over $75
    assert _taxes(rows) == {"GST 5%": "$7.50", "QST 9.975%": "$14.96"}
    assert rows["Total"] == "$172.41 USD"
    assert "All prices are in US dollars (USD)" in page


def test_mini_cart_shows_the_subtotal_on_every_page(client, goods):
    device, pads = goods
    client.post(f"/shop/basket/add/{device.pk}/", {"quantity": 1})
    client.post(f"/shop/basket/add/{pads.pk}/", {"quantity": 1})
    client.post("/shop/basket/tax-destination/", {"region": "US-NY", "postcode": "10118"})
    for url in ("/shop/basket/", device.get_absolute_url(), "/clinics/"):
        html = client.get(url).content.decode()
        assert re.search(r'class="mini-cart-total">\$174\.94<', html), url
    assert money_rows(client.get("/shop/basket/").content.decode())["Subtotal"] == "$174.94"


def test_summary_of_an_order_placed_before_taxes_were_stored_shows_one_tax_row(place):
    order = place("NY")
    order.taxes.all().delete()
    summary = totals.for_order(order)
    assert [(row.label, row.amount) for row in summary.taxes] == [("Tax", order.total_tax)]
