"""Renderers for an asset's depreciation schedule per fiscal year: text, json and csv.

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
from itamctl.render.table import csv_text, text_table


def render_csv(view: ScheduleView, options: Options = PLAIN) -> str:
    periods = view.schedule.reported_periods() if view.schedule else ()
    return csv_text(
        ["period", "start", "end", "depreciation", "book_value"],
        [[p.label, p.start.isoformat(), p.end.isoformat(), money_str(p.depreciation), money_str(p.book_value)]
         for p in periods],
    )


def render_text(view: ScheduleView, options: Options = PLAIN) -> str:
    a, s = view.asset, view.schedule
    lines = [f"{a.id}  {terminal(a.name)}", f"Method: {view.method}"]
    if s is None:
        state = "not purchased yet" if a.status in ("planned", "ordered") else "no purchase recorded"
        lines.append(f"{state.capitalize()}: nothing to depreciate.")
        return "\n".join(lines) + "\n"
    lines.append(f"Purchase {s.purchase_date.isoformat()}, cost {money_str(s.cost)} {s.currency}"
                 + (f", salvage {money_str(s.salvage)}" if s.salvage else ""))
    gone = s.at_disposal
    if s.disposal_date and gone is not None and gone.gain_or_loss is not None:
        lines.append(f"Disposed {s.disposal_date.isoformat()}: written off {money_str(gone.write_off)}, "
                     f"proceeds {money_str(s.disposal_proceeds)}, gain or loss {money_str(gone.gain_or_loss)}")
    carrying = view.carrying
    if carrying is None:
        lines.append(f"As of {view.as_of.isoformat()}: not purchased yet")
    else:
        lines.append(f"As of {view.as_of.isoformat()}: accumulated depreciation {money_str(carrying.accumulated)}, "
                     + (f"written off {money_str(carrying.write_off)}, " if carrying.write_off else "")
                     + f"book value {money_str(carrying.book_value)}")
    periods = s.reported_periods()
    if not periods:
        lines.append("Not depreciated: the book value stays at cost.")
        return "\n".join(lines) + "\n"
    rows = [[p.label, p.start.isoformat(), p.end.isoformat(), money_str(p.depreciation), money_str(p.book_value),
             "<- as of" if p.start <= view.as_of <= p.end else ""] for p in periods]
    total = sum((p.depreciation for p in periods), ZERO)
    rows.append(["Total", "", "", money_str(total), "", ""])
    table = text_table(["Fiscal year", "Start", "End", "Depreciation", "Book value", ""], rows, right=[3, 4])
    return "\n".join(lines) + "\n\n" + table

