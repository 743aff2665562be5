"""The payment services' public face: what checkout views, tests and other apps call.

The rules live in one module per concern:

- ``submission``: the checkout details kept on the payment, pricing the basket, its fingerprint;
- ``stock``: stock checks, with the stock rows locked;
- ``customers``: signed-in shoppers' Stripe customers, checking the card to charge, saved cards;
- ``cards``: a card as the store sees it (brand, last four, expiry, wallet);
- ``intents``: ``start_payment`` and ``complete_payment`` (charge, 3-D Secure, place once);
- ``placement``: writing the order the Oscar way;
- ``refunds``: the one refund function;
- ``webhooks``: crash-safe handling of Stripe's events;
- ``reconciliation``: comparing Stripe with the orders (``manage.py reconcile_payments``);
- ``money``: dollars to cents and back; ``stripe_gateway``: the only importer of ``stripe``.
"""

from .exceptions import OutOfStock, PaymentRefused, PaymentUnavailable
from .intents import PaymentOutcome, complete_payment, start_payment
from .money import from_minor_units, to_minor_units
from .placement import OrderPlacer
from .refunds import refund_payment
from .stock import stock_problems
from .submission import (
    CheckoutDetails,
    Submission,
    address_fields,
    basket_version,
    build_submission,
)
from .webhooks import HANDLED_EVENT_TYPES, handle_webhook

__all__ = [
    "HANDLED_EVENT_TYPES",
    "CheckoutDetails",
    "OrderPlacer",
    "OutOfStock",
    "PaymentOutcome",
    "PaymentRefused",
    "PaymentUnavailable",
    "Submission",
    "address_fields",
    "basket_version",
    "build_submission",
    "complete_payment",
    "from_minor_units",
    "handle_webhook",
    "refund_payment",
    "start_payment",
    "stock_problems",
    "to_minor_units",
]
