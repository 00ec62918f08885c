"""Cell values of exported spreadsheets: ids, slugs, dates, months and money.

Everything here is pure and raises :class:`ValueError` with a message meant for
the user when a value cannot be read unambiguously; the importer turns that
into a warning naming the CSV line.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
                           "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "œ": "oe", "Œ": "OE"})


def ascii_fold(text: str) -> str:
    """``Müller Straße`` -> ``Muller Strasse``: accents dropped, a few letters spelled out."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def slugify(text: str, *, limit: int = 64) -> str:
    """Lower-case id for a name: ``Headquarters Berlin`` -> ``headquarters-berlin`` ('' if nothing is left)."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")
    return slug[:limit].rstrip("-")


def sanitise_id(text: str) -> str | None:
    """An asset tag made a valid registry id, or ``None`` when that is impossible.

    Spaces and characters outside ``[A-Za-z0-9._-]`` become ``-`` (``LT 0042`` ->
    ``LT-0042``, ``LT/0042`` -> ``LT-0042``); leading punctuation is dropped.
    Tags longer than 64 characters are refused rather than cut (cutting could
    make two tags one).
    """
    candidate = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_fold(text.strip()))
    candidate = candidate.lstrip("._-")
    if not candidate or not ID_PATTERN.match(candidate):
        return None
    return candidate


def login_id(text: str) -> str:
    """A username or e-mail local part as a Person id: lower case, dots and underscores kept."""
    candidate = re.sub(r"[^a-z0-9._-]+", "-", ascii_fold(text.strip()).lower()).strip("._-")
    return candidate[:64].rstrip("._-")


# --- dates ---------------------------------------------------------------

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?)?"
_YMD = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}\Z")
_DOTTED = re.compile(rf"(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}){_TIME}\Z")  # 15.03.2024: day first by convention
_SLASHED = re.compile(rf"(\d{{1,2}})[/-](\d{{1,2}})[/-](\d{{4}}){_TIME}\Z")  # 03/15/2024 or 15/03/2024
_NAMED_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%a %b %d %Y", "%a %d %b %Y",
                  "%A %B %d %Y", "%d-%b-%Y", "%d-%B-%Y")

DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"


def slash_order(values: list[str]) -> str | None:
    """The order of ``NN/NN/YYYY`` dates in a file, learnt from values that settle it.

    ``15/03/2024`` can only be day first and ``03/15/2024`` only month first;
    ``03/04/2024`` is either. Returns ``None`` when the file does not settle it
    (or contradicts itself), in which case only unambiguous dates are read.
    """
    orders = set()
    for value in values:
        match = _SLASHED.match(value.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                orders.add(DAY_FIRST)
            elif second > 12 >= first:
                orders.add(MONTH_FIRST)
    return orders.pop() if len(orders) == 1 else None


def parse_date(text: str, order: str | None = None) -> date:
    """A date as exports write it: ISO (with or without a time), ``15.03.2024``,
    ``Mar 15, 2024``, or ``NN/NN/YYYY`` when day and month cannot be confused.
    """
    value = text.strip()
    match = _YMD.match(value)
    if match:
        return _make(value, int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _DOTTED.match(value)
    if match:
        return _make(value, int(match.group(3)), int(match.group(2)), int(match.group(1)))
    match = _SLASHED.match(value)
    if match:
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if first > 12 or (order == DAY_FIRST and second <= 12):
            return _make(value, year, second, first)
        if second > 12 or order == MONTH_FIRST:
            return _make(value, year, first, second)
        if first == second:
            return _make(value, year, first, second)
        raise ValueError(f"ambiguous date {value!r} (day/month or month/day?); write it as YYYY-MM-DD")
    named = re.sub(r"[,\s]+", " ", re.sub(_TIME + r"\Z", "", value)).strip()
    for fmt in _NAMED_FORMATS:
        try:
            return datetime.strptime(named, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {value!r}; write it as YYYY-MM-DD")


def _make(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"no such date {text!r}") from None


def parse_months(text: str) -> int:
    """``36``, ``36 months``, ``36 Monate``: a whole number of months."""
    match = re.fullmatch(r"(\d{1,4})(?:\s*[A-Za-z.]+)?", text.strip())
    if not match:
        raise ValueError(f"not a number of months: {text.strip()!r}")
    return int(match.group(1))


# --- money ---------------------------------------------------------------

_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS",
            "zł": "PLN", "Fr.": "CHF", "R$": "BRL"}
_DOLLARS = {"US": "USD", "A": "AUD", "AU": "AUD", "C": "CAD", "CA": "CAD", "NZ": "NZD", "S": "SGD", "HK": "HKD",
            "MX": "MXN"}
DOLLAR_CURRENCIES = frozenset({"USD", "AUD", "CAD", "NZD", "SGD", "HKD", "MXN"})
_CODE_FIRST = re.compile(r"([A-Za-z]{3})\s*(?=[\d.,])(.*)\Z")
_CODE_LAST = re.compile(r"(.*?[\d.,])\s*([A-Za-z]{3})\Z")


def parse_money(text: str, default_currency: str) -> tuple[Decimal, str]:
    """An exported amount: ``2499.00``, ``$2,499.00``, ``1.299,00 €``, ``2499 USD``.

    Returns the exact amount and its currency (``default_currency`` when the
    cell names none). Thousands separators are dropped; a lone ``,`` before
    three digits (``1,299``) is ambiguous and refused.
    """
    value = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if value.startswith("-") or value.endswith("-") or (value.startswith("(") and value.endswith(")")):
        raise ValueError(f"negative amount {text.strip()!r}; amounts are never negative")
    currency = None
    for pattern, number_group, code_group in ((_CODE_FIRST, 2, 1), (_CODE_LAST, 1, 2)):
        match = pattern.match(value)
        if match:
            currency, value = match.group(code_group).upper(), match.group(number_group)
            break
    if currency is None:
        currency, value = _symbol(value, default_currency)
    return _amount(value.strip(), text.strip()), currency or default_currency


def _symbol(value: str, default_currency: str) -> tuple[str | None, str]:
    for symbol, code in _SYMBOLS.items():
        if value.startswith(symbol) or value.endswith(symbol):
            return code, value.replace(symbol, "", 1)
    match = re.fullmatch(r"([A-Z]{0,2})\$\s*(.*)|(.*?)\s*([A-Z]{0,2})\$", value)
    if match:
        prefix = match.group(1) if match.group(1) is not None else match.group(4)
        number = match.group(2) if match.group(2) is not None else match.group(3)
        if prefix:
            if prefix not in _DOLLARS:
                raise ValueError(f"unknown currency {prefix}$ in {value!r}")
            return _DOLLARS[prefix], number
        return (default_currency if default_currency in DOLLAR_CURRENCIES else "USD"), number
    return None, value


def _amount(number: str, original: str) -> Decimal:
    digits = number.replace(" ", "").replace("'", "").replace("’", "")
    if not re.fullmatch(r"\d[\d.,]*", digits) or digits[-1] in ".,":
        raise ValueError(f"not an amount: {original!r}")
    if "," in digits and "." in digits:
        decimal_sep = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        whole, _, fraction = digits.rpartition(decimal_sep)
        if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})*", whole):
            raise ValueError(f"unreadable amount {original!r}")
        digits = whole.replace(thousands, "") + "." + fraction
    elif "," in digits or digits.count(".") > 1:
        sep = "," if "," in digits else "."
        parts = digits.split(sep)
        grouped = len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])
        if sep == "," and len(parts) == 2 and len(parts[1]) in (1, 2):
            digits = f"{parts[0]}.{parts[1]}"  # decimal comma: 1299,00
        elif grouped and (len(parts) > 2 or sep == "."):
            digits = "".join(parts)  # 1,299,000 or 1.299.000
        elif sep == "," and len(parts) == 2 and grouped:
            raise ValueError(f"ambiguous amount {original!r} (thousands or decimal comma?); "
                             "write it as 1299 or 1299.00")
        else:
            raise ValueError(f"unreadable amount {original!r}")
    try:
        amount = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits and one point
        raise ValueError(f"not an amount: {original!r}") from None
    if amount >= MAX_AMOUNT or -amount.as_tuple().exponent > 9:  # the schema's bounds on money
        raise ValueError(f"amount {_shorten(original)} out of range (below 1,000,000,000,000, "
                         "at most nine digits after the point)")
    return amount


MAX_AMOUNT = Decimal(10) ** 12


def _shorten(text: str, limit: int = 40) -> str:
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


def currency_code(text: str, default_currency: str) -> str:
    """A currency column's value (``EUR``, ``eur``, ``€``, ``$``) as an ISO 4217 code."""
    value = text.strip()
    if re.fullmatch(r"[A-Za-z]{3}", value):
        return value.upper()
    if value in _SYMBOLS:
        return _SYMBOLS[value]
    if value.endswith("$") and value[:-1] in _DOLLARS:
        return _DOLLARS[value[:-1]]
    if value == "$":
        return default_currency if default_currency in DOLLAR_CURRENCIES else "USD"
    raise ValueError(f"unknown currency {value!r}; use an ISO 4217 code such as EUR")
