"""Vector charts as plain SVG markup, shared by every feature that draws one (the team mirror on screen
and in its PDF, the leader's comparison, posters).

Charts take plain data (labels already in the reader's language, numbers as scoring returned them,
texts for the numbers already formatted) and return :class:`markupsafe.Markup`; every piece of text
is escaped here. No JavaScript, no inline ``style`` attributes (the Content-Security-Policy forbids
them on web pages): only SVG presentation attributes and class names, so the same markup renders in
a browser and in WeasyPrint. Every chart carries a ``<title>`` and a ``<desc>`` (its text alternative;
the pages show the numbers as text next to it as well).

Sizes are SVG user units; a chart scales to its container's width (``viewBox``). Text width is
estimated from the character count (the report font is DejaVu Sans Condensed, about 0.5 em per
character), which is enough to wrap labels and keep them apart from the plot.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from spiegel.shared.svg import (
    BAND_FILL,
    BAND_ZONE,
    GRID,
    INK,
    MUTED,
    POLE_EXPECTED,
    POLE_FILL,
    TRACK,
    axis_ticks,
    beside_lists,
    fmt,
    label_lines,
    svg_document,
    svg_text,
    text_width,
    wrap,
    wrap_chars,
)

# -- a 1..5 scale with bars --------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """A comparison mark on a bar's row: ``kind`` "school" (diamond) or "previous" (ring)."""

    kind: str
    value: float


@dataclass(frozen=True)
class BarRow:
    """One row of :func:`scale_bars`. ``value`` None draws no bar and shows ``value_text`` (e.g.
    "fewer than 3") in its place. ``spread`` is drawn as a whisker value ± spread, clipped to the scale."""

    label: str
    value: float | None
    value_text: str
    band: str | None = None
    spread: float | None = None
    markers: tuple[Marker, ...] = ()
    strong: bool = False  # a group row among its elements: bold label


@dataclass(frozen=True)
class Scale:
    low: float = 1.0
    high: float = 5.0
    band_low: float | None = 2.5  # zones behind the bars; None: no zones
    band_high: float | None = 3.5
    ticks: tuple[float, ...] = (1, 2, 3, 4, 5)

    def x(self, value: float, left: float, width: float) -> float:
        value = min(self.high, max(self.low, value))
        return left + (value - self.low) / (self.high - self.low) * width


@dataclass(frozen=True)
class Beside:
    """Geometry of :func:`scale_bars` (and :func:`dumbbell`) with labels and values as HTML *beside*
    the SVG instead of inside it.

    For print: WeasyPrint lays out SVG text letter by letter (some 7 ms for a 45-character label),
    HTML text line by line, so the PDF puts labels and values in HTML lists left and right of the bars.
    Rows then need fixed heights that the print CSS repeats (``.bar-chart`` in
    templates/reports/print.css): the chart is ``width_mm`` wide, the labels take ``label_share`` of
    it and the values ``value_share``, a row is ``row_mm[lines - 1]`` high, and the first row starts
    ``top_mm`` down (plus ``key_mm`` under a key: ``.bar-labels.keyed``). Labels wrap after an
    estimated ``chars_per_line`` characters (a conservative guess, so a row is never too short for
    its label; the report's overflow check catches a line that is still too long)."""

    width_mm: float = 180.0  # A4 less print.css's page margins
    label_share: float = 0.36
    value_share: float = 0.08
    row_mm: tuple[float, ...] = (6.0, 9.0, 12.0, 15.0)
    top_mm: float = 1.5
    key_mm: float = 5.0  # the key above the rows of a dumbbell chart
    font_mm: float = 3.0
    char_em: float = 0.6
    slack: float = 0.005  # left free, so that rounding never pushes the floated SVG below its labels

    @property
    def chars_per_line(self) -> int:
        usable = self.width_mm * self.label_share - 2.0  # the list's right padding
        return int(usable / (self.font_mm * self.char_em))

    def unit(self, width: float, values: bool = True) -> float:
        """Millimetres per SVG user unit for an SVG ``width`` units wide."""
        share = 1 - self.label_share - (self.value_share if values else 0) - self.slack
        return self.width_mm * share / width


def scale_bars(rows: Sequence[BarRow], *, title: str, desc: str, scale: Scale = Scale(), width: float = 640,
               label_width: float = 230, size: float = 11, tick_labels: Sequence[str] | None = None,
               beside: Beside | None = None) -> Markup:
    """Horizontal bars on a fixed scale: band-coloured bar, spread whisker, comparison markers, the
    value as text at the right. Used for groups, sub-elements, pillars and items.

    ``beside``: labels and values in HTML lists left and right of the SVG (see :class:`Beside`); the
    result is a ``<div class="bar-chart">`` holding all three. Shapes of a kind are drawn as one path
    (fewer nodes: cheaper to parse and draw)."""
    if beside is None:
        value_width, plot_left, top, row_gap, unit = 70.0, label_width + 10, 8.0, 6.0, 1.0
    else:
        width, value_width = 380.0, 0.0
        unit = beside.unit(width)
        plot_left, top, row_gap = 4.0, beside.top_mm / unit, 0.0
        size = 3.0 / unit * 0.92
    plot_width = width - plot_left - value_width - (8 if beside else 0)
    layouts, end = _row_layouts(rows, [row.strong for row in rows], top, row_gap, size, label_width, beside, unit,
                                min_height=22, padding=8, max_lines=3)
    plot_bottom = end - row_gap
    axis_y = plot_bottom + 4

    def x(value: float) -> float:
        return scale.x(value, plot_left, plot_width)

    parts = _scale_axes(scale, x, top, plot_bottom, axis_y, size, tick_labels)
    shapes = _Shapes()
    for row, lines, y, h in layouts:
        mid = y + h / 2
        if beside is None:
            parts.append(label_lines(0, mid, lines, size, weight="bold" if row.strong else None))
        shapes.add_row(row, x, mid, min(14, h - 8), plot_left, plot_width, size)
        if beside is None and row.value is not None:
            parts.append(svg_text(width - value_width + 8, mid + size * 0.35, row.value_text, size, weight="bold"))
    parts.extend(shapes.paths())
    svg = svg_document(width, axis_y + size + 10, title, desc, "".join(parts), "scale-bars")
    if beside is None:
        return svg
    values = [row.value_text if row.value is not None else "" for row, _, _, _ in layouts]
    return beside_lists(svg, [(lines, row.strong) for row, lines, _, _ in layouts], values=values)


def _row_layouts(rows: Sequence, strong: Sequence[bool], top: float, row_gap: float, size: float, label_width: float,
                 beside: Beside | None, unit: float, *, min_height: float, padding: float, max_lines: int):
    """(row, label lines, top, height) per row, and the y below the last row's gap: in the SVG, rows
    as high as their wrapped labels; beside it, the fixed heights the print CSS repeats."""
    layouts = []
    y = top
    for row, bold in zip(rows, strong):
        if beside is None:
            lines = wrap(row.label, size, label_width, max_lines=max_lines)
            height = max(min_height, len(lines) * size * 1.2 + padding)
        else:
            lines = wrap_chars(row.label, beside.chars_per_line - (2 if bold else 0), max_lines=3)
            height = beside.row_mm[len(lines) - 1] / unit
        layouts.append((row, lines, y, height))
        y += height + row_gap
    return layouts, y


def _scale_axes(scale: Scale, x, top: float, plot_bottom: float, axis_y: float, size: float,
                tick_labels: Sequence[str] | None) -> list[str]:
    """The band zones behind the plot, the grid lines and the tick labels of :func:`scale_bars`."""
    parts = []
    if scale.band_low is not None and scale.band_high is not None:
        for lo, hi, band in ((scale.low, scale.band_low, "bottleneck"), (scale.band_low, scale.band_high, "attention"),
                             (scale.band_high, scale.high, "strength")):
            parts.append(f'<rect x="{fmt(x(lo))}" y="{fmt(top - 4)}" width="{fmt(x(hi) - x(lo))}" '
                         f'height="{fmt(plot_bottom - top + 8)}" fill="{BAND_ZONE[band]}"/>')
    grid = "".join(f"M{fmt(x(tick))} {fmt(top - 4)}V{fmt(axis_y)}" for tick in scale.ticks)
    parts.append(f'<path d="{grid}" stroke="{GRID}" stroke-width="0.6" fill="none"/>')
    labels = list(tick_labels) if tick_labels else [f"{t:g}" for t in scale.ticks]
    parts.append(axis_ticks([x(tick) for tick in scale.ticks], labels, axis_y + size, size * 0.85))
    return parts


@dataclass
class _Shapes:
    """The shapes of :func:`scale_bars`, collected per kind and drawn as one path each."""

    bars: dict[str | None, list[str]] = field(default_factory=dict)
    track: list[str] = field(default_factory=list)
    whiskers: list[str] = field(default_factory=list)
    diamonds: list[str] = field(default_factory=list)
    rings: list[str] = field(default_factory=list)
    on_top: list[str] = field(default_factory=list)  # texts drawn last, over the shapes (SVG paints in order)

    def add_row(self, row: BarRow, x, mid: float, bar_h: float, plot_left: float, plot_width: float,
                size: float) -> None:
        if row.value is None:  # no bar: an empty track with the text ("fewer than 3") on it
            self.track.append(f"M{fmt(plot_left)} {fmt(mid - bar_h / 2)}h{fmt(plot_width)}v{fmt(bar_h)}"
                              f"h{fmt(-plot_width)}Z")
            self.on_top.append(svg_text(plot_left + 6, mid + size * 0.35, row.value_text, size * 0.9, fill=INK))
            return
        length = max(1.5, x(row.value) - plot_left)
        self.bars.setdefault(row.band, []).append(
            f"M{fmt(plot_left)} {fmt(mid - bar_h / 2)}h{fmt(length)}v{fmt(bar_h)}h{fmt(-length)}Z")
        if row.spread:
            lo, hi = x(row.value - row.spread), x(row.value + row.spread)
            self.whiskers.append(f"M{fmt(lo)} {fmt(mid)}H{fmt(hi)}M{fmt(lo)} {fmt(mid - 4)}V{fmt(mid + 4)}"
                                 f"M{fmt(hi)} {fmt(mid - 4)}V{fmt(mid + 4)}")
        r = bar_h / 2 + 1.5
        for marker in row.markers:
            self.add_marker(marker.kind, x(marker.value), mid, r)

    def add_marker(self, kind: str, mx: float, mid: float, r: float) -> None:
        """The school mean as a diamond, the previous round as a dashed ring."""
        if kind == "school":
            self.diamonds.append(f"M{fmt(mx)} {fmt(mid - r)}L{fmt(mx + r * 0.75)} {fmt(mid)}L{fmt(mx)} {fmt(mid + r)}"
                                 f"L{fmt(mx - r * 0.75)} {fmt(mid)}Z")
        else:
            rr = r * 0.6
            self.rings.append(f"M{fmt(mx - rr)} {fmt(mid)}a{fmt(rr)} {fmt(rr)} 0 1 0 {fmt(2 * rr)} 0"
                              f"a{fmt(rr)} {fmt(rr)} 0 1 0 {fmt(-2 * rr)} 0Z")

    def paths(self) -> list[str]:
        parts = []
        if self.track:
            parts.append(f'<path d="{"".join(self.track)}" fill="{TRACK}"/>')
        for band, pieces in self.bars.items():
            parts.append(f'<path d="{"".join(pieces)}" fill="{BAND_FILL.get(band, BAND_FILL[None])}"/>')
        if self.whiskers:
            parts.append(f'<path d="{"".join(self.whiskers)}" stroke="{INK}" stroke-width="1.1" fill="none"/>')
        if self.diamonds:
            parts.append(f'<path d="{"".join(self.diamonds)}" fill="#fff" stroke="{INK}" stroke-width="1.2"/>')
        if self.rings:
            parts.append(f'<path d="{"".join(self.rings)}" fill="none" stroke="{INK}" stroke-width="1.4" '
                         f'stroke-dasharray="2 1.2"/>')
        return parts + self.on_top


KEY_SYMBOLS = {"strength": "■", "attention": "■", "bottleneck": "■", "spread": "├─┤", "school": "◇",
               "previous": "◌"}


def key(items: Sequence[tuple[str, str]], *, title: str) -> Markup:
    """The key to the charts as an HTML list (text, not SVG: cheap to print, readable by screen
    readers): (kind, label) with kind one of the bands, "spread", "school" or "previous". The pages'
    CSS colours the symbols (``.chart-key-list .key-<kind>``)."""
    entries = " ".join(  # spaces between the entries: the line may break there
        f'<li class="key-{escape(kind)}"><span class="symbol" aria-hidden="true">{KEY_SYMBOLS.get(kind, "■")}</span> '
        f"{escape(label)}</li>" for kind, label in items)
    return Markup(f'<ul class="chart-key-list" aria-label="{escape(title)}">{entries}</ul>')


# -- bipolar profile: two poles, each its own presence score -------------------------------------


@dataclass(frozen=True)
class PoleRow:
    """One bipolar characteristic: pole a drawn to the left of the centre, pole b to the right, each
    as its own 1..5 presence score. ``expected``: the poles the phase calls for ("a", "b");
    ``flagged``: expected poles that are low."""

    label: str
    a_label: str
    b_label: str
    a: float | None
    b: float | None
    a_text: str
    b_text: str
    expected: tuple[str, ...] = ()
    flagged: tuple[str, ...] = ()


def bipolar_bars(rows: Sequence[PoleRow], *, title: str, desc: str, width: float = 640, size: float = 10.5,
                 scale: Scale = Scale(band_low=None, band_high=None), beside: Beside | None = None) -> Markup:
    """Each pole as a bar growing outwards from the centre line (longer = more present). Not a
    "higher is better" scale: the poles the phase calls for are outlined, low ones marked "!".

    ``beside``: the characteristic's name and its two poles ("formal ↔ informal") as HTML left of the
    SVG (see :class:`Beside`), the bars and values in it."""
    if beside is not None:
        width = 420.0
        unit = beside.unit(width, values=False)
        size = 3.0 / unit * 0.92
        centre, half = width / 2, width / 2 - 40
        top = beside.top_mm / unit
    else:
        centre, half = width / 2, width / 2 - 150
        top = 4.0
    name_size = size * 1.05
    parts: list[str] = []
    labels: list[tuple[list[str], bool]] = []
    y = top
    for row in rows:
        bar_h = 14
        if beside is None:
            parts.append(svg_text(centre, y + name_size, row.label, name_size, anchor="middle", weight="bold"))
            y += name_size + 6
            mid = y + bar_h / 2
        else:
            per_line = beside.chars_per_line
            a = row.a_label + (" !" if "a" in row.flagged else "")
            b = row.b_label + (" !" if "b" in row.flagged else "")
            # never cut a name: up to four lines for it and its poles (rows-4 in print.css)
            name = wrap_chars(row.label, per_line - 2, max_lines=3)
            lines = name + wrap_chars(f"{a} ↔ {b}", per_line, max_lines=max(1, 4 - len(name)))
            labels.append((lines, True))
            height = beside.row_mm[len(lines) - 1] / unit
            mid = y + height / 2
        for pole, value, text, label in (("a", row.a, row.a_text, row.a_label), ("b", row.b, row.b_text, row.b_label)):
            sign = -1 if pole == "a" else 1
            expected = pole in row.expected
            if value is not None:
                length = (min(scale.high, max(scale.low, value)) - scale.low + 0.15) / (scale.high - scale.low + 0.15) * half
                x = centre if sign > 0 else centre - length
                fill = POLE_EXPECTED if expected else POLE_FILL
                stroke = f' stroke="{INK}" stroke-width="1.6"' if expected else ""
                opacity = "" if expected else ' fill-opacity="0.55"'
                parts.append(f'<rect x="{fmt(x + sign * 1)}" y="{fmt(mid - bar_h / 2)}" width="{fmt(length)}" '
                             f'height="{bar_h}" rx="2" fill="{fill}"{opacity}{stroke}/>')
                value_x = centre + sign * (length + 6)
                parts.append(svg_text(value_x, mid + size * 0.35, text, size, anchor="start" if sign > 0 else "end",
                                   weight="bold"))
            else:
                parts.append(svg_text(centre + sign * 6, mid + size * 0.35, text, size * 0.9,
                                   anchor="start" if sign > 0 else "end", fill=MUTED))
            if beside is not None:
                continue
            lines = wrap(label, size, 120, max_lines=2)
            lx = 0 if sign < 0 else width
            flag = " !" if pole in row.flagged else ""
            if flag:
                lines[-1] += flag
            parts.append(label_lines(lx, mid, lines, size, anchor="start" if sign < 0 else "end",
                                      weight="bold" if expected else None,
                                      fill=BAND_FILL["bottleneck"] if flag else INK))
        parts.append(f'<line x1="{fmt(centre)}" y1="{fmt(mid - bar_h / 2 - 3)}" x2="{fmt(centre)}" '
                     f'y2="{fmt(mid + bar_h / 2 + 3)}" stroke="{INK}" stroke-width="1"/>')
        y = y + bar_h + 16 if beside is None else y + height
    # The scale: 1..5 on each side of the centre line, grid lines behind the bars, labels under them.
    tick_xs = [centre + sign * (tick - scale.low + 0.15) / (scale.high - scale.low + 0.15) * half
               for sign in (-1, 1) for tick in scale.ticks]
    grid = "".join(f"M{fmt(x)} {fmt(top)}V{fmt(y)}" for x in tick_xs)
    parts.insert(0, f'<path d="{grid}" stroke="{GRID}" stroke-width="0.6" fill="none"/>')
    labels_text = [f"{tick:g}" for _sign in (-1, 1) for tick in scale.ticks]
    parts.append(axis_ticks(tick_xs, labels_text, y + size, size * 0.85))
    svg = svg_document(width, y + size + 6, title, desc, "".join(parts), "bipolar-bars")
    if beside is None:
        return svg
    return beside_lists(svg, labels, bold_first=True)


# -- two values per row (role perception gaps) ---------------------------------------------------


@dataclass(frozen=True)
class PairRow:
    label: str
    first: float
    second: float
    highlight: bool = False


def dumbbell(rows: Sequence[PairRow], *, first_name: str, second_name: str, title: str, desc: str,
             width: float = 640, label_width: float = 230, size: float = 10.5, scale: Scale = Scale(),
             beside: Beside | None = None) -> Markup:
    """Two dots per row joined by a line: e.g. teachers (filled) and leaders (open). ``beside``: the
    row labels as HTML next to the SVG, as in :func:`scale_bars`."""
    if beside is None:
        plot_left, unit = label_width + 14, 1.0
        rows_top, row_gap = 22.0, 4.0
    else:
        width = 420.0
        unit = beside.unit(width, values=False)
        plot_left = 6.0
        rows_top, row_gap = (beside.top_mm + beside.key_mm) / unit, 0.0
        size = 3.0 / unit * 0.92
    plot_width = width - plot_left - 20
    parts: list[str] = []
    # key
    key_y = rows_top - 14 if beside is None else rows_top - beside.key_mm / unit / 2
    parts.append(f'<circle cx="{fmt(plot_left + 5)}" cy="{fmt(key_y)}" r="4.5" fill="{POLE_EXPECTED}"/>')
    parts.append(svg_text(plot_left + 14, key_y + size * 0.35, first_name, size))
    kx = plot_left + 14 + text_width(first_name, size) + 18
    parts.append(f'<circle cx="{fmt(kx)}" cy="{fmt(key_y)}" r="4.5" fill="#fff" stroke="{POLE_EXPECTED}" '
                 f'stroke-width="1.6"/>')
    parts.append(svg_text(kx + 9, key_y + size * 0.35, second_name, size))
    layouts, y = _row_layouts(rows, [row.highlight for row in rows], rows_top, row_gap, size, label_width, beside,
                              unit, min_height=20, padding=6, max_lines=2)
    tick_xs = [scale.x(tick, plot_left, plot_width) for tick in scale.ticks]
    grid = "".join(f"M{fmt(x)} {fmt(rows_top - 2)}V{fmt(y)}" for x in tick_xs)
    parts.append(f'<path d="{grid}" stroke="{GRID}" stroke-width="0.6" fill="none"/>')
    parts.append(axis_ticks(tick_xs, [f"{tick:g}" for tick in scale.ticks], y + size, size * 0.85))
    for row, lines, top, h in layouts:
        mid = top + h / 2
        if beside is None:
            parts.append(label_lines(0, mid, lines, size, weight="bold" if row.highlight else None))
        x1 = scale.x(row.first, plot_left, plot_width)
        x2 = scale.x(row.second, plot_left, plot_width)
        colour = BAND_FILL["bottleneck"] if row.highlight else MUTED
        parts.append(f'<line x1="{fmt(x1)}" y1="{fmt(mid)}" x2="{fmt(x2)}" y2="{fmt(mid)}" stroke="{colour}" '
                     f'stroke-width="2.4"/>')
        parts.append(f'<circle cx="{fmt(x1)}" cy="{fmt(mid)}" r="4.5" fill="{POLE_EXPECTED}"/>')
        parts.append(f'<circle cx="{fmt(x2)}" cy="{fmt(mid)}" r="4.5" fill="#fff" stroke="{POLE_EXPECTED}" '
                     f'stroke-width="1.6"/>')
    svg = svg_document(width, y + size + 6, title, desc, "".join(parts), "dumbbell")
    if beside is None:
        return svg
    return beside_lists(svg, [(lines, row.highlight) for row, lines, _, _ in layouts], keyed=True)


# -- an answer distribution ----------------------------------------------------------------------

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(counts: Sequence[int]) -> str:
    """Counts as a row of block characters (▁ … █), tallest = most answers: a distribution in one
    short run of text, for long lists where an SVG per row would cost too much to render. Pair it with
    the counts as text; screen readers should skip it (aria-hidden)."""
    top = max(counts) if counts else 0
    if top <= 0:
        return ""
    return "".join(SPARK[0] if c == 0 else SPARK[max(1, round(c / top * (len(SPARK) - 1)))] for c in counts)
