"""The one module that talks to Stripe (or to localstripe, which speaks the same API).

Everything else in the store calls these functions and sees plain values and this module's
own exceptions, never ``stripe`` objects, so provider code does not leak into order code.

The flow is Stripe's "finalize payments on the server": the browser turns the Payment
Element (or a wallet) into a PaymentMethod; the server checks it, prices the basket and
creates the PaymentIntent with ``confirm=true`` (see shop/payments/intents.py). No Tokens
or Sources: PaymentMethods only. Every creating call carries an
idempotency key so a retried request cannot charge twice, and every request is bounded:
``STRIPE_TIMEOUT_SECONDS`` per attempt, ``STRIPE_MAX_NETWORK_RETRIES`` retries.
"""

import logging
from dataclasses import dataclass, field

import stripe
from django.conf import settings

from .cards import Card

logger = logging.getLogger(__name__)


class GatewayError(Exception):
    """Stripe could not be reached or refused the request; no money moved."""


class CardDeclined(GatewayError):
    """The card was declined; the message is Stripe's own, meant for the shopper."""


class NotFound(GatewayError):
    """Stripe has no such object (for example a PaymentIntent id that was made up)."""


class GatewayUnreachable(GatewayError):
    """Stripe did not answer in time (or at all): whether the request took effect is unknown,
    so the caller must leave a record that a later look (webhook, reconciliation) can settle.
    """


class InvalidWebhook(Exception):
    """The webhook body is not signed with our secret, or is not a JSON event."""


@dataclass(frozen=True)
class Intent:
    """What the store needs to know about a PaymentIntent."""

    id: str
    status: str
    amount: int
    currency: str
    client_secret: str = ""
    metadata: dict = field(default_factory=dict)
    error_message: str = ""
    created: int = 0

    @property
    def succeeded(self):
        return self.status == "succeeded"

    @property
    def requires_action(self):
        return self.status == "requires_action"


@dataclass(frozen=True)
class RefundInfo:
    id: str
    amount: int
    status: str


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    object_id: str
    # The event's object as plain data, for handlers that need more than its id.
    data: dict = field(default_factory=dict, compare=False)


def is_configured():
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def _configure():
    # Read settings on every call: tests and `make run` point them at localstripe.
    stripe.api_key = settings.STRIPE_SECRET_KEY
    stripe.api_base = settings.STRIPE_API_BASE or "https://api.stripe.com"
    # Safe because every creating call below sends an idempotency key; kept low because one
    # call (creating the PaymentIntent) is made with stock rows locked.
    stripe.max_network_retries = settings.STRIPE_MAX_NETWORK_RETRIES
    timeout = settings.STRIPE_TIMEOUT_SECONDS
    client = stripe.default_http_client
    if not isinstance(client, stripe.RequestsClient) or client._timeout != timeout:
        stripe.default_http_client = stripe.RequestsClient(timeout=timeout)


# Stripe's messages for these are written for developers ("The provided PaymentMethod has
# failed authentication."); shoppers get one that says what happened and what to do.
SHOPPER_MESSAGES = {
    "payment_intent_authentication_failure": (
        "Your bank's security check (card authentication) was not completed, so you have not "
        "been charged. Please try again and approve the payment in your bank's window or app, "
        "or pay with another card."
    ),
}


def _shopper_message(error):
    if not isinstance(error, dict):
        return ""
    return SHOPPER_MESSAGES.get(error.get("code"), error.get("message", ""))


def _intent(pi):
    error = pi.get("last_payment_error") or {}
    return Intent(
        id=pi["id"],
        status=pi["status"],
        amount=int(pi["amount"]),
        currency=pi["currency"],
        client_secret=pi.get("client_secret") or "",
        metadata=dict(pi.get("metadata") or {}),
        error_message=_shopper_message(error),
        created=int(pi.get("created") or 0),
    )


def _call(func, *args, **kwargs):
    return _request(lambda: func(*args, **kwargs).to_dict())  # plain dicts from here on


def _list(func, **kwargs):
    # Every page is fetched inside _request, so a failure on a later page is ours too.
    return _request(lambda: [item.to_dict() for item in func(**kwargs).auto_paging_iter()])


def _request(fetch):
    if not is_configured():
        raise GatewayError("Card payments are not configured.")
    _configure()
    try:
        return fetch()
    except stripe.APIConnectionError as exc:
        logger.warning("Stripe did not answer: %s", exc)
        raise GatewayUnreachable("The card payment service did not answer in time.") from exc
    except stripe.CardError as exc:
        raise CardDeclined(exc.user_message or "Your card was declined.") from exc
    except stripe.InvalidRequestError as exc:
        if exc.http_status == 404:
            raise NotFound(str(exc.user_message or "Not found.")) from exc
        logger.warning("Stripe refused a request: %s", exc)
        raise GatewayError(exc.user_message or "The payment could not be processed.") from exc
    except stripe.StripeError as exc:
        logger.warning("Stripe request failed: %s", exc)
        raise GatewayError(exc.user_message or "The payment service is unavailable.") from exc


def create_customer(*, email, idempotency_key):
    customer = _call(stripe.Customer.create, email=email or None, idempotency_key=idempotency_key)
    return customer["id"]


def customer_exists(customer_id):
    try:
        customer = _call(stripe.Customer.retrieve, customer_id)
    except NotFound:
        return False
    return not customer.get("deleted")


def _card(pm):
    card = pm.get("card") or {}
    customer = pm.get("customer") or ""
    return Card(
        id=pm["id"],
        brand=card.get("brand") or "",
        last4=card.get("last4") or "",
        exp_month=int(card.get("exp_month") or 0),
        exp_year=int(card.get("exp_year") or 0),
        customer=customer if isinstance(customer, str) else customer.get("id", ""),
        wallet=(card.get("wallet") or {}).get("type") or "",
    )


def retrieve_card(payment_method_id):
    """The card PaymentMethod the browser made (or a saved one); NotFound if unknown."""
    pm = _call(stripe.PaymentMethod.retrieve, payment_method_id)
    if pm.get("type") != "card":
        raise GatewayError("Please pay by card.")
    return _card(pm)


def list_cards(customer_id):
    """The cards saved on a customer, as Stripe has them (the store keeps no copy)."""
    return [
        _card(pm)
        for pm in _list(stripe.PaymentMethod.list, customer=customer_id, type="card", limit=100)
    ]


def detach_card(payment_method_id):
    """Remove a saved card from its customer: it can never be charged again."""
    _call(stripe.PaymentMethod.detach, payment_method_id)


def create_payment_intent(
    *,
    amount,
    currency,
    customer_id,
    payment_method_id,
    metadata,
    idempotency_key,
    return_url,
    save_card=False,
):
    """Create and confirm at once; the result is succeeded, requires_action or an error.

    ``customer_id`` is None for guests (no Stripe customer is made for them). With
    ``save_card`` Stripe attaches the card to the customer once the payment succeeds, for
    the customer's next orders and for later charges made without them (off-session).
    """
    kwargs = {"setup_future_usage": "off_session"} if save_card and customer_id else {}
    if customer_id:
        kwargs["customer"] = customer_id
    pi = _call(
        stripe.PaymentIntent.create,
        amount=amount,
        currency=currency.lower(),
        payment_method=payment_method_id,
        # Cards and the wallets' cards; a method that redirects comes back to return_url.
        automatic_payment_methods={"enabled": True},
        return_url=return_url,
        metadata=metadata,
        confirm=True,
        idempotency_key=idempotency_key,
        **kwargs,
    )
    return _intent(pi)


def retrieve_payment_intent(payment_intent_id):
    return _intent(_call(stripe.PaymentIntent.retrieve, payment_intent_id))


def cancel_payment_intent(payment_intent_id):
    return _intent(_call(stripe.PaymentIntent.cancel, payment_intent_id))


def list_payment_intents(*, created_since):
    """Every PaymentIntent created at or after ``created_since`` (a Unix time), newest first."""
    return [
        _intent(pi)
        for pi in _list(stripe.PaymentIntent.list, created={"gte": created_since}, limit=100)
    ]


def list_refunds(*, payment_intent_id):
    """The refunds of one PaymentIntent (made by the store or in Stripe's dashboard)."""
    return [
        RefundInfo(id=r["id"], amount=int(r["amount"]), status=r.get("status") or "")
        for r in _list(stripe.Refund.list, payment_intent=payment_intent_id, limit=100)
    ]


def parse_webhook(*, payload, signature):
    """Verify the signature with the endpoint's secret, then read the event."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise InvalidWebhook("No webhook secret is configured.")
    try:
        event = stripe.Webhook.construct_event(
            payload, signature or "", settings.STRIPE_WEBHOOK_SECRET
        )
    except stripe.SignatureVerificationError as exc:
        raise InvalidWebhook("Bad signature.") from exc
    except (ValueError, TypeError, AttributeError, KeyError) as exc:  # not a JSON object
        raise InvalidWebhook("Malformed payload.") from exc
    try:
        event = event.to_dict()
        data_object = event["data"]["object"]
        return WebhookEvent(
            id=event["id"], type=event["type"], object_id=data_object["id"], data=data_object
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise InvalidWebhook("Not a Stripe event.") from exc


def create_refund(*, payment_intent_id, amount_minor, idempotency_key, metadata):
    """Refund ``amount_minor`` cents of a captured PaymentIntent (None: all of it).

    Only shop/payments/refunds.py calls this. Returns the Stripe refund id. The idempotency
    key makes a retried or double-submitted refund a single refund at Stripe.
    """
    kwargs = {} if amount_minor is None else {"amount": amount_minor}
    refund = _call(
        stripe.Refund.create,
        payment_intent=payment_intent_id,
        metadata=metadata,
        idempotency_key=idempotency_key,
        **kwargs,
    )
    return refund["id"]


@dataclass(frozen=True)
class TaxPart:
    """One tax of one line (or of the shipping) in a Stripe Tax calculation."""

    jurisdiction: str  # "New York", "NEW YORK CITY", "Canada", "Quebec"
    level: str  # country, state, county, city, district
    tax_type: str  # sales_tax, gst, hst, pst, qst, rst, ...
    percentage: str  # "4.0", "9.975"
    amount: int  # cents


@dataclass(frozen=True)
class TaxCalculation:
    """What the store needs of a Stripe Tax calculation: cents of tax per line reference and
    on shipping, and each tax's part of them."""

    id: str
    line_tax: dict  # reference -> cents
    shipping_tax: int
    parts: list  # [TaxPart], of every line and of the shipping


def _tax_parts(breakdown):
    return [
        TaxPart(
            jurisdiction=(part.get("jurisdiction") or {}).get("display_name") or "",
            level=(part.get("jurisdiction") or {}).get("level") or "",
            tax_type=(part.get("tax_rate_details") or {}).get("tax_type") or "",
            percentage=str((part.get("tax_rate_details") or {}).get("percentage_decimal") or "0"),
            amount=int(part.get("amount") or 0),
        )
        for part in breakdown or ()
    ]


def calculate_tax(*, currency, line_items, address, shipping_amount):
    """Stripe Tax's calculation for a basket shipped to ``address`` (a dict of Stripe's
    address fields). ``line_items``: dicts of ``amount`` (cents, the whole line),
    ``reference``, ``quantity`` and ``tax_code``; every amount is before tax."""
    calculation = _call(
        stripe.tax.Calculation.create,
        currency=currency.lower(),
        line_items=[{**item, "tax_behavior": "exclusive"} for item in line_items],
        customer_details={"address": address, "address_source": "shipping"},
        shipping_cost={"amount": shipping_amount, "tax_behavior": "exclusive"},
        # Per-line figures and each tax's jurisdiction are only sent when asked for.
        expand=["line_items", "line_items.data.tax_breakdown", "shipping_cost.tax_breakdown"],
    )
    listed = calculation.get("line_items") or {}
    lines = listed.get("data") or []
    if listed.get("has_more"):  # a basket of more lines than Stripe sends at once
        lines = _list(
            stripe.tax.Calculation.list_line_items,
            calculation=calculation["id"],
            limit=100,
            expand=["data.tax_breakdown"],
        )
    shipping = calculation.get("shipping_cost") or {}
    parts = [part for line in lines for part in _tax_parts(line.get("tax_breakdown"))]
    return TaxCalculation(
        id=calculation["id"],
        line_tax={line["reference"]: int(line.get("amount_tax") or 0) for line in lines},
        shipping_tax=int(shipping.get("amount_tax") or 0),
        parts=parts + _tax_parts(shipping.get("tax_breakdown")),
    )
