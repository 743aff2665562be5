"""Fixtures for support tests: staff in each role, and paid orders (Oscar's factories) whose
PaymentIntent is real in localstripe when the test refunds it."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test import factories

from shop.payments import stripe_gateway
from staff.groups import SHOP_MANAGERS, SUPPORT, create_staff_groups

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
Selector = get_class("partner.strategy", "Selector")

VISA = "4242424242424242"
PASSWORD = "correct-horse-battery"
ROLES = ["superuser", "support", "shop_manager", "editor", "moderator", "staff", "customer"]


def _next_number():
    # The conftest module may be imported twice (by pytest and by test modules), so the
    # next number comes from the database rather than from a module-level counter.
    Order = get_model("order", "Order")
    number = 100001 + Order.objects.count()
    while Order.objects.filter(number=str(number)).exists():
        number += 1
    return str(number)


def _support_urls_mounted():
    try:
        reverse("support:return-list")
    except NoReverseMatch:
        return False
    return True


@pytest.fixture(autouse=True)
def _support_urls(settings):
    """Serve support.urls even before config/urls.py includes it."""
    if not _support_urls_mounted():
        settings.ROOT_URLCONF = "tests.support.urlconf"


def ensure_groups():
    """All staff groups; safe after a transactional test has flushed the database."""
    create_staff_groups()
    try:
        from staff.editorial_groups import ensure_editorial_groups
    except ImportError:  # the content app without its groups: empty groups, no permissions
        for name in ("Editors", "Moderators"):
            Group.objects.get_or_create(name=name)
    else:
        ensure_editorial_groups()


def make_user(role, username=None):
    from django.contrib.auth import get_user_model

    ensure_groups()
    username = username or role
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@reliefworks.example",
        password=PASSWORD,
        is_staff=role != "customer",
        is_superuser=role == "superuser",
    )
    group = {
        "support": SUPPORT,
        "shop_manager": SHOP_MANAGERS,
        "editor": "Editors",
        "moderator": "Moderators",
    }.get(role)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def agent(db):
    return make_user("support", "agent")


@pytest.fixture
def customer(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username="ada",
        email="ada.shopper@example.com",
        password=PASSWORD,
        first_name="Ada",
        last_name="Shopper",
    )


def make_order(
    *,
    user=None,
    email="guest.buyer@example.com",
    prices=(Decimal("49.00"), Decimal("19.00")),
    payment_intent=None,
    delivered_on=None,
    dispatched_on=None,
    postcode="62701",
    phone="+12175550123",
    name=("Ada", "Shopper"),
):
    """A paid order placed with Oscar's factories, one line per price.

    ``payment_intent`` is the Stripe id recorded as the payment source's reference; the
    Source says the whole total was captured, as the store's checkout records it.
    """
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for index, price in enumerate(prices):
        product = factories.create_product(
            title=f"Device {index + 1}", price=price, num_in_stock=10
        )
        basket.add_product(product)
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="US", defaults={"name": "United States", "printable_name": "United States"}
    )
    address = ShippingAddress.objects.create(
        first_name=name[0],
        last_name=name[1],
        line1="12 Main Street",
        line4="Springfield",
        state="IL",
        postcode=postcode,
        country=country,
        phone_number=phone,
    )
    order = factories.create_order(
        number=_next_number(),
        basket=basket,
        user=user,
        shipping_address=address,
        guest_email="" if user else email,
    )
    stripe_type, _ = SourceType.objects.get_or_create(name="Stripe")
    total = order.total_incl_tax
    Source.objects.create(
        order=order,
        source_type=stripe_type,
        currency=order.currency,
        amount_allocated=total,
        amount_debited=total,
        reference=payment_intent or f"pi_fake_{order.number}",
    )
    paid, _ = PaymentEventType.objects.get_or_create(name="Paid")
    order.payment_events.create(
        event_type=paid, amount=total, reference=payment_intent or f"pi_fake_{order.number}"
    )
    for code, on in (("Dispatched", dispatched_on), ("Delivered", delivered_on)):
        if on is not None:
            event_type, _ = ShippingEventType.objects.get_or_create(name=code)
            event = ShippingEvent.objects.create(order=order, event_type=event_type)
            when = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
            ShippingEvent.objects.filter(pk=event.pk).update(date_created=when)
    return order


@pytest.fixture
def paid_with_stripe(localstripe):
    """make_order, with a PaymentIntent captured in localstripe for the order's total."""
    return paid_order_factory(localstripe)


def paid_order_factory(localstripe):
    def build(**kwargs):
        order = make_order(**kwargs)
        pi = _localstripe_intent(localstripe, order.total_incl_tax)
        order.sources.update(reference=pi)
        order.payment_events.update(reference=pi)
        return order

    return build


def _localstripe_intent(localstripe, amount):
    card = localstripe.payment_method(VISA)
    intent = stripe_gateway.create_payment_intent(
        amount=int(amount * 100),
        currency="usd",
        customer_id=None,
        payment_method_id=card,
        metadata={},
        idempotency_key=f"pi-{card}",
        return_url="http://testserver/shop/checkout/stripe/return/",
    )
    assert intent.succeeded, intent
    return intent.id


def stripe_refunds(payment_intent_id):
    """The refunds localstripe holds for a PaymentIntent, read with the stripe library."""
    import stripe
    from django.conf import settings

    stripe.api_key = settings.STRIPE_SECRET_KEY
    stripe.api_base = settings.STRIPE_API_BASE
    return list(stripe.Refund.list(payment_intent=payment_intent_id)["data"])
