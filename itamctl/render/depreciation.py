"""Renderers for an asset's depreciation schedule per fiscal year: text, json, csv and markdown.

JSON: ``{"id", "name", "method", "currency", "as_of", "purchase_date", "cost",
"salvage", "accumulated_depreciation", "book_value", "disposal", "periods":
[{"period", "start", "end", "depreciation", "book_value"}]}``; ``period`` is the
fiscal year's label (the calendar year in which it starts), ``book_value`` the
value at its end; the top-level ``accumulated_depreciation``, ``write_off``
and ``book_value`` are as of ``as_of`` (``null`` and ``"purchased": false``
when it is not purchased yet on ``as_of``); ``disposal`` is ``null`` or
``{"date", "written_off", "proceeds", "gain_or_loss"}`` (the carrying amount at
disposal and proceeds − it). A planned or ordered asset, or one without a
purchase, has ``purchase_date``, ``cost`` and ``salvage`` ``null`` and no
periods; ``method: none`` has no periods either.
"""

from __future__ import annotations

from itamctl.finance.schedule_report import ScheduleView
from itamctl.money import ZERO, money_str
from itamctl.render import PLAIN, Options
from itamctl.render.escape import terminal
from itamctl.render.numbers import amount
from itamctl.render.table import csv_text, markdown_table, md_escape, text_table


def render_csv(view: ScheduleView, options: Options = PLAIN) -> str:
    periods = view.schedule.reported_periods() if view.schedule else ()
    return csv_text(
        ["period", "start", "end", "depreciation", "book_value"],
        [[p.label, p.start.isoformat(), p.end.isoformat(), money_str(p.depreciation), money_str(p.book_value)]
         for p in periods],
    )


def _report(view: ScheduleView) -> tuple[list[str], list[list[str]] | None]:
    """The summary lines (plain text) and the schedule's rows (``None`` when there is no schedule table)."""
    a, s = view.asset, view.schedule
    lines = [f"{a.id}  {a.name}", f"Method: {view.method}"]
    if s is None:
        state = "not purchased yet" if a.status in ("planned", "ordered") else "no purchase recorded"
        lines.append(f"{state.capitalize()}: nothing to depreciate.")
        return lines, None
    lines.append(f"Purchase {s.purchase_date.isoformat()}, cost {amount(s.cost)} {s.currency}"
                 + (f", salvage {amount(s.salvage)}" if s.salvage else ""))
    gone = s.at_disposal
    if s.disposal_date and gone is not None and gone.gain_or_loss is not None:
        lines.append(f"Disposed {s.disposal_date.isoformat()}: written off {amount(gone.write_off)}, "
                     f"proceeds {amount(s.disposal_proceeds)}, gain or loss {amount(gone.gain_or_loss)}")
    carrying = view.carrying
    if carrying is None:
        lines.append(f"As of {view.as_of.isoformat()}: not purchased yet")
    else:
        lines.append(f"As of {view.as_of.isoformat()}: accumulated depreciation {amount(carrying.accumulated)}, "
                     + (f"written off {amount(carrying.write_off)}, " if carrying.write_off else "")
                     + f"book value {amount(carrying.book_value)}")
    periods = s.reported_periods()
    if not periods:
        lines.append("Not depreciated: the book value stays at cost.")
        return lines, None
    rows = [[p.label, p.start.isoformat(), p.end.isoformat(), amount(p.depreciation), amount(p.book_value),
             "<- as of" if p.start <= view.as_of <= p.end else ""] for p in periods]
    total = sum((p.depreciation for p in periods), ZERO)
    rows.append(["Total", "", "", amount(total), "", ""])
    return lines, rows


_HEADERS = ["Fiscal year", "Start", "End", "Depreciation", "Book value", ""]


def render_text(view: ScheduleView, options: Options = PLAIN) -> str:
    lines, rows = _report(view)
    head = "\n".join(terminal(line) for line in lines) + "\n"
    return head if rows is None else head + "\n" + text_table(_HEADERS, rows, right=[3, 4])


def render_markdown(view: ScheduleView, options: Options = PLAIN) -> str:
    lines, rows = _report(view)
    title, *rest = lines
    head = f"## {md_escape(title)}\n\n" + "".join(f"{md_escape(line)}  \n" for line in rest)
    if rows is None:
        return head
    rows = [[*row[:5], "← as of" if row[5] else ""] for row in rows]
    return head + "\n" + markdown_table(_HEADERS, rows, right=[3, 4])
