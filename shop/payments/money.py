"""Amounts between the store (Decimal in dollars) and Stripe (integer cents): one rule.

The store's currencies (USD, CAD) have two decimal places. An amount with a fraction of a
cent is rounded half up to the cent (12.345 → 1235), the rule Oscar's own prices and taxes
follow; nothing else is accepted: floats (binary fractions are not money), NaN, infinities
and negative amounts raise ``ValueError`` rather than send Stripe a wrong figure.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_minor_units(amount):
    """Decimal (or int, or a numeric string) dollars → int cents, rounded half up."""
    if isinstance(amount, float | bool) or not isinstance(amount, Decimal | int | str):
        raise ValueError(f"Money must be a Decimal, not {type(amount).__name__}.")
    try:
        amount = Decimal(amount)
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount of money: {amount!r}.") from exc
    if not amount.is_finite():
        raise ValueError(f"Not an amount of money: {amount!r}.")
    if amount < 0:
        raise ValueError(f"A negative amount cannot be charged or refunded: {amount}.")
    return int(amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100)


def from_minor_units(cents):
    """int cents → Decimal dollars with two places."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise ValueError(f"Minor units must be an int, not {type(cents).__name__}.")
    return (Decimal(cents) / 100).quantize(CENT)
