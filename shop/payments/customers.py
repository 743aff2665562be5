"""Stripe customers and the cards saved on them.

Guests are not made Stripe customers: their card is a PaymentMethod used once. A signed-in
shopper gets one customer, made at their first card payment and used for every later one,
so Stripe's dashboard shows one customer with all their payments and the cards they chose
to save. The saved cards are read from Stripe whenever they are shown; the store keeps no
copy of them. Called before any row is locked.
"""

import logging
import re

from django.utils import timezone

from . import stripe_gateway as gateway
from .exceptions import PaymentRefused
from .models import StripeCustomer

logger = logging.getLogger(__name__)

PAYMENT_METHOD_PATTERN = re.compile(r"^pm_[A-Za-z0-9_]{1,200}$")
UNREADABLE = "Your card details could not be read. Please enter them again."
SAVED_CARD_GONE = (
    "That saved card is no longer available (it may have been removed). "
    "Please choose another card or enter a new one."
)


def customer_id_of(user_id):
    """The signed-in shopper's Stripe customer id, or None if they have none yet."""
    known = StripeCustomer.objects.filter(user_id=user_id).values_list("stripe_id", flat=True)
    return known.first()


def make_customer(user_id, email):
    """The shopper's customer at Stripe, made once: per user, so two first payments at
    once make one customer; made anew if it was deleted in Stripe's dashboard."""
    known = customer_id_of(user_id)
    if known and gateway.customer_exists(known):
        return known
    key = f"user-{user_id}:customer" if known is None else f"user-{user_id}:customer:{known}"
    if known:
        logger.warning("Stripe customer %s is gone; making a new one", known)
    customer_id = gateway.create_customer(email=email, idempotency_key=key)
    StripeCustomer.objects.update_or_create(user_id=user_id, defaults={"stripe_id": customer_id})
    return customer_id


def card_to_charge(*, payment_method_id, user_id, email, saved):
    """(card, customer id or None): the PaymentMethod checked for this shopper.

    A new card (from the Payment Element or a wallet) must belong to nobody yet; a saved
    card must be saved on this shopper's own customer. Anything else (a made-up id, another
    customer's card, a card removed in another tab, an expired card) is refused here, before
    anything is charged.
    """
    if not isinstance(payment_method_id, str) or not PAYMENT_METHOD_PATTERN.match(
        payment_method_id
    ):
        raise PaymentRefused(SAVED_CARD_GONE if saved else UNREADABLE)
    try:
        card = gateway.retrieve_card(payment_method_id)
    except gateway.NotFound:
        raise PaymentRefused(SAVED_CARD_GONE if saved else UNREADABLE) from None
    except gateway.GatewayUnreachable:
        raise
    except gateway.GatewayError as exc:
        raise PaymentRefused(str(exc)) from exc
    if saved:
        own = customer_id_of(user_id) if user_id else None
        if not own or card.customer != own:
            raise PaymentRefused(SAVED_CARD_GONE)
    elif card.customer:
        raise PaymentRefused(UNREADABLE)
    if card.expired(timezone.localdate()):
        raise PaymentRefused(
            f"That card expired at the end of {card.expiry}. Please use another card."
        )
    customer_id = make_customer(user_id, email) if user_id else None
    return card, customer_id


def saved_cards(user):
    """The shopper's saved cards (brand, last four, expiry), newest first; [] for none."""
    customer_id = customer_id_of(user.pk)
    if not customer_id:
        return []
    return gateway.list_cards(customer_id)


def remove_saved_card(user, payment_method_id):
    """Detach one of the shopper's own saved cards; False if it is not theirs (or gone)."""
    if not PAYMENT_METHOD_PATTERN.match(payment_method_id or ""):
        return False
    customer_id = customer_id_of(user.pk)
    try:
        card = gateway.retrieve_card(payment_method_id)
    except gateway.NotFound:
        return False
    if not customer_id or card.customer != customer_id:
        return False
    gateway.detach_card(payment_method_id)
    return True
