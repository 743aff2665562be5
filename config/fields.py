"""Form fields every app uses for hostile-input-prone values: database ids, quantities and
money.

An id outside the database's integer range makes the driver raise (a 500), and Python's
``int()``, ``isdigit()``, ``Decimal()`` and ``re``'s ``\\d`` read Arabic-Indic and other Unicode
digits, so ``١٢`` became a refund of 12.00. The store's one rule (issue 24): where a person
types digits they expect to work (ZIP and postal codes, phone numbers, quantities),
``ascii_digits`` turns them into ASCII first, so a phone keyboard's own digits are accepted
and stored the usual way; ids and money, which a page sends or staff check, are refused with
a form error unless ASCII. Patterns elsewhere use ``[0-9]`` or ``re.ASCII``, never a bare
``\\d``.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from config.security import MAX_DB_ID

# ASCII digits and at most one decimal point: no signs, exponents, spaces inside, NaN,
# Infinity or Unicode digits.
MONEY_PATTERN = re.compile(r"[0-9]{1,10}(?:\.[0-9]{1,2})?|\.[0-9]{1,2}", re.ASCII)
MONEY_MESSAGE = "Enter the amount as a number, for example 12.50."
QUANTITY_MESSAGE = "Enter the quantity as a whole number, for example 2."
# Oscar's quantities are PositiveIntegerFields: what every database holds in 32 bits.
MAX_QUANTITY = 2**31 - 1
QUANTITY_PATTERN = re.compile(r"[0-9]{1,12}", re.ASCII)


def ascii_digits(text):
    """``text`` with every Unicode decimal digit (Arabic-Indic ``١``, full-width ``１``,
    Devanagari ``१``...) as its ASCII digit, after NFKC (full-width letters, dashes and
    brackets become ASCII too). Anything else is left for the caller to accept or refuse."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def parse_money(value):
    """A non-negative amount with at most two decimal places, from ASCII text.

    Raises ValueError with a message for anything else; ``Decimal`` values pass through
    the same checks (as text), so a service can call this on whatever it is given.
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(MONEY_MESSAGE)
        value = format(value, "f")
    text = str(value).strip()
    if not MONEY_PATTERN.fullmatch(text):
        if re.fullmatch(r"-[0-9.]+", text, re.ASCII):
            raise ValueError("The amount must be more than zero.")
        if re.fullmatch(r"[0-9]*\.[0-9]{3,}", text, re.ASCII):
            raise ValueError("The amount can't have more than two decimal places.")
        raise ValueError(MONEY_MESSAGE)
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern bounds the digits
        raise ValueError(MONEY_MESSAGE)


class MoneyField(forms.Field):
    """An amount typed by a person: ASCII digits and one decimal point; gives a Decimal."""

    widget = forms.TextInput
    max_length = 14

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "maxlength": 14}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text:
            return None
        if len(text) > self.max_length:
            raise ValidationError(MONEY_MESSAGE, code="invalid")
        try:
            return parse_money(text)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid")


def coerce_id(value):
    """For ``TypedMultipleChoiceField(coerce=...)``: a positive id the database can hold."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        raise ValueError("not an id")
    number = int(text)
    if not 1 <= number <= MAX_DB_ID:
        raise ValueError("id out of range")
    return number


class IdField(forms.IntegerField):
    """A positive database id, at most the largest 64-bit integer."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_DB_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class QuantityField(forms.IntegerField):
    """A number of items typed by a person: their own script's digits read as ASCII, then a
    whole number from 1 to ``MAX_QUANTITY`` (no signs, exponents or decimals)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_QUANTITY)
        messages = {
            "invalid": QUANTITY_MESSAGE,
            "required": QUANTITY_MESSAGE,
            "min_value": "The quantity must be at least 1.",
        }
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = ascii_digits(value).strip()
            if value and not QUANTITY_PATTERN.fullmatch(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdMultipleChoiceField(forms.TypedMultipleChoiceField):
    """Several ids (checkboxes), each in the database's range."""

    def __init__(self, **kwargs):
        kwargs.setdefault("coerce", coerce_id)
        super().__init__(**kwargs)
