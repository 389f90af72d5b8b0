"""Charts as SVG, drawn on the server. Pure: series in, markup out; no ORM, no scripts.

Colours come from CSS classes (``chart__s0`` ...), so the markup carries no style
attributes and passes the strict Content-Security-Policy. Every text is escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 48
MARGIN_RIGHT = 12
MARGIN_TOP = 28
MARGIN_BOTTOM = 40
MAX_X_LABELS = 13


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | None]


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^n that is at least ``value`` (1 for nothing)."""
    if value <= 0:
        return 1
    power: float = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover (the loop ends at 10)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _frame(title: str, chart_id: str, body: list[str], series: Sequence[Series]) -> str:
    legend = []
    x = MARGIN_LEFT
    for i, item in enumerate(series if len(series) > 1 else ()):
        legend.append(
            f'<rect class="chart__s{i % 6}" x="{x}" y="6" width="10" height="10"/>'
            f'<text class="chart__legend" x="{x + 14}" y="15">{escape(item.name)}</text>'
        )
        x += 24 + 7 * len(item.name)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'data-chart="{escape(chart_id)}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        + "".join(legend)
        + "".join(body)
        + "</svg>"
    )


def _axes(labels: Sequence[str], top: float, unit: str) -> list[str]:
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    out = []
    for i in range(5):
        value = top * i / 4
        y = MARGIN_TOP + plot_h - plot_h * i / 4
        out.append(
            f'<line class="chart__grid" x1="{MARGIN_LEFT}" y1="{y:.1f}" '
            f'x2="{WIDTH - MARGIN_RIGHT}" y2="{y:.1f}"/>'
            f'<text class="chart__tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{escape(_number(value) + unit)}</text>'
        )
    count = len(labels)
    every = max(1, math.ceil(count / MAX_X_LABELS))
    slot = plot_w / max(count, 1)
    for i, label in enumerate(labels):
        if i % every:
            continue
        x = MARGIN_LEFT + slot * (i + 0.5)
        out.append(
            f'<text class="chart__label" x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return out


def _empty(title: str, chart_id: str) -> str:
    empty = escape(_("No data yet"))
    body = [
        f'<text class="chart__empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" '
        f'text-anchor="middle">{empty}</text>'
    ]
    return _frame(title, chart_id, body, ())


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    chart_id: str,
    unit: str = "",
    y_max: float | None = None,
) -> str:
    """Grouped vertical bars: one group per label, one bar per series."""
    values = [v for s in series for v in s.values if v is not None]
    if not labels or not values:
        return _empty(title, chart_id)
    top = y_max if y_max is not None else nice_ceiling(max(values))
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    slot = plot_w / len(labels)
    bar_w = slot * 0.8 / len(series)
    body = _axes(labels, top, unit)
    for s_index, item in enumerate(series):
        for i, value in enumerate(item.values):
            if value is None:
                continue
            height = plot_h * min(value, top) / top if top else 0
            x = MARGIN_LEFT + slot * i + slot * 0.1 + bar_w * s_index
            y = MARGIN_TOP + plot_h - height
            tip = f"{labels[i]}: {item.name} {_number(value)}{unit}"
            body.append(
                f'<rect class="chart__bar chart__s{s_index % 6}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar_w:.1f}" height="{height:.1f}"><title>{escape(tip)}</title></rect>'
            )
    return _frame(title, chart_id, body, series)


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    chart_id: str,
    unit: str = "",
    y_max: float | None = None,
) -> str:
    """One line per series over the labels; a gap where a value is missing."""
    values = [v for s in series for v in s.values if v is not None]
    if not labels or not values:
        return _empty(title, chart_id)
    top = y_max if y_max is not None else nice_ceiling(max(values))
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    slot = plot_w / len(labels)
    body = _axes(labels, top, unit)
    for s_index, item in enumerate(series):
        points: list[str] = []
        segments: list[list[str]] = [points]
        for i, value in enumerate(item.values):
            if value is None:
                points = []
                segments.append(points)
                continue
            x = MARGIN_LEFT + slot * (i + 0.5)
            y = MARGIN_TOP + plot_h - plot_h * min(value, top) / top
            points.append(f"{x:.1f},{y:.1f}")
            tip = f"{labels[i]}: {item.name} {_number(value)}{unit}"
            body.append(
                f'<circle class="chart__dot chart__s{s_index % 6}" cx="{x:.1f}" cy="{y:.1f}" '
                f'r="3"><title>{escape(tip)}</title></circle>'
            )
        for segment in segments:
            if len(segment) > 1:
                body.append(
                    f'<polyline class="chart__line chart__s{s_index % 6}" '
                    f'points="{" ".join(segment)}"/>'
                )
    return _frame(title, chart_id, body, series)
