"""Inline SVG bar charts for the budget page: actuals and forecast per fiscal year.

Deterministic (fixed geometry, numbers formatted from ``Decimal``), no script,
no external resources; every label is HTML-escaped.
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from itamctl.render.numbers import amount as money
from itamctl.site.escape import Safe

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 80, 16, 24, 48
COLOURS = {
    "purchase": "#3f51b5", "replacement": "#3f51b5", "license": "#009688",
    "contract": "#ff9800", "maintenance": "#9c27b0",
}
KIND_ORDER = ("replacement", "purchase", "license", "contract", "maintenance")


def _num(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1')):f}"


def _nice_max(value: Decimal) -> Decimal:
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = Decimal(str(step)) * magnitude
        if top >= value:
            return top
    return value


def _label(amount: Decimal) -> str:
    if amount >= 1_000_000:
        return f"{(amount / 1_000_000).quantize(Decimal('0.1'))}M"
    if amount >= 1_000:
        return f"{(amount / 1_000).quantize(Decimal('1'))}k"
    return f"{amount.quantize(Decimal('1'))}"


def _parts(bar: dict[str, Any]) -> list[tuple[str, Decimal]]:
    """A bar's non-zero parts in stacking order."""
    return [(kind, bar["parts"][kind]) for kind in KIND_ORDER if bar["parts"].get(kind, Decimal(0)) > 0]


def _segment(bar: dict[str, Any], kind: str, amount: Decimal, geometry: str) -> str:
    """One coloured part of a bar (forecasts paler), its amount on hover."""
    opacity = "0.55" if bar["forecast"] else "1"
    esc = html.escape
    return (f'<rect {geometry} fill="{COLOURS[kind]}" fill-opacity="{opacity}"><title>{esc(bar["label"])} '
            f'{esc(kind)}: {esc(money(amount))}</title></rect>')


def stacked_bars(title: str, bars: list[dict[str, Any]]) -> Safe:
    """``bars``: ``{"label", "forecast": bool, "parts": {kind: Decimal}}``; one stacked bar each."""
    esc = html.escape
    totals = [sum(b["parts"].values(), Decimal(0)) for b in bars]
    top = _nice_max(max(totals, default=Decimal(0)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = Decimal(plot_w) / max(len(bars), 1)
    bar_w = min(slot * Decimal("0.6"), Decimal(80))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-label="{esc(title)}" font-family="sans-serif" font-size="12">', f"<title>{esc(title)}</title>"]
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - Decimal(plot_h) * i / 4
        out.append(f'<line x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" y2="{_num(y)}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{_num(y + 4)}" text-anchor="end" fill="#666">{esc(_label(value))}</text>')
    for index, (bar, total) in enumerate(zip(bars, totals, strict=True)):
        x = LEFT + slot * index + (slot - bar_w) / 2
        y = Decimal(TOP + plot_h)
        for kind, amount in _parts(bar):
            h = Decimal(plot_h) * amount / top
            y -= h
            out.append(_segment(bar, kind, amount, f'x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" '
                                                   f'height="{_num(h)}"'))
        cx = _num(x + bar_w / 2)
        out.append(f'<text x="{cx}" y="{_num(y - 4)}" text-anchor="middle" fill="#333">{esc(_label(total))}</text>')
        out.append(f'<text x="{cx}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#333">'
                   f'{esc(bar["label"])}</text>')
        caption = bar.get("caption") or ("forecast" if bar["forecast"] else "actual")
        out.append(f'<text x="{cx}" y="{HEIGHT - BOTTOM + 30}" text-anchor="middle" fill="#888" '
                   f'font-size="10">{esc(caption)}</text>')
    legend_x = LEFT
    for kind in ("purchase", "license", "contract", "maintenance"):
        name = "purchase / replacement" if kind == "purchase" else kind
        out.append(f'<rect x="{legend_x}" y="{HEIGHT - 12}" width="10" height="10" fill="{COLOURS[kind]}"/>')
        out.append(f'<text x="{legend_x + 14}" y="{HEIGHT - 3}" fill="#333">{esc(name)}</text>')
        legend_x += 40 + 8 * len(name)
    out.append("</svg>")
    return Safe('<div class="itam-chart itam-chart--wide">' + "".join(out) + "</div>")


#: The phone chart: one horizontal bar per year, drawn 1:1 in a 360-unit-wide box (a phone's width).
PHONE_WIDTH, ROW, PHONE_LEFT, PHONE_RIGHT = 360, 40, 118, 48


def horizontal_bars(title: str, bars: list[dict[str, Any]]) -> Safe:
    """The same bars for a narrow screen: a row each, the year and its caption left, the total right."""
    esc = html.escape
    totals = [sum(b["parts"].values(), Decimal(0)) for b in bars]
    top = _nice_max(max(totals, default=Decimal(0)))
    plot_w = PHONE_WIDTH - PHONE_LEFT - PHONE_RIGHT
    height = ROW * len(bars) + 44
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {PHONE_WIDTH} {height}" role="img" '
           f'aria-label="{esc(title)}" font-family="sans-serif" font-size="13">', f"<title>{esc(title)}</title>"]
    for index, (bar, total) in enumerate(zip(bars, totals, strict=True)):
        y = ROW * index + 6
        out.append(f'<text x="0" y="{y + 13}" fill="#333">{esc(bar["label"])}</text>')
        caption = bar.get("caption") or ("forecast" if bar["forecast"] else "actual")
        out.append(f'<text x="0" y="{y + 28}" fill="#666" font-size="11">{esc(caption)}</text>')
        x = Decimal(PHONE_LEFT)
        for kind, amount in _parts(bar):
            w = Decimal(plot_w) * amount / top
            out.append(_segment(bar, kind, amount, f'x="{_num(x)}" y="{y + 4}" width="{_num(w)}" height="22"'))
            x += w
        out.append(f'<text x="{_num(x + 4)}" y="{y + 20}" fill="#333">{esc(_label(total))}</text>')
    legend_y, legend_x = height - 26, 0
    for kind in ("purchase", "license", "contract", "maintenance"):
        name = "purchase" if kind == "purchase" else kind
        if legend_x + 16 + 7 * len(name) > PHONE_WIDTH:
            legend_x, legend_y = 0, legend_y + 16
        out.append(f'<rect x="{legend_x}" y="{legend_y}" width="10" height="10" fill="{COLOURS[kind]}"/>')
        out.append(f'<text x="{legend_x + 14}" y="{legend_y + 10}" fill="#333" font-size="12">{esc(name)}</text>')
        legend_x += 30 + 7 * len(name)
    out.append("</svg>")
    return Safe('<div class="itam-chart itam-chart--phone">' + "".join(out) + "</div>")


def budget_charts(budget: Any) -> dict[str, Safe]:
    """The budget page's charts from the budget report's JSON; empty when it is not available."""
    if not isinstance(budget, dict) or "years" not in budget:
        return {}
    bars = [
        {"label": f"FY{a['label']}", "caption": "actual to date" if a.get("partial") else "actual", "forecast": False,
         "parts": {k: Decimal(v) for k, v in a["by_kind"].items()}}
        for a in budget.get("actuals", [])
    ] + [
        {"label": f"FY{y['label']}", "caption": "forecast, rest" if y.get("partial") else "forecast", "forecast": True,
         "parts": {k: Decimal(v) for k, v in y["by_kind"].items()}}
        for y in ([budget["current"]] if "current" in budget else []) + budget["years"]
    ]
    currency = budget.get("currency", "")
    title = f"Actuals and forecast per fiscal year ({currency})"
    # Both drawn; the stylesheet shows the one that fits the screen.
    return {"by_year": Safe(stacked_bars(title, bars) + "\n\n" + horizontal_bars(title, bars))}
