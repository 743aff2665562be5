"""The one order page: in the account, through the signed link (email, thank-you page) and
after the order number + email look-up; the confirmation email's links; guest orders added
to an account once its email is proven."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from pagecache import rules
from shop.payments.placement import OrderPlacer
from support import fulfilment, services
from support.models import AuditEntry
from tests.support.conftest import PASSWORD, make_order, make_user

Order = get_model("order", "Order")
user_registered = get_class("customer.signals", "user_registered")
pytestmark = pytest.mark.django_db

ORDER_PAGE = "support/order_page.html"
UPS = "1Z999AA10123456784"


def _templates(response):
    return [t.name for t in response.templates]


def _signed_url(order):
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def _return_button(body):
    return 'data-testid="return-button"' in body


# --- One page, three ways in ---------------------------------------------------------------


def test_account_order_page_is_the_one_page_with_items_totals_address_and_way_back(
    client, customer
):
    order = make_order(user=customer)
    client.force_login(customer)
    response = client.get(reverse("customer:order", args=[order.number]))
    assert response.status_code == 200
    assert ORDER_PAGE in _templates(response)
    assert "tax/includes/order_totals.html" in _templates(response)
    body = response.content.decode()
    assert "Order received: we&#x27;re getting it ready" in body
    assert "Device 1" in body and "Quantity: 1" in body and 'data-testid="line-price"' in body
    assert "12 Main Street" in body
    assert reverse("customer:order-list") in body and "Back to your orders" in body
    assert f'href="{reverse("support:return-lookup")}"' in body
    assert "no-store" in response["Cache-Control"]


def test_guest_opens_the_signed_link_without_any_form(client):
    order = make_order(email="guest.buyer@example.com")
    response = client.get(_signed_url(order))
    assert response.status_code == 200
    assert ORDER_PAGE in _templates(response)
    page = response.content.decode().split('data-testid="order-page"')[1].split("</article>")[0]
    assert "<form" not in page
    assert "no-store" in response["Cache-Control"]
    # Oscar's email form in front of it now just leads on.
    form_url = reverse(
        "customer:anon-order-form",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    assert client.get(form_url).url == _signed_url(order)


def test_a_wrong_signature_finds_nothing(client):
    order = make_order()
    other = make_order()
    forged = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": other.verification_hash()},
    )
    assert client.get(forged).status_code == 404


@pytest.mark.parametrize("lookup", ["support:order-status-lookup", "support:return-lookup"])
def test_both_look_ups_lead_to_the_one_page(client, lookup):
    order = make_order(email="guest.buyer@example.com")
    found = client.post(
        reverse(lookup), {"order_number": order.number, "email": "GUEST.Buyer@example.com"}
    )
    assert found.url == reverse("support:order-status", args=[order.number])
    response = client.get(found.url)
    assert ORDER_PAGE in _templates(response)
    assert "Look up another order" in response.content.decode()


def test_every_way_in_is_never_cached():
    for url in (
        reverse("customer:order", args=["100001"]),
        reverse("customer:anon-order", kwargs={"order_number": "100001", "hash": "100001:x"}),
        reverse("support:order-status", args=["100001"]),
        reverse("support:claim-orders", args=["token"]),
    ):
        match = resolve(url)
        assert match.namespace == "support"
        assert rules.never_shared(RequestFactory().get(url), match)


def test_someone_elses_account_order_is_not_shown(client, customer):
    order = make_order(user=make_user("customer", "bob"))
    client.force_login(customer)
    assert client.get(reverse("customer:order", args=[order.number])).status_code == 404


# --- What it shows: status, tracking, guarantee, return button -----------------------------


def test_no_return_before_shipment_then_tracking_guarantee_and_return_after(client, customer):
    order = make_order(user=customer)
    client.force_login(customer)
    url = reverse("customer:order", args=[order.number])
    before = client.get(url).content.decode()
    assert not _return_button(before)
    assert "hasn't shipped yet" in before
    fulfilment.record_dispatch(
        order=order, by=make_user("support", "agent"), carrier="ups", tracking_number=UPS
    )
    after = client.get(url).content.decode()
    assert _return_button(after)
    assert reverse("support:account-return", args=[order.number]) in after
    assert f"tracknum={UPS}" in after and "Shipped on" in after
    ends = timezone.localdate() + datetime.timedelta(days=90)
    assert f"{ends:%b} {ends.day}, {ends.year}" in after  # one date format: Mar 5, 2027
    assert "dispatch" not in after.lower()


def test_no_return_button_once_the_guarantee_has_ended(client):
    long_ago = timezone.localdate() - datetime.timedelta(days=120)
    order = make_order(delivered_on=long_ago)
    body = client.get(_signed_url(order)).content.decode()
    assert not _return_button(body)
    assert "The guarantee for this order ended on" in body


def test_guest_with_the_signed_link_can_return_from_the_page(client):
    order = make_order(delivered_on=timezone.localdate())
    body = client.get(_signed_url(order)).content.decode()
    return_url = reverse("support:guest-return", args=[order.number])
    assert f'href="{return_url}"' in body
    assert client.get(return_url).status_code == 200


def test_return_form_before_shipment_has_a_contact_link(client, customer):
    order = make_order(user=customer)
    client.force_login(customer)
    body = client.get(reverse("support:account-return", args=[order.number])).content.decode()
    assert '<a href="/contact/">Contact us</a>' in body


def test_thank_you_page_links_straight_to_the_signed_order_page(client):
    order = make_order()
    session = client.session
    session["checkout_order_id"] = order.id
    session.save()
    body = client.get(reverse("checkout:thank-you")).content.decode()
    assert f'href="{_signed_url(order)}"' in body
    assert "View your order" in body


# --- The confirmation email ----------------------------------------------------------------


@pytest.mark.parametrize("user", [False, True])
def test_every_link_in_the_confirmation_email_uses_the_site_url(settings, customer, user):
    settings.SITE_URL = "https://shop.reliefworks.example"
    order = make_order(user=customer if user else None)
    mail.outbox.clear()
    OrderPlacer().send_order_placed_email(order)
    message = mail.outbox[-1]
    html = dict((mimetype, content) for content, mimetype in message.alternatives)["text/html"]
    text_links = re.findall(r"https?://\S+", message.body)
    html_links = re.findall(r'href="([^"]+)"', html)
    assert text_links and html_links
    for link in text_links + html_links:
        assert link.startswith("https://shop.reliefworks.example/"), link
    expected = reverse("customer:order", args=[order.number]) if user else _signed_url(order)
    assert f"https://shop.reliefworks.example{expected}" in text_links


# --- Guest orders into an account ----------------------------------------------------------


def _register(client, email):
    client.post(
        reverse("customer:register"),
        {"email": email, "password1": PASSWORD + "x", "password2": PASSWORD + "x"},
    )
    return get_user_model().objects.get(email=email)


def _claim_link():
    links = [m for m in mail.outbox if m.to and "earlier orders" in m.subject]
    assert links, [m.subject for m in mail.outbox]
    return re.search(r"https?://\S+", links[-1].body).group(0)


def test_guest_registers_follows_the_link_and_sees_the_order(client, settings):
    settings.SITE_URL = "https://shop.reliefworks.example"
    order = make_order(email="Pat.Guest@example.com")
    mail.outbox.clear()
    user = _register(client, "pat.guest@example.com")
    link = _claim_link()
    assert link.startswith("https://shop.reliefworks.example/")
    assert not Order.objects.filter(user=user).exists()  # registering alone proves nothing
    client.force_login(user)
    listing = client.get(reverse("customer:order-list")).content.decode()
    assert order.number not in listing
    response = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert order.number in response.content.decode()
    assert list(Order.objects.filter(user=user)) == [order]
    assert AuditEntry.objects.filter(order=order, action="guest_order_claimed").count() == 1
    # Following it again changes nothing.
    client.get(link.removeprefix(settings.SITE_URL))
    assert AuditEntry.objects.filter(order=order, action="guest_order_claimed").count() == 1
    assert client.get(reverse("customer:order", args=[order.number])).status_code == 200


def test_someone_else_registering_with_the_email_sees_nothing(client):
    order = make_order(email="pat.guest@example.com")
    stranger = _register(client, "pat.guest@example.com")
    client.force_login(stranger)
    assert order.number not in client.get(reverse("customer:order-list")).content.decode()
    assert client.get(reverse("customer:order", args=[order.number])).status_code == 404
    forged = client.get(reverse("support:claim-orders", args=["forged:token"]))
    assert forged.status_code == 302
    assert not Order.objects.filter(user=stranger).exists()


def test_a_link_sent_for_one_account_does_nothing_for_another(client, customer):
    make_order(email=customer.email)
    token_url = services.claim_link(customer).split("/shop/", 1)[1]
    other = make_user("customer", "bob")
    client.force_login(other)
    client.get("/shop/" + token_url)
    assert not Order.objects.filter(user__isnull=False).exists()


def test_a_link_stops_working_when_the_account_email_changes(client, customer):
    order = make_order(email=customer.email)
    path = "/shop/" + services.claim_link(customer).split("/shop/", 1)[1]
    customer.email = "new.address@example.com"
    customer.save()
    client.force_login(customer)
    client.get(path)
    order.refresh_from_db()
    assert order.user_id is None


def test_an_account_asks_for_the_link_from_its_order_list(client, customer):
    make_order(email=customer.email.upper())
    client.force_login(customer)
    assert (
        'data-testid="claim-orders"' in client.get(reverse("customer:order-list")).content.decode()
    )
    mail.outbox.clear()
    client.post(reverse("support:claim-orders-send"))
    assert mail.outbox[-1].to == [customer.email]
    assert "1 order placed without an account" in mail.outbox[-1].body
    assert client.login(username=customer.username, password=PASSWORD)


def test_no_link_is_sent_when_there_are_no_guest_orders(customer):
    mail.outbox.clear()
    user_registered.send(sender=None, request=None, user=customer)
    assert not mail.outbox
