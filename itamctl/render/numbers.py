"""One number style: people read ``452,170.81`` (text, Markdown); CSV and JSON carry ``452170.81``.

Every human renderer formats money with :func:`amount` (or :func:`signed_amount`
for a change); machine formats use :func:`itamctl.money.money_str`. Both round
half-up to cents once, here, where the figure is reported.
"""

from __future__ import annotations

from decimal import Decimal

from itamctl.money import cents


def amount(value: Decimal | None) -> str:
    """Money for people: thousands separators and two decimals (``452,170.81``); empty for none."""
    if value is None:
        return ""
    if not value and not value.is_signed():  # most money cells of a report are zero (no contract, no disposal)
        return "0.00"
    return f"{cents(value):,.2f}"


def signed_amount(value: Decimal) -> str:
    """A change of money for people: ``+1,200.00``, ``-75.50`` or ``0.00``."""
    text = amount(value)
    return text if text.startswith("-") or text == "0.00" else f"+{text}"
