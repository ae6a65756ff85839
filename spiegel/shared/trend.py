"""A trend across rounds as SVG (the leader's trend view): a line per element or group over the rounds,
on the 1..5 scale with the band zones behind, drawn with the primitives of :mod:`spiegel.shared.svg`."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from spiegel.shared.charts import Scale
from spiegel.shared.svg import BAND_ZONE, GRID, MUTED, fmt, svg_document, svg_text, text_width, wrap

TREND_COLOURS = ("#1f4e8c", "#b35c00", "#2a7f8f", "#8c3b9e", "#4d6b2f", "#c2185b", "#6b5a2a", "#3d3d8f")


@dataclass(frozen=True)
class Series:
    """One line of :func:`trend_lines`: a value per round (None: no value shown, the line breaks)."""

    label: str
    values: tuple[float | None, ...]


def trend_lines(series: Sequence[Series], *, x_labels: Sequence[str], title: str, desc: str, width: float = 640,
                size: float = 11, scale: Scale = Scale()) -> Markup:
    """Lines over rounds (oldest left) on the 1..5 scale with the band zones behind; each line is
    labelled at its last point. A missing value breaks the line (never interpolated)."""
    label_width = max([text_width(s.label, size) for s in series] + [40]) + 16
    left, right, top = 26, min(label_width, width * 0.35), 10
    plot_width = width - left - right
    plot_height = 190
    bottom = top + plot_height
    count = max(1, len(x_labels))
    step = plot_width / count

    def xs(i: int) -> float:
        return left + step * (i + 0.5)

    def ys(value: float) -> float:
        value = min(scale.high, max(scale.low, value))
        return bottom - (value - scale.low) / (scale.high - scale.low) * plot_height

    parts = _trend_grid(scale, left, plot_width, ys, size)
    label_lines = [wrap(text, size * 0.85, step - 4, max_lines=2) for text in x_labels]
    for i, lines in enumerate(label_lines):
        for j, line in enumerate(lines):
            parts.append(svg_text(xs(i), bottom + size * (1.3 + 1.1 * j), line, size * 0.85, anchor="middle",
                                  fill=MUTED))
    ends: list[tuple[float, str, str]] = []
    for k, line in enumerate(series):
        colour = TREND_COLOURS[k % len(TREND_COLOURS)]
        parts.extend(_trend_series(k, line.values, xs, ys, colour))
        last = next((ys(value) for value in reversed(line.values) if value is not None), None)
        if last is not None:
            ends.append((last, line.label, colour))
    parts.extend(_end_labels(ends, left + plot_width + 8, bottom, size))
    height = bottom + size * (1.4 + 1.1 * max((len(lines) for lines in label_lines), default=1))
    return svg_document(width, height, title, desc, "".join(parts), "trend-lines")


def _trend_grid(scale: Scale, left: float, plot_width: float, ys, size: float) -> list[str]:
    """The band zones and a grid line with its label per tick of :func:`trend_lines`."""
    parts = []
    if scale.band_low is not None and scale.band_high is not None:
        for lo, hi, band in ((scale.low, scale.band_low, "bottleneck"), (scale.band_low, scale.band_high, "attention"),
                             (scale.band_high, scale.high, "strength")):
            parts.append(f'<rect x="{fmt(left)}" y="{fmt(ys(hi))}" width="{fmt(plot_width)}" '
                         f'height="{fmt(ys(lo) - ys(hi))}" fill="{BAND_ZONE[band]}"/>')
    for tick in scale.ticks:
        y = ys(tick)
        parts.append(f'<line x1="{fmt(left)}" y1="{fmt(y)}" x2="{fmt(left + plot_width)}" y2="{fmt(y)}" '
                     f'stroke="{GRID}" stroke-width="0.6"/>')
        parts.append(svg_text(left - 6, y + size * 0.35, f"{tick:g}", size * 0.85, anchor="end", fill=MUTED))
    return parts


def _trend_series(k: int, values: Sequence[float | None], xs, ys, colour: str) -> list[str]:
    """One series: a marker per value, and a line through each run of two or more values."""
    parts: list[str] = []
    segment: list[str] = []
    for i, value in enumerate((*values, None)):  # the None closes the last run
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                             f'stroke-width="2"/>')
            segment = []
            continue
        segment.append(f"{fmt(xs(i))},{fmt(ys(value))}")
        parts.append(_trend_marker(k, xs(i), ys(value), colour))
    return parts


def _end_labels(ends: list[tuple[float, str, str]], x: float, bottom: float, size: float) -> list[str]:
    """The series' names at their last points in the right margin, pushed apart so they do not overlap."""
    ends = sorted(ends)
    placed: list[float] = []
    for y, _label, _colour in ends:
        y = max(y, placed[-1] + size * 1.15) if placed else y
        placed.append(y)
    shift = max(0.0, (placed[-1] - (bottom + size)) if placed else 0.0)
    return [svg_text(x, y - shift + size * 0.35, label, size, fill=colour, weight="bold")
            for (_y, label, colour), y in zip(ends, placed)]


def _trend_marker(k: int, x: float, y: float, colour: str) -> str:
    """Shapes as well as colours tell the lines apart (circle, square, triangle, diamond)."""
    shape = k % 4
    if shape == 0:
        return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="3.6" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{fmt(x - 3.3)}" y="{fmt(y - 3.3)}" width="6.6" height="6.6" fill="{colour}"/>'
    if shape == 2:
        return (f'<path d="M{fmt(x)} {fmt(y - 4.2)}L{fmt(x + 4)} {fmt(y + 3)}L{fmt(x - 4)} {fmt(y + 3)}Z" '
                f'fill="{colour}"/>')
    return (f'<path d="M{fmt(x)} {fmt(y - 4.4)}L{fmt(x + 4)} {fmt(y)}L{fmt(x)} {fmt(y + 4.4)}L{fmt(x - 4)} {fmt(y)}Z" '
            f'fill="{colour}"/>')
