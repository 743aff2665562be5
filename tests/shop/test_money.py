"""Dollars to cents and back: one rule for charges, refunds and reconciliation."""

from decimal import Decimal

import pytest

from shop.payments.money import from_minor_units, to_minor_units


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (Decimal("98.00"), 9800),
        (Decimal("0.01"), 1),
        (Decimal("0"), 0),
        (Decimal("19.95"), 1995),
        (Decimal("1.005"), 101),  # half a cent rounds up
        (Decimal("1.0049"), 100),
        (Decimal("2.675"), 268),  # binary floats would say 267
        (Decimal("12345678.99"), 1234567899),
        ("7.95", 795),
        (3, 300),
    ],
)
def test_amount_becomes_cents_rounded_half_up(amount, cents):
    assert to_minor_units(amount) == cents


@pytest.mark.parametrize(
    "bad", [0.1, float("nan"), Decimal("NaN"), Decimal("Infinity"), Decimal("-0.01"), "ten", None]
)
def test_what_is_not_money_is_refused(bad):
    with pytest.raises(ValueError):
        to_minor_units(bad)


def test_true_is_not_a_dollar():
    with pytest.raises(ValueError):
        to_minor_units(True)


@pytest.mark.parametrize(("cents", "amount"), [(1500, "15.00"), (1, "0.01"), (0, "0.00")])
def test_cents_become_dollars_with_two_places(cents, amount):
    assert from_minor_units(cents) == Decimal(amount)
    assert str(from_minor_units(cents)) == amount


def test_cents_must_be_whole():
    with pytest.raises(ValueError):
        from_minor_units(12.5)


def test_round_trip_is_exact():
    for cents in (0, 1, 99, 100, 7995, 10**9):
        assert to_minor_units(from_minor_units(cents)) == cents
