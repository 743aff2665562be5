"""What the one-page checkout shows and checks, apart from the view that serves it.

``CheckoutPage`` binds the page's four forms (contact, address, shipping method, payment)
to the session's details (a first visit: the signed-in shopper's default address) or to
what was posted, prices the basket for the address as far as it is typed (the tax needs
only the country and the state or ZIP code), and says what the summary, the shipping
methods and a wallet's sheet show. The amount is always the server's: the page, the quote
and the charge all price the basket with ``shop.payments.submission.price_basket``.
"""

from decimal import Decimal
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from shop import totals
from shop.address.forms import format_postcode
from shop.payments.customers import saved_cards
from shop.payments.exceptions import PaymentRefused
from shop.payments.money import to_minor_units
from shop.payments.stripe_gateway import GatewayError
from shop.payments.submission import CheckoutDetails, address_fields, price_basket
from shop.tax.regions import REGIONS

from .forms import (
    ContactForm,
    PaymentForm,
    ShippingAddressForm,
    ShippingMethodForm,
    wallet_address_data,
)

ShippingAddress = get_model("order", "ShippingAddress")
UserAddress = get_model("address", "UserAddress")

NOT_SHIPPED = "We ship to the United States and Canada only."
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line4",
    "state",
    "postcode",
    "country_id",
    "phone_number",
)


def _user(request):
    return request.user if request.user.is_authenticated else AnonymousUser()


def saved_addresses(user):
    """The signed-in shopper's address book, their default shipping address first."""
    if not user.is_authenticated:
        return []
    return list(
        UserAddress._default_manager.filter(user=user)
        .select_related("country")
        .order_by("-is_default_for_shipping", "-num_orders_as_shipping_address", "-id")
    )


def fields_of(address):
    """An address's shipping fields as a plain dict (session, form instance, the page's
    saved-address list)."""
    return {name: str(getattr(address, name) or "") for name in ADDRESS_FIELDS}


def partial_address(data):
    """As much of a typed address as the price depends on: country, state or province,
    ZIP or postal code, city. Unknown countries and malformed codes are left out."""
    country = str(data.get("country", "US")).upper()
    if country not in REGIONS:
        return None
    state = str(data.get("state", "")).upper()
    return ShippingAddress(
        country_id=country,
        state=state if state in REGIONS[country] else "",
        postcode=format_postcode(country, str(data.get("postcode", ""))[:20]) or "",
        line4=str(data.get("line4", ""))[:255],
    )


def _cards(user):
    if not user.is_authenticated:
        return []
    try:
        return saved_cards(user)
    except GatewayError:
        return []  # Stripe is unreachable: a new card still works, or fails clearly


class CheckoutPage:
    def __init__(self, request, *, data=None, address=None, email="", method_code="", cards=True):
        self.request = request
        self.user = _user(request)
        self.is_guest = not self.user.is_authenticated
        self.addresses = saved_addresses(self.user)
        self.cards = _cards(self.user) if cards else []
        if data is None:
            self.contact = ContactForm(initial={"email": email})
            self.address = ShippingAddressForm(instance=address or ShippingAddress())
        else:
            self.contact = ContactForm(data)
            self.address = ShippingAddressForm(data, instance=ShippingAddress())
        self.ships_there = address is not None or data is None
        if data is not None and self.address.is_valid():
            address = self.address.instance
        self.priced_address = address
        self.submission = self._price(method_code)
        choices = self._method_choices()
        chosen = self.submission.shipping_method.code if self.submission else ""
        if data is None:
            self.method = ShippingMethodForm(choices=choices, initial={"shipping_method": chosen})
            self.payment = PaymentForm(saved_cards=self.cards)
        else:
            self.method = ShippingMethodForm(
                {"shipping_method": data.get("shipping_method") or chosen}, choices=choices
            )
            self.payment = PaymentForm(data, saved_cards=self.cards)

    # --- Building --------------------------------------------------------------------------

    @classmethod
    def from_session(cls, request, session):
        fields = session.new_shipping_address_fields()
        if fields:
            address = ShippingAddress(**fields)
        else:
            default = next(iter(saved_addresses(_user(request))), None)
            address = ShippingAddress(**fields_of(default)) if default else None
        return cls(
            request,
            address=address,
            email=session.get_guest_email() or "",
            method_code=session.shipping_method_code(request.basket) or "",
        )

    @classmethod
    def from_post(cls, request, session, *, cards=True):
        data = request.POST.copy()
        if data.get("wallet"):
            data = wallet_address_data(data)
        chosen = _chosen_address(request, data.get("use_address"))
        if chosen is not None and data.get("action") != "pay":
            # Without JavaScript, choosing a saved address and pressing Update fills it in.
            data.update(fields_of(chosen))
            data["country"] = chosen.country_id
        return cls(
            request,
            data=data,
            address=partial_address(data),
            method_code=str(data.get("shipping_method", "")),
            cards=cards,
        )

    def _price(self, method_code):
        if self.priced_address is None:
            return None
        basket = self.request.basket
        try:
            return price_basket(
                basket, self.user, self.priced_address, method_code, request=self.request
            )
        except PaymentRefused:
            return None

    def _method_choices(self):
        """(code, "Standard shipping (3-7 business days): Free"), for the address."""
        if self.submission is None:
            return []
        basket = self.request.basket
        choices = []
        for method in self.submission.methods:
            charge = method.calculate(basket).excl_tax
            price = currency(charge, basket.currency) if charge else "Free"
            choices.append((method.code, f"{method.name}: {price}"))
        return choices

    # --- Reading ---------------------------------------------------------------------------

    @cached_property
    def summary(self):
        basket = self.request.basket
        if self.submission is None:
            summary = totals.for_basket(basket)
        else:
            summary = totals.for_basket(
                basket,
                shipping_charge=self.submission.shipping_charge,
                shipping_method=self.submission.shipping_method,
                order_total=self.submission.total,
            )
        summary.pending_text = "Added with your address"
        return summary

    @property
    def amount_due(self):
        return self.summary.total if self.submission else Decimal("0.01")

    @property
    def save_card(self):
        return bool(self.payment.is_valid() and self.payment.cleaned_data.get("save_card"))

    @property
    def email(self):
        if not self.is_guest:
            return self.user.email
        return self.contact.cleaned_data.get("email", "") if self.contact.is_bound else ""

    def is_valid(self):
        forms = [self.address, self.method, self.payment]
        if self.is_guest:
            forms.append(self.contact)
        valid = all([form.is_valid() for form in forms])  # every form, for every error
        return valid and self.submission is not None

    def errors(self):
        """Each field's messages, for the page's script to show beside the field."""
        found = {}  # in the page's order, so the first is the first invalid field
        forms = [self.contact] * self.is_guest + [self.address, self.method, self.payment]
        for form in forms:
            if form.is_bound:
                for name, errors in form.errors.items():
                    found[name] = [str(e) for e in errors]
        return found

    def save(self, session):
        """Keep in the session what is valid, so a reload or the next visit starts there."""
        if self.is_guest and self.contact.is_bound and self.contact.is_valid():
            session.set_guest_email(self.contact.cleaned_data["email"])
        if self.address.is_bound and self.address.is_valid():
            # As Oscar's shipping-address step stores it (model values, not strings).
            fields = self.address.instance.__dict__.items()
            session.ship_to_new_address({k: v for k, v in fields if not k.startswith("_")})
        if self.submission is not None and self.method.is_bound and self.method.is_valid():
            session.use_shipping_method(self.method.cleaned_data["shipping_method"])

    def details(self):
        """What the payment row keeps, to price and place the order without the session."""
        return CheckoutDetails(
            basket_id=self.request.basket.id,
            user_id=self.user.pk if not self.is_guest else None,
            guest_email=self.email if self.is_guest else "",
            shipping_address=address_fields(self.address.instance),
            shipping_method_code=self.submission.shipping_method.code,
        )

    def shipping_rates(self):
        """The wallets' shipping options (amounts in cents, before tax)."""
        if self.submission is None:
            return []
        basket = self.request.basket
        return [
            {
                "id": method.code,
                "displayName": method.name,
                "amount": to_minor_units(method.calculate(basket).excl_tax),
            }
            for method in self.submission.methods
        ]

    def line_items(self):
        """The wallets' sheet lines: the summary's rows, in cents."""
        summary = self.summary
        rows = [("Subtotal", summary.subtotal), ("Shipping", summary.shipping or Decimal(0))]
        rows += [(row.label, row.amount) for row in summary.taxes]
        return [{"name": name, "amount": to_minor_units(amount)} for name, amount in rows]

    def context(self):
        summary = self.summary
        submission = self.submission
        return {
            "checkout": self,
            "contact_form": self.contact,
            "form": self.address,
            "method_form": self.method,
            "payment_form": self.payment,
            "saved_addresses": self.addresses,
            "saved_address_fields": {str(a.pk): fields_of(a) for a in self.addresses},
            "summary": summary,
            "shipping_method": submission.shipping_method if submission else None,
            "shipping_charge": submission.shipping_charge if submission else None,
            "order_total": submission.total if submission else None,
            "amount": to_minor_units(summary.total),
            "is_guest": self.is_guest,
            "shipping_rates": self.shipping_rates(),
        }


def _chosen_address(request, address_id):
    if not address_id or not request.user.is_authenticated:
        return None
    try:
        return UserAddress._default_manager.filter(user=request.user, pk=int(address_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None
