"""The Payment Element flow ("finalize payments on the server") for localstripe: PaymentMethods
created from the browser with the publishable key, and PaymentIntents created and confirmed
on the server with that PaymentMethod, answering as Stripe does.

localstripe only takes the publishable key for tokens and sources, knows no card brand or
wallet, lets any PaymentMethod be charged by anyone any number of times, answers a decline as
an ``invalid_request_error`` without the PaymentIntent, and cannot confirm with a new
PaymentMethod. The checkout's error handling is written against Stripe's rules, so the fake
keeps those rules (who may reuse a card, which card errors come back and in what shape) and
a test of a declined or reused card means what it would mean in production. Its own
Stripe.js (devtools/stripe_js/v3.js) replaces localstripe's, which knows only the Card
Element.
"""

import contextvars
import datetime
import re
from pathlib import Path

from aiohttp import web
from localstripe.resources import (
    Charge,
    Event,
    Invoice,
    PaymentIntent,
    PaymentMethod,
    UserError,
    try_convert_to_bool,
    try_convert_to_int,
)
from localstripe.server import api_extra, get_api_key, get_post_data, unflatten_data
from localstripe.webhooks import schedule_webhook

JS_URL = "/js.stripe.com/v3/"
JS_FILE = Path(__file__).resolve().parent / "stripe_js" / "v3.js"

# Which requests Stripe.js makes with the publishable key (``key=pk_...``) besides the ones
# localstripe already allows; the PaymentIntent ones also need its client secret.
PUBLISHABLE_PATHS = (
    ("POST", re.compile(r"^/v1/payment_methods$")),
    ("GET", re.compile(r"^/v1/payment_intents/(\w+)$")),
    ("POST", re.compile(r"^/v1/payment_intents/(\w+)/confirm$")),
)

# Whether the request being answered came with the publishable key only: Stripe.js may not
# create a card that has already expired, the store's tests may (an "expired saved card").
_publishable = contextvars.ContextVar("fake_stripe_publishable", default=False)

WALLETS = ("google_pay", "apple_pay")
BRANDS = (
    (re.compile(r"^4"), "visa"),
    (re.compile(r"^(5[1-5]|2[2-7])"), "mastercard"),
    (re.compile(r"^3[47]"), "amex"),
    (re.compile(r"^(6011|65)"), "discover"),
)
GENERIC_DECLINE = ("card_declined", "generic_decline", "Your card was declined.")
NO_FUNDS = ("card_declined", "insufficient_funds", "Your card has insufficient funds.")
# Stripe's test cards that localstripe declines, with the error Stripe gives for each.
DECLINES = {
    "4000000000009995": NO_FUNDS,
    "4000008260003178": NO_FUNDS,
    "4000000000009987": ("card_declined", "lost_card", "Your card was declined."),
    "4000000000009979": ("card_declined", "stolen_card", "Your card was declined."),
    "4000000000000069": ("expired_card", "expired_card", "Your card has expired."),
    "4000000000000127": (
        "incorrect_cvc",
        "incorrect_cvc",
        "Your card's security code is incorrect.",
    ),
    "4000000000000119": (
        "processing_error",
        "processing_error",
        "An error occurred while processing your card. Try again in a little bit.",
    ),
    "4242424242424241": ("incorrect_number", "incorrect_number", "Your card number is incorrect."),
}
EXPIRED = ("expired_card", "expired_card", "Your card has expired.")
NEEDS_AUTHENTICATION = (
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)
USED_AGAIN = (
    "The provided PaymentMethod was previously used with a PaymentIntent without Customer "
    "attachment, or was detached from a Customer. It may not be used again. To use a "
    "PaymentMethod multiple times, you must attach it to a Customer first."
)
MISSING_PM = "You cannot confirm this PaymentIntent because it's missing a payment method."
ATTACHED_ELSEWHERE = "The provided PaymentMethod belongs to a different Customer."
ATTACHED_NO_CUSTOMER = (
    "The provided PaymentMethod was previously attached to a Customer; pass that customer."
)


def card_error(status, code, message, **fields):
    """Stripe's ``card_error`` (localstripe's UserError knows only invalid_request_error)."""
    error = UserError(status, message, {"code": code, **fields})
    error.body["error"]["type"] = "card_error"
    return error


def request_error(message, param="payment_method"):
    return UserError(400, message, {"param": param})


def _year(value):
    year = try_convert_to_int(value)
    if isinstance(year, int) and 0 < year < 100:
        year += 2000
    return year


def _past(month, year):
    """Whether the card's last valid month is over (a card is good to the month's end)."""
    month, year = try_convert_to_int(month), _year(year)
    if not isinstance(month, int) or not isinstance(year, int):
        return False
    today = datetime.date.today()
    return (year, month) < (today.year, today.month)


def brand(number):
    return next((name for pattern, name in BRANDS if pattern.match(number)), "unknown")


def is_expired(pm):
    card = getattr(pm, "card", None)
    return isinstance(card, dict) and _past(card.get("exp_month"), card.get("exp_year"))


def _patch_payment_method_creation():
    original = PaymentMethod.__init__

    def __init__(self, card=None, allow_redisplay=None, **kwargs):
        wallet = None
        if isinstance(card, dict):
            card = dict(card)
            wallet = card.pop("wallet", None)
            if wallet is not None and wallet not in WALLETS:
                raise request_error(f"Invalid card[wallet]: {wallet}", "card[wallet]")
            if _publishable.get() and _past(card.get("exp_month"), card.get("exp_year")):
                today = datetime.date.today()
                if _year(card.get("exp_year")) < today.year:
                    part, message = "year", "Your card's expiration year is in the past."
                else:
                    part, message = "month", "Your card's expiration date is in the past."
                raise card_error(402, f"invalid_expiry_{part}", message, param=f"card[exp_{part}]")
        original(self, card=card, **kwargs)
        self.allow_redisplay = allow_redisplay or "unspecified"
        if self.type == "card":
            self.card["brand"] = self.card["display_brand"] = brand(self._card_number)
            self.card["country"] = "US"
            self.card["wallet"] = {"type": wallet} if wallet else None

    PaymentMethod.__init__ = __init__


def _patch_attach_and_detach():
    original_attach = PaymentMethod._api_attach.__func__
    original_detach = PaymentMethod._api_detach.__func__

    def attach(cls, id, customer=None, **kwargs):
        pm = cls._api_retrieve(id)
        if getattr(pm, "_spent", False):
            raise request_error(USED_AGAIN)
        if pm.customer and pm.customer != customer:
            raise request_error(
                "The payment method you provided has already been attached to a customer."
            )
        try:
            return original_attach(cls, id, customer=customer, **kwargs)
        except UserError as error:
            if error.code == 402:
                error.body["error"]["type"] = "card_error"
            raise

    def detach(cls, id, **kwargs):
        pm = cls._api_retrieve(id)
        if not pm.customer:
            raise request_error(
                "The payment method you provided is not attached to a customer so detachment "
                "is impossible."
            )
        pm = original_detach(cls, id, **kwargs)
        pm._spent = True  # Stripe never lets a detached PaymentMethod be used again
        return pm

    PaymentMethod._api_attach = classmethod(attach)
    PaymentMethod._api_detach = classmethod(detach)


def _patch_payment_intent_fields():
    """The fields the Payment Element flow sends, kept on the object as Stripe echoes them."""
    original = PaymentIntent.__init__

    def __init__(
        self,
        setup_future_usage=None,
        return_url=None,
        automatic_payment_methods=None,
        description=None,
        receipt_email=None,
        payment_method_types=None,
        **kwargs,
    ):
        if setup_future_usage not in (None, "", "on_session", "off_session"):
            raise request_error(
                f"Invalid setup_future_usage: {setup_future_usage}", "setup_future_usage"
            )
        if automatic_payment_methods is not None:
            if not isinstance(automatic_payment_methods, dict):
                raise request_error(
                    "Invalid automatic_payment_methods", "automatic_payment_methods"
                )
            enabled = try_convert_to_bool(automatic_payment_methods.get("enabled"))
            automatic_payment_methods = {"enabled": enabled is True}
        original(self, payment_method_types=payment_method_types, **kwargs)
        self.setup_future_usage = setup_future_usage or None
        self.return_url = return_url
        self.automatic_payment_methods = automatic_payment_methods
        self.description = description
        self.receipt_email = receipt_email
        self.payment_method_types = payment_method_types or ["card"]
        self.off_session = None
        self._error = None

    PaymentIntent.__init__ = __init__
    plain_error = PaymentIntent.last_payment_error.fget
    PaymentIntent.last_payment_error = property(
        lambda self: getattr(self, "_error", None) or plain_error(self)
    )


def check_reuse(pm, customer):
    """Stripe's rules on whose PaymentMethod a PaymentIntent may charge, and how often."""
    if getattr(pm, "_spent", False):
        raise request_error(USED_AGAIN)
    owner = getattr(pm, "customer", None)
    if owner and not customer:
        raise request_error(ATTACHED_NO_CUSTOMER)
    if owner and owner != customer:
        raise request_error(ATTACHED_ELSEWHERE)


def fail(pi, pm, charge, reason):
    """The PaymentIntent back to requires_payment_method, the webhook, and the 402 that
    carries the PaymentIntent in ``error.payment_intent`` as Stripe's does."""
    code, decline_code, message = reason
    charge.failure_code, charge.failure_message = code, message
    details = {"decline_code": decline_code, "charge": charge.id, "payment_method": pm._export()}
    pi._error = {"type": "card_error", "code": code, "message": message, **details}
    pi.payment_method = None
    schedule_webhook(Event("payment_intent.payment_failed", pi))
    if pi.invoice:
        Invoice._api_retrieve(pi.invoice)._on_payment_failure_now()
    raise card_error(402, code, message, payment_intent=pi._export(), **details)


def _decline(pi, pm, reason):
    charge = Charge(
        amount=pi.amount,
        currency=pi.currency,
        customer=pi.customer,
        source=pm.id,
        capture=pi.capture_method != "manual",
    )
    charge.payment_intent = pi.id
    charge._set_auth_failure()
    pi.latest_charge = charge
    fail(pi, pm, charge, reason)


def confirm_payment(pi, off_session=None):
    """One confirmation attempt of ``pi`` with its payment_method."""
    pi._error = None
    pi._authentication_failed = False
    pi.next_action = None
    pi.latest_charge = None
    pi.off_session = off_session
    pm = PaymentMethod._api_retrieve(pi.payment_method)
    number = getattr(pm, "_card_number", None)
    if is_expired(pm):
        _decline(pi, pm, EXPIRED)
    if pm._requires_authentication():
        if off_session:
            _decline(pi, pm, NEEDS_AUTHENTICATION)
        pi.next_action = {
            "type": "use_stripe_sdk",
            "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": ""},
        }
        return
    if pm._attaching_is_declined() or pm._charging_is_declined():
        _decline(pi, pm, DECLINES.get(number, GENERIC_DECLINE))
    pi._create_charge(on_failure_now=pi._report_failure)


def _patch_payment_intent_confirmation():
    original_on_success = PaymentIntent._on_success
    original_authenticate = PaymentIntent._api_authenticate.__func__

    def create(cls, confirm=None, off_session=None, **data):
        confirm_now = try_convert_to_bool(confirm)
        off_session = try_convert_to_bool(off_session)
        if confirm_now not in (None, True, False) or off_session not in (None, True, False):
            raise UserError(400, "Bad request")
        if off_session is not None and confirm_now is not True:
            raise request_error("off_session may only be used with confirm=true", "off_session")
        if confirm_now:
            if not data.get("payment_method"):
                raise request_error(MISSING_PM)
            check_reuse(PaymentMethod._api_retrieve(data["payment_method"]), data.get("customer"))
        pi = cls(**data)
        if confirm_now:
            confirm_payment(pi, off_session)
        return pi

    def api_confirm(cls, id, payment_method=None, client_secret=None, off_session=None, **fields):
        unknown = set(fields) - {"return_url", "setup_future_usage", "receipt_email"}
        if unknown:
            raise UserError(400, "Unexpected " + ", ".join(sorted(unknown)))
        pi = cls._api_retrieve(id)
        if pi.status not in ("requires_payment_method", "requires_confirmation", "requires_action"):
            raise UserError(
                400,
                f"You cannot confirm this PaymentIntent because it has a status of {pi.status}.",
                {"code": "payment_intent_unexpected_state"},
            )
        payment_method = payment_method or pi.payment_method
        if not payment_method:
            raise request_error(MISSING_PM)
        check_reuse(PaymentMethod._api_retrieve(payment_method), pi.customer)
        for name, value in fields.items():
            setattr(pi, name, value or None)
        pi.payment_method = payment_method
        confirm_payment(pi, try_convert_to_bool(off_session))
        return pi

    def report_failure(self):
        """A decline found when charging (e.g. after 3-D Secure), answered like the others."""
        charge = self.latest_charge
        pm = PaymentMethod._api_retrieve(charge.payment_method)
        fail(self, pm, charge, DECLINES.get(getattr(pm, "_card_number", None), GENERIC_DECLINE))

    def on_success(self):
        """Save the card for the customer when asked to; a card nobody keeps is spent."""
        pm = PaymentMethod._api_retrieve(self.latest_charge.payment_method)
        if self.customer and self.setup_future_usage and not pm.customer:
            pm.customer = self.customer
        elif not pm.customer and not self.setup_future_usage:
            pm._spent = True
        original_on_success(self)

    def authenticate(cls, id, **kwargs):
        pi = original_authenticate(cls, id, **kwargs)
        if pi._authentication_failed:
            schedule_webhook(Event("payment_intent.payment_failed", pi))
        return pi

    PaymentIntent._api_create = classmethod(create)
    PaymentIntent._api_confirm = classmethod(api_confirm)
    PaymentIntent._api_authenticate = classmethod(authenticate)
    PaymentIntent._report_failure = report_failure
    PaymentIntent._on_success = on_success


async def _request_data(request):
    if request.method == "POST":
        return await get_post_data(request, remove_auth=False) or {}
    return unflatten_data(request.query)


async def _publishable_allowed(request):
    """Whether Stripe.js may make this request with the publishable key alone."""
    for method, pattern in PUBLISHABLE_PATHS:
        match = pattern.match(request.path)
        if request.method != method or not match:
            continue
        data = await _request_data(request)
        key = data.get("key")
        if not (isinstance(key, str) and key.startswith("pk_")):
            return False
        if match.groups():
            pi = PaymentIntent._api_retrieve(match.group(1))
            if data.get("client_secret") != pi.client_secret:
                raise UserError(401, "Unauthorized")
        return True
    return False


def _wrap_auth(auth_middleware, replacements):
    @web.middleware
    async def middleware(request, handler):
        resource = request.match_info.route.resource
        canonical = resource.canonical if resource is not None else None
        handler = replacements.get((request.method, canonical), handler)
        if request.path == JS_URL:
            return web.Response(
                text=JS_FILE.read_text(),
                content_type="application/javascript",
                headers={"Cache-Control": "no-store"},
            )
        publishable = get_api_key(request) is None
        token = _publishable.set(publishable)
        try:
            if publishable and await _publishable_allowed(request):
                return await handler(request)
            return await auth_middleware(request, handler)
        finally:
            _publishable.reset(token)

    return middleware


def add_payment_methods(app, auth_middleware):
    """Patch localstripe's resources and put our auth (and Stripe.js) in front of its own."""
    _patch_payment_method_creation()
    _patch_attach_and_detach()
    _patch_payment_intent_fields()
    _patch_payment_intent_confirmation()
    # localstripe routed these to the methods as they were when it was imported.
    replacements = {
        ("POST", url): api_extra(func, url)
        for url, func in (
            ("/v1/payment_intents/{id}/confirm", PaymentIntent._api_confirm),
            ("/v1/payment_intents/{id}/_authenticate", PaymentIntent._api_authenticate),
            ("/v1/payment_methods/{id}/attach", PaymentMethod._api_attach),
            ("/v1/payment_methods/{id}/detach", PaymentMethod._api_detach),
        )
    }
    position = list(app.middlewares).index(auth_middleware)
    app.middlewares[position] = _wrap_auth(auth_middleware, replacements)
