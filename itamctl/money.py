"""Money: exact decimals with a currency, and dated exchange rates.

Amounts are :class:`decimal.Decimal` from the YAML file to the report; they are
rounded half-up to cents only where a figure is reported (:func:`cents`), and
JSON carries them as strings (:func:`money_str`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

from itamctl.quickinit import quick_init

CENT = Decimal("0.01")
ZERO = Decimal(0)


@quick_init
@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, value: object, default_currency: str) -> Money:
        """A registry money value: a number (report currency) or ``"<amount> <CUR>"``."""
        if type(value) is Decimal:  # most of them (an amount with decimals); immutable, so taken as it is
            return cls(value, default_currency)
        if isinstance(value, str):
            amount, _, currency = value.strip().partition(" ")
            return cls(Decimal(amount), currency.strip() or default_currency)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise TypeError(f"not a money value: {value!r}")
        return cls(Decimal(value), default_currency)

    def __str__(self) -> str:
        return f"{cents(self.amount)} {self.currency}"


#: Rounds half-up with no limit on digits: the same result as ``amount.quantize(CENT, rounding=ROUND_HALF_UP)``
#: in any context that can hold it, in half the time (no keyword, no context looked up).
_HALF_UP = Context(prec=MAX_PREC, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
_quantize = _HALF_UP.quantize


#: ``a + b`` with no rounding, however many digits (an FX product has the rate's and the amount's): a sum
#: taken with it is the same whatever order its amounts are added in, a chunk of files at a time or all at
#: once (Python's default context keeps 28 digits).
exact_add = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN).add


def exact_sum(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of ``amounts`` with no rounding (:data:`exact_add`): what every sum taken by chunk of files
    and then across chunks uses, so that it equals the sum taken all at once."""
    total = ZERO
    for amount in amounts:
        total = exact_add(total, amount)
    return total


def cents(amount: Decimal) -> Decimal:
    """Round half-up to cents: only where a figure is reported."""
    return _quantize(amount, CENT)


def money_str(amount: Decimal) -> str:
    """Money for JSON and CSV: a string with two decimals, e.g. ``"958.33"`` (``str`` of an amount in
    cents is never in exponent notation)."""
    return str(cents(amount))


class MissingRate(LookupError):
    def __init__(self, currency: str, on: date) -> None:
        super().__init__(f"no exchange rate for {currency} dated on or before {on.isoformat()}")
        self.currency = currency
        self.on = on


class FxTable:
    """Dated rates: 1 unit of a currency = ``rate`` units of the report currency."""

    def __init__(self, currency: str, entries: Iterable[tuple[date, Mapping[str, Decimal]]]) -> None:
        self.currency = currency
        self._dates: dict[str, list[date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        for day, rates in sorted(entries, key=lambda entry: entry[0]):
            for code, rate in rates.items():
                self._dates.setdefault(code, []).append(day)
                self._rates.setdefault(code, []).append(Decimal(rate))

    def __repr__(self) -> str:  # every rate: what Settings are is told by their repr (itamctl.factpack)
        rates = {code: list(zip(self._dates[code], self._rates[code], strict=True)) for code in self._dates}
        return f"FxTable({self.currency!r}, {rates!r})"

    def currencies(self) -> set[str]:
        return set(self._dates)

    def rate(self, currency: str, on: date) -> Decimal:
        """The latest rate dated on or before ``on``."""
        if currency == self.currency:
            return Decimal(1)
        dates = self._dates.get(currency, [])
        i = bisect.bisect_right(dates, on)
        if i == 0:
            raise MissingRate(currency, on)
        return self._rates[currency][i - 1]

    def has_rate(self, currency: str, on: date) -> bool:
        try:
            self.rate(currency, on)
        except MissingRate:
            return False
        return True

    def convert(self, money: Money, on: date) -> Decimal:
        """``money`` in the report currency, exactly (no rounding)."""
        return money.amount * self.rate(money.currency, on)
