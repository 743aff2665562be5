"""Tax through the whole purchase: the PaymentIntent at localstripe is for the total
including tax, the order and its lines store it the Oscar way (``*_incl_tax``), the shopper
sees it on every page and email, and a refunded line gives back its tax."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from shop.payments import services
from shop.payments.services import CheckoutDetails
from shop.tax.seed import seed_rates
from support import services as support_services
from tests.money import money_rows
from tests.shop.test_tax import address
from tests.support.conftest import make_user, stripe_refunds

D = Decimal
VISA = "4242424242424242"
Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def ny_order(localstripe, make_basket, django_capture_on_commit_callbacks):
    """Pain Therapy System $149.95 + 2 × pads $24.99, Express $19.95, shipped to New York:
    tax 6.00 + 2.00 + 0.80 = 8.80, total 228.68."""
    seed_rates()
    device = create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=5)
    pads = create_product(title="Electrode pads", price=D("24.99"), num_in_stock=5)
    basket = make_basket((device, 1), (pads, 2))
    details = CheckoutDetails(basket.id, None, "ny@example.com", address("NY"), "express")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.start_payment(
            details=details, payment_method=localstripe.payment_method(VISA)
        )
    return outcome


def test_payment_intent_amount_includes_sales_tax(ny_order):
    import stripe

    assert ny_order.payment.amount == 22868
    assert stripe.PaymentIntent.retrieve(ny_order.payment.stripe_id)["amount"] == 22868


def test_order_and_lines_store_tax_the_oscar_way(ny_order):
    order = ny_order.order
    assert (order.total_excl_tax, order.total_incl_tax) == (D("219.88"), D("228.68"))
    assert order.total_tax == D("8.80")
    assert (order.shipping_excl_tax, order.shipping_incl_tax) == (D("19.95"), D("20.75"))
    lines = {line.title: line for line in order.lines.all()}
    device, pads = lines["Pain Therapy System"], lines["Electrode pads"]
    assert (device.line_price_excl_tax, device.line_price_incl_tax) == (D("149.95"), D("155.95"))
    assert (device.unit_price_excl_tax, device.unit_price_incl_tax) == (D("149.95"), D("155.95"))
    assert (pads.line_price_excl_tax, pads.line_price_incl_tax) == (D("49.98"), D("51.98"))
    assert order.sources.get().amount_debited == D("228.68")


def test_confirmation_email_shows_tax_and_total(ny_order):
    [email] = mail.outbox
    assert re.search(r"^Sales tax 4%: \$8\.80$", email.body, re.M)
    assert "Total: $228.68" in email.body
    assert "Shipping (Express shipping (1-2 business days)): $19.95" in email.body


def test_refund_of_one_line_gives_back_its_price_and_its_tax(ny_order):
    order = ny_order.order
    agent = make_user("support", "agent")
    pads = order.lines.get(title="Electrode pads")
    refund = support_services.refund_order(
        order=order, by=agent, idempotency_key="refund-pads", line_ids=[pads.pk]
    )
    assert refund.amount == D("51.98")  # 2 × 24.99 + 2 × 1.00 tax
    [at_stripe] = stripe_refunds(refund.payment_intent_id)
    assert at_stripe["amount"] == 5198
    assert "including 2.00 USD tax" in order.audit_entries.get(action="refund").message


def test_amount_refund_states_the_tax_in_proportion(ny_order):
    order = ny_order.order
    agent = make_user("support", "agent")
    refund = support_services.refund_order(
        order=order, by=agent, idempotency_key="refund-half", amount="114.34"
    )
    assert refund.amount == D("114.34")
    # half the order total gives back half its tax: 8.80 / 2
    assert "including 4.40 USD tax" in order.audit_entries.get(action="refund").message


def test_order_pages_show_tax_and_a_receipt_line_not_oscars_allocation(ny_order, client):
    order = ny_order.order
    session = client.session
    session["checkout_order_id"] = order.id
    session.save()
    page = client.get("/shop/checkout/thank-you/").content.decode()
    assert "Allocation of" not in page
    assert "ending 4242" in page and "$228.68" in page
    assert money_rows(page)["Sales tax 4%"] == "$8.80"
    assert money_rows(page)["Total"] == "$228.68"


def test_account_order_page_shows_items_shipping_tax_and_total(ny_order, client):
    from django.contrib.auth import get_user_model

    order = ny_order.order
    order.user = get_user_model().objects.create_user("ny", "ny@example.com", "pw-long-12345")
    order.save()
    client.force_login(order.user)
    page = client.get(reverse("customer:order", args=[order.number])).content.decode()
    rows = money_rows(page)
    assert rows["Sales tax 4%"] == "$8.80" and rows["Total"] == "$228.68"
    assert rows["Subtotal"] == "$199.93"  # items and shipping before tax
    assert rows["Shipping (Express shipping (1-2 business days))"] == "$19.95"
    assert "ending 4242" in page and "Allocation of" not in page


def test_dashboard_order_page_shows_tax(ny_order, client):
    client.force_login(make_user("support", "agent"))
    page = client.get(f"/dashboard/orders/{ny_order.order.number}/").content.decode()
    assert 'data-testid="order-tax"' in page and "<strong>$8.80</strong>" in page
    assert "$0.80" in page  # tax on shipping
    assert "$155.95" in page  # the device line including its tax


def test_exempt_item_is_shown_as_not_taxed_per_line(
    localstripe, make_basket, django_capture_on_commit_callbacks, client
):
    from shop.tax.services import set_tax_class

    seed_rates()
    device = create_product(title="Pain Therapy System", price=D("149.95"), num_in_stock=5)
    guide = create_product(title="Printed guide", price=D("10.00"), num_in_stock=5)
    set_tax_class(guide, "exempt")
    basket = make_basket((device, 1), (guide, 1))
    details = CheckoutDetails(basket.id, None, "ny@example.com", address("NY"), "standard")
    with django_capture_on_commit_callbacks(execute=True):
        order = services.start_payment(
            details=details, payment_method=localstripe.payment_method(VISA)
        ).order
    assert order.total_tax == D("6.00")
    assert order.lines.get(title="Printed guide").line_price_incl_tax == D("10.00")
    [email] = mail.outbox
    assert "Printed guide x 1: $10.00 (not taxed)" in email.body
    assert "Pain Therapy System x 1: $149.95\n" in email.body
    session = client.session
    session["checkout_order_id"] = order.id
    session.save()
    page = client.get("/shop/checkout/thank-you/").content.decode()
    assert page.count("Not taxed") == 1
