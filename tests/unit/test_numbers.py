"""One number style for people: thousands separators, two decimals, half-up to cents, signs kept."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from itamctl.money import cents
from itamctl.render.numbers import amount, signed_amount


@pytest.mark.parametrize(("value", "text"), [
    ("0", "0.00"), ("0E-7", "0.00"), ("0E+3", "0.00"), ("-0", "-0.00"), ("-0.001", "-0.00"), ("0.005", "0.01"),
    ("-0.005", "-0.01"), ("999.995", "1,000.00"), ("452170.805", "452,170.81"), ("-1234567.5", "-1,234,567.50"),
    ("1E+3", "1,000.00"),
])
def test_amount(value, text):
    assert amount(Decimal(value)) == text


def test_amount_of_nothing_is_empty_and_a_change_has_a_sign():
    assert amount(None) == ""
    assert (signed_amount(Decimal("1200")), signed_amount(Decimal("-75.5")), signed_amount(Decimal(0))) == (
        "+1,200.00", "-75.50", "0.00")


def test_amount_is_the_decimal_format_of_the_cents():
    """The zero shortcut changes nothing: every amount is what formatting its cents gives."""
    rng = random.Random(3)
    values = [Decimal(rng.randint(-10**9, 10**9)) / Decimal(10 ** rng.randint(0, 6)) for _ in range(5000)]
    values += [Decimal(0), Decimal("-0"), Decimal("0.000"), Decimal("-0.000")]
    assert all(amount(v) == f"{cents(v):,.2f}" for v in values)
