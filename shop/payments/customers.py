"""The Stripe customer a card is attached to: a signed-in shopper's own, or one per guest
payment. Called before any row is locked."""

import logging

from . import stripe_gateway as gateway
from .models import StripeCustomer

logger = logging.getLogger(__name__)


def stripe_customer(details, submission, key, *, fresh=False):
    """The Stripe customer to charge: the signed-in shopper's own (made once), or a new one
    for a guest."""
    if not details.user_id:
        return gateway.create_customer(email=details.guest_email, idempotency_key=f"{key}:customer")
    if not fresh:
        known = StripeCustomer.objects.filter(user_id=details.user_id).first()
        if known is not None:
            return known.stripe_id
    # Per user, so two first payments at once make one customer; per attempt after a
    # customer went missing at Stripe.
    customer_key = f"{key}:customer" if fresh else f"user-{details.user_id}:customer"
    customer_id = gateway.create_customer(email=submission.user.email, idempotency_key=customer_key)
    StripeCustomer.objects.update_or_create(
        user_id=details.user_id, defaults={"stripe_id": customer_id}
    )
    return customer_id


def attach_card(details, submission, token, key):
    """(card, customer id): the browser's token saved on the shopper's Stripe customer."""
    customer_id = stripe_customer(details, submission, key)
    try:
        return gateway.attach_card(customer_id=customer_id, token=token), customer_id
    except gateway.NotFound:
        if not details.user_id or gateway.customer_exists(customer_id):
            raise  # the token, not the customer, is unknown
        # The customer was deleted in Stripe's dashboard: start a new one.
        logger.warning("Stripe customer %s is gone; making a new one", customer_id)
        customer_id = stripe_customer(details, submission, key, fresh=True)
        return gateway.attach_card(customer_id=customer_id, token=token), customer_id
