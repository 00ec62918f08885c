"""Month arithmetic and rounding to cents: the fast forms give what the standard library's slow ones give."""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest

from itamctl.dates import add_months, days_in_month
from itamctl.money import CENT, cents, money_str


def test_days_in_month_is_the_calendars_for_every_month_of_every_year():
    assert all(days_in_month(y, m) == calendar.monthrange(y, m)[1] for y in range(1, 10_000) for m in range(1, 13))


def _add_months_by_calendar(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def test_add_months_clamps_to_the_end_of_shorter_months_as_the_calendar_says():
    day = date(1999, 1, 1)
    while day < date(2005, 1, 1):  # two leap years, every day of the month
        for months in (-25, -12, -1, 0, 1, 2, 11, 12, 13, 36, 48, 60):
            assert add_months(day, months) == _add_months_by_calendar(day, months), (day, months)
        day += timedelta(days=1)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(9999, 12, 31), 1) == date.max and add_months(date(1, 1, 31), -1) == date.min


_AMOUNTS = [Decimal(x) for x in ("0", "-0", "0.005", "-0.005", "0.015", "2.675", "-0.004", "1E+5", "1.2E+20",
                                 "123456789012345678901234.125", "1E-30")]


@pytest.mark.parametrize("seed", range(3))
def test_cents_and_money_str_round_half_up_as_quantize_does(seed):
    rng = random.Random(seed)
    amounts = [Decimal(rng.randrange(-10**12, 10**12)) / Decimal(rng.randrange(1, 10**6)) for _ in range(5000)]
    for amount in [*amounts, *_AMOUNTS]:
        expected = amount.quantize(CENT, rounding=ROUND_HALF_UP)
        assert cents(amount) == expected and str(cents(amount)) == str(expected)
        assert money_str(amount) == f"{expected:f}"  # never exponent notation


def test_cents_does_not_depend_on_the_context_it_is_called_in():
    third = Decimal(1) / Decimal(3)
    with localcontext() as context:
        context.prec = 200
        long_third = Decimal(1) / Decimal(3)
        assert cents(long_third) == Decimal("0.33")
    assert cents(third) == Decimal("0.33")
