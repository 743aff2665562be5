"""Support in the browser: an agent refunds a line; a customer's return goes all the way
to a refund. Money goes to localstripe, emails to the locmem outbox."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from support.models import ReturnRequest
from tests.e2e.helpers import sign_in_at_dashboard, sign_in_at_shop
from tests.support.conftest import PASSWORD, make_user, paid_order_factory, stripe_refunds


@pytest.fixture(autouse=True)
def _support_urls(settings):
    try:
        reverse("support:return-list")
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.support.urlconf"


@pytest.fixture
def paid_with_stripe(localstripe):
    return paid_order_factory(localstripe)


def sign_in_as(page, base, username):
    sign_in_at_dashboard(page, base, username, PASSWORD)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agent_finds_order_by_email_and_refunds_one_line(page, live_server, paid_with_stripe):
    base = live_server.url
    customer = make_user("customer", "maria")
    order = paid_with_stripe(user=customer)
    make_user("support", "agent")

    sign_in_as(page, base, "agent")
    page.goto(f"{base}/dashboard/orders/")
    page.fill("#lookup_email", "maria@reliefworks")
    page.click("#support_lookup_form [type=submit]")
    page.get_by_role("link", name=order.number, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/dashboard/orders/{order.number}/$"))
    page.get_by_role("link", name="Refund…").click()
    page.get_by_label("Device 2").check()
    page.fill("#id_reason", "Arrived scratched")
    page.get_by_role("button", name="Refund to card").click()

    expect(page).to_have_url(re.compile(rf"/dashboard/orders/{order.number}/$"))
    expect(page.locator(".alert").filter(has_text="Refunded 19.00 USD")).to_be_visible()
    expect(page.get_by_test_id("refunded-total")).to_contain_text("19.00")
    page.get_by_role("tab", name="Refunds & returns").click()
    [refund] = stripe_refunds(order.sources.get().reference)
    assert refund["amount"] == 1900
    expect(page.get_by_test_id("refunds")).to_contain_text(refund["id"])
    page.get_by_role("tab", name="Timeline").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Refunded 19.00 USD")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_customer_return_is_approved_received_and_refunded_with_emails(
    browser, page, demo_site, paid_with_stripe
):
    base = demo_site  # the storefront's pages need the demo site (header, menus)
    customer = make_user("customer", "ines")
    order = paid_with_stripe(
        user=customer, delivered_on=timezone.localdate() - datetime.timedelta(days=10)
    )
    make_user("support", "agent")

    # The customer asks for a return from the account.
    sign_in_at_shop(page, base, customer.email, PASSWORD)
    page.goto(f"{base}/shop/accounts/orders/{order.number}/return/")
    expect(page.get_by_test_id("window-open")).to_be_visible()
    page.get_by_label("Device 1").check()
    page.select_option("#id_reason", "not_helping")
    page.get_by_role("button", name="Request a return").click()
    return_request = ReturnRequest.objects.get(order=order)
    expect(page.get_by_role("heading", name=f"Return {return_request.number}")).to_be_visible()
    assert mail.outbox[-1].to == [customer.email]
    assert return_request.number in mail.outbox[-1].subject

    # The agent works through the queue in another browser session.
    agent_context = browser.new_context()
    agent_page = agent_context.new_page()
    sign_in_as(agent_page, base, "agent")
    agent_page.goto(f"{base}/dashboard/returns/?status=new")
    agent_page.get_by_role("link", name=return_request.number).click()
    for button, status in [
        ("Approve", "Approved"),
        ("Mark received", "Received"),
        ("Refund to card", "Refunded"),
    ]:
        agent_page.get_by_role("button", name=button).click()
        expect(agent_page.get_by_test_id("return-status")).to_have_text(status)
    agent_context.close()

    subjects = [message.subject for message in mail.outbox if message.to == [customer.email]]
    assert subjects == [
        f"Your return {return_request.number} for order {order.number}",
        f"Return {return_request.number} approved: please send the items back",
        f"We have received your return {return_request.number}",
        f"Refund of $49.00 for order {order.number}",
    ]
    [refund] = stripe_refunds(order.sources.get().reference)
    assert refund["amount"] == 4900
    order.refresh_from_db()
    assert order.status == "Partially refunded"
