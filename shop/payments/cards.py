"""A card as the store sees it (brand, last four, expiry, whose it is, which wallet), read
from Stripe's PaymentMethods by shop/payments/stripe_gateway.py; no stripe objects here."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    """A card PaymentMethod: typed into the Payment Element, from a wallet, or saved."""

    id: str
    brand: str
    last4: str
    exp_month: int = 0
    exp_year: int = 0
    customer: str = ""  # the Stripe customer it is saved on, if any
    wallet: str = ""  # "apple_pay", "google_pay", ... for a wallet's card

    @property
    def label(self):
        brand = BRAND_NAMES.get(self.brand, self.brand.title())
        wallet = WALLET_NAMES.get(self.wallet, "")
        return " ".join(part for part in (brand, f"ending {self.last4}", wallet) if part)

    @property
    def expiry(self):
        return f"{self.exp_month:02d}/{self.exp_year}"

    def expired(self, today):
        """Cards are valid to the end of their expiry month."""
        return (self.exp_year, self.exp_month) < (today.year, today.month)


BRAND_NAMES = {
    "amex": "American Express",
    "diners": "Diners Club",
    "discover": "Discover",
    "jcb": "JCB",
    "mastercard": "Mastercard",
    "unionpay": "UnionPay",
    "visa": "Visa",
}
WALLET_NAMES = {
    "apple_pay": "(Apple Pay)",
    "google_pay": "(Google Pay)",
    "link": "(Link)",
}
