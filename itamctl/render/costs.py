"""Renderers for the costs report: text (an aligned table), markdown (the same table), json and csv.

Rows come in cents from the core (:mod:`itamctl.finance.tco`); ``tco_per_month``
is rounded here. JSON carries money as strings (``"958.33"``); ``tco_per_month``
is ``null`` for an asset with no month in service, ``gain_or_loss`` until it
is disposed. An asset not purchased by the as-of date (planned, ordered, or
bought later) says "not purchased yet" in text and markdown, has empty money
cells in CSV and ``null`` money (``"purchased": false``) in JSON, never 0.00.
CSV holds one row per asset and no totals row (so spreadsheet sums stay
right); with ``--by`` its first column is the group.
"""

from __future__ import annotations

from decimal import Decimal

from itamctl.finance.costs import GROUP_KEYS, MONEY_FIELDS, CostsReport, describe
from itamctl.finance.tco import AssetCosts
from itamctl.money import money_str
from itamctl.render import PLAIN, Options
from itamctl.render.numbers import amount
from itamctl.render.table import csv_text, markdown_table, md_escape, text_table

_ITEM_FIELDS = ("id", "name", "category", "status", "cost_center", "location", "vendor", "purchase_date", "method")
_HEADINGS = {
    "cost": "Cost", "accumulated_depreciation": "Depreciation", "write_off": "Written off",
    "book_value": "Book value", "gain_or_loss": "Gain/loss",
    "maintenance": "Maintenance", "contract_share": "Contracts", "license_share": "Licenses",
    "disposal": "Disposal", "tco": "TCO",
}
NOT_PURCHASED = "not purchased yet"


def _optional(amount: Decimal | None) -> str | None:
    return None if amount is None else money_str(amount)


def _money_cells(item: AssetCosts, *, say: bool = True, show=money_str) -> list[str]:
    """The row's money cells (``show`` formats them); an asset not purchased yet says so in the first
    (``say``), the rest are empty."""
    if not item.purchased:
        return [NOT_PURCHASED if say else "", *[""] * (len(MONEY_FIELDS) - 1)]
    return ["" if (value := getattr(item, name)) is None else show(value) for name in MONEY_FIELDS]


def render_csv(report: CostsReport, options: Options = PLAIN) -> str:
    """One row per asset; with ``--by`` the group's field comes first (once: not again among the others)."""
    report.need_items()
    fields = [f for f in _ITEM_FIELDS if f != report.by]
    headers = [*fields, *MONEY_FIELDS, "months_in_service", "tco_per_month"]
    rows = []
    for item in report.items:
        described = describe(item)
        row = [described[f] for f in fields] + _money_cells(item, say=False)
        row += [item.months_in_service, _optional(item.tco_per_month)]
        if report.by is not None:
            row.insert(0, GROUP_KEYS[report.by](item.asset))
        rows.append(row)
    if report.by is not None:
        headers.insert(0, report.by)
        rows.sort(key=lambda r: (r[0] is None, r[0] or "", r[1]))
    return csv_text(headers, rows)


def row_cells(item: AssetCosts) -> tuple[str, ...]:
    """An asset's row of the text and Markdown tables (:func:`itamctl.finance.costs.costs_report` keeps
    them by chunk of files when given this)."""
    return (item.id, item.asset.category or "", item.asset.status or "", *_money_cells(item, show=amount),
            amount(item.tco_per_month))


def _table(report: CostsReport) -> tuple[list[str], list[list], list[int]]:
    money_headings = [_HEADINGS[n] for n in MONEY_FIELDS]
    if report.by is not None:
        headers = [report.by.replace("_", " ").capitalize(), "Assets", *money_headings]
        rows = [[g.key if g.key is not None else "(none)", g.count,
                 *(amount(getattr(g, n)) for n in MONEY_FIELDS)] for g in report.groups]
    else:
        headers = ["ID", "Category", "Status", *money_headings, "TCO/month"]
        rows = list(report.rows) if report.rows is not None else [row_cells(i) for i in report.items]
    first_money = 2 if report.by is not None else 3
    total = ["Total", str(report.totals.count)] if report.by is not None else [
        "Total", f"{report.totals.count} asset{'s' * (report.totals.count != 1)}", ""]
    total += [amount(getattr(report.totals, n)) for n in MONEY_FIELDS]
    rows.append(total)
    right = list(range(first_money, len(headers)))
    if report.by is not None:
        right.insert(0, 1)
    return headers, rows, right


def _title(report: CostsReport) -> str:
    return f"Costs as of {report.as_of.isoformat()} ({report.currency})"


def render_text(report: CostsReport, options: Options = PLAIN) -> str:
    headers, rows, right = _table(report)
    return f"{_title(report)}\n\n" + text_table(headers, rows, right=right)


def render_markdown(report: CostsReport, options: Options = PLAIN) -> str:
    headers, rows, right = _table(report)
    return f"## {md_escape(_title(report))}\n\n" + markdown_table(headers, rows, right=right)

