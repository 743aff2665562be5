"""The basket as the server prices it, and its fingerprint.

What the shopper chose in checkout is kept as plain data (``CheckoutDetails``) on the
PaymentIntent row, so the order can be priced and placed again without the session (by the
webhook, or by ``reconcile_payments``).
"""

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from oscar.core.loading import get_class, get_model

from shop.tax.services import apply_to_basket as apply_sales_tax

from .exceptions import PaymentRefused

Applicator = get_class("offer.applicator", "Applicator")
Basket = get_model("basket", "Basket")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")
Selector = get_class("partner.strategy", "Selector")
ShippingAddress = get_model("order", "ShippingAddress")
SurchargeApplicator = get_class("checkout.applicator", "SurchargeApplicator")


@dataclass(frozen=True)
class CheckoutDetails:
    """What the shopper chose in checkout, as plain data that can outlive the session."""

    basket_id: int
    user_id: int | None
    guest_email: str
    shipping_address: dict
    shipping_method_code: str


@dataclass
class Submission:
    """The basket priced on the server, ready for Oscar's order placement."""

    basket: object
    user: object
    shipping_address: object
    shipping_method: object
    shipping_charge: object
    surcharges: object
    total: object
    methods: list = field(default_factory=list)  # every method offered for the address


def address_fields(address):
    """An unsaved ShippingAddress as JSON-ready field values (country by its ISO code)."""
    fields = {}
    for model_field in ShippingAddress._meta.concrete_fields:
        if model_field.primary_key or model_field.name in ("search_text", "code"):
            continue
        value = getattr(address, model_field.attname)
        fields[model_field.attname] = "" if value is None else str(value)
    return fields


def details_of(payment):
    """The checkout details stored on a PaymentIntent row."""
    return CheckoutDetails(
        basket_id=payment.basket_id,
        user_id=payment.user_id,
        guest_email=payment.guest_email,
        shipping_address=payment.shipping_address,
        shipping_method_code=payment.shipping_method_code,
    )


def build_submission(details, *, request=None):
    """Price the basket from the database exactly as checkout shows it.

    The amount to charge is ``total.incl_tax``: shipping and any sales tax included.
    """
    basket = Basket._default_manager.get(pk=details.basket_id)
    user = (
        get_user_model()._default_manager.get(pk=details.user_id)
        if details.user_id
        else AnonymousUser()
    )
    submission = price_basket(
        basket,
        user,
        ShippingAddress(**details.shipping_address),
        details.shipping_method_code,
        request=request,
    )
    if submission.shipping_method.code != details.shipping_method_code:
        raise PaymentRefused("Please choose a shipping method again.")
    return submission


def shipping_methods(basket, user, shipping_address, *, request=None):
    """The methods this basket may be shipped by to this (possibly partial) address."""
    return Repository().get_shipping_methods(
        basket=basket, user=user, shipping_addr=shipping_address, request=request
    )


def price_basket(basket, user, shipping_address, shipping_method_code, *, request=None):
    """The basket priced for an address (complete, or only as far as the shopper has typed
    it: the tax needs only the country and the state or ZIP code) and a shipping method
    (the first one offered when that one is not). Checkout's page and the charge both use
    this, so the total shown is the total charged."""
    basket.strategy = Selector().strategy(request=request, user=user)
    Applicator().apply(basket, user, request)
    methods = shipping_methods(basket, user, shipping_address, request=request)
    method = next((m for m in methods if m.code == shipping_method_code), None)
    method = method or (methods[0] if methods else None)
    if method is None:
        raise PaymentRefused("We can't ship this order to that address.")
    charge = method.calculate(basket)
    apply_sales_tax(basket, charge, shipping_address)
    surcharges = SurchargeApplicator(request, {"basket": basket}).get_applicable_surcharges(
        basket, shipping_charge=charge
    )
    total = OrderTotalCalculator(request).calculate(basket, charge, surcharges)
    return Submission(
        basket, user, shipping_address, method, charge, surcharges, total, list(methods)
    )


def basket_version(submission):
    """A fingerprint of everything the amount depends on; any change gives a new one."""
    basket = submission.basket
    parts = [
        f"{line.id}:{line.stockrecord_id}:{line.quantity}:{line.line_price_incl_tax_incl_discounts}"
        for line in basket.all_lines()
    ]
    parts += sorted(voucher.code for voucher in basket.vouchers.all())
    parts += [
        submission.shipping_method.code,
        str(submission.shipping_charge.incl_tax),
        str(submission.total.incl_tax),
        submission.total.currency,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
