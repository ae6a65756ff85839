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

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "Spiegel Sans, DejaVu Sans Condensed, sans-serif"
INK = "#1d2433"
MUTED = "#5a6478"
GRID = "#c9cfd9"
TRACK = "#eef0f4"
BAND_FILL = {"strength": "#2f7d63", "attention": "#d9a21b", "bottleneck": "#c2452d", None: "#7a8699"}
BAND_ZONE = {"strength": "#e3f1ea", "attention": "#fbf3df", "bottleneck": "#f8e4df"}
POLE_FILL = "#4a6fa5"
POLE_EXPECTED = "#1f4e8c"
CHAR_EM = 0.52  # average advance of a character, in em, for the report font

def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_EM


def wrap(text: str, size: float, width: float, max_lines: int = 3) -> list[str]:
    """Greedy word wrap by estimated width; the last line is cut with an ellipsis if needed."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines or [""]


def _f(value: float) -> str:
    """A coordinate with at most two decimals (small, stable markup)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(x, y, content, size, *, anchor="start", weight=None, fill=INK, cls=None) -> str:
    attrs = f'x="{_f(x)}" y="{_f(y)}" font-size="{_f(size)}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if cls:
        attrs += f' class="{cls}"'
    return f"<text {attrs}>{escape(content)}</text>"


def _ticks(xs: Sequence[float], labels: Sequence[str], y: float, size: float) -> str:
    """Axis labels centred under their ticks. Single characters (the usual 1..5) go into one <text>
    with a position per character: one node instead of five, which WeasyPrint draws much faster."""
    if all(len(label) == 1 for label in labels):
        half = size * 0.32  # half a digit
        positions = " ".join(_f(x - half) for x in xs)
        return (f'<text x="{positions}" y="{_f(y)}" font-size="{_f(size)}" fill="{MUTED}">'
                f'{escape("".join(labels))}</text>')
    return "".join(_text(x, y, label, size, anchor="middle", fill=MUTED) for x, label in zip(xs, labels))


def _label_lines(x, y_mid, lines, size, *, anchor="start", weight=None, fill=INK) -> str:
    """Lines of text centred vertically on y_mid."""
    step = size * 1.2
    top = y_mid - step * (len(lines) - 1) / 2 + size * 0.35
    return "".join(_text(x, top + i * step, line, size, anchor=anchor, weight=weight, fill=fill)
                   for i, line in enumerate(lines))


def _svg(width: float, height: float, title: str, desc: str, body: str, cls: str) -> Markup:
    # Ids from the content: the same chart gives the same markup on every render and machine.
    digest = hashlib.sha1(f"{title}\0{desc}\0{body}".encode()).hexdigest()[:10]
    title_id, desc_id = f"chart-{digest}-t", f"chart-{digest}-d"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'width="{_f(width)}" height="{_f(height)}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="{FONT}">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
        f"{body}</svg>"
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
        value_width = 70.0
        plot_left = label_width + 10
        top, row_gap = 8.0, 6.0
    else:
        width, value_width = 380.0, 0.0
        unit = beside.unit(width)
        plot_left = 4.0
        top, row_gap = beside.top_mm / unit, 0.0
        size = 3.0 / unit * 0.92
    plot_width = width - plot_left - value_width - (8 if beside else 0)
    layouts = []
    y = top
    for row in rows:
        if beside is None:
            lines = wrap(row.label, size, label_width, max_lines=3)
            height = max(22, len(lines) * size * 1.2 + 8)
        else:
            lines = wrap_chars(row.label, beside.chars_per_line - (2 if row.strong else 0), max_lines=3)
            height = beside.row_mm[len(lines) - 1] / unit
        layouts.append((row, lines, y, height))
        y += height + row_gap
    plot_bottom = y - row_gap
    axis_y = plot_bottom + 4
    height = axis_y + size + 10

    def x(value: float) -> float:
        return scale.x(value, plot_left, plot_width)

    parts: list[str] = []
    if scale.band_low is not None and scale.band_high is not None:  # band zones behind the plot
        for lo, hi, band in ((scale.low, scale.band_low, "bottleneck"), (scale.band_low, scale.band_high, "attention"),
                             (scale.band_high, scale.high, "strength")):
            parts.append(f'<rect x="{_f(x(lo))}" y="{_f(top - 4)}" width="{_f(x(hi) - x(lo))}" '
                         f'height="{_f(plot_bottom - top + 8)}" fill="{BAND_ZONE[band]}"/>')
    grid = "".join(f"M{_f(x(tick))} {_f(top - 4)}V{_f(axis_y)}" for tick in scale.ticks)
    parts.append(f'<path d="{grid}" stroke="{GRID}" stroke-width="0.6" fill="none"/>')
    labels = list(tick_labels) if tick_labels else [f"{t:g}" for t in scale.ticks]
    parts.append(_ticks([x(tick) for tick in scale.ticks], labels, axis_y + size, size * 0.85))
    bars: dict[str | None, list[str]] = {}
    track, whiskers, diamonds, rings = [], [], [], []
    on_top: list[str] = []  # texts drawn last, over the shapes (SVG paints in document order)
    for row, lines, y, h in layouts:
        mid = y + h / 2
        bar_h = min(14, h - 8)
        if beside is None:
            parts.append(_label_lines(0, mid, lines, size, weight="bold" if row.strong else None))
        if row.value is None:
            track.append(f"M{_f(plot_left)} {_f(mid - bar_h / 2)}h{_f(plot_width)}v{_f(bar_h)}h{_f(-plot_width)}Z")
            on_top.append(_text(plot_left + 6, mid + size * 0.35, row.value_text, size * 0.9, fill=INK))
            continue
        length = max(1.5, x(row.value) - plot_left)
        bars.setdefault(row.band, []).append(
            f"M{_f(plot_left)} {_f(mid - bar_h / 2)}h{_f(length)}v{_f(bar_h)}h{_f(-length)}Z")
        if row.spread:
            lo, hi = x(row.value - row.spread), x(row.value + row.spread)
            whiskers.append(f"M{_f(lo)} {_f(mid)}H{_f(hi)}M{_f(lo)} {_f(mid - 4)}V{_f(mid + 4)}"
                            f"M{_f(hi)} {_f(mid - 4)}V{_f(mid + 4)}")
        r = bar_h / 2 + 1.5
        for marker in row.markers:
            mx = x(marker.value)
            if marker.kind == "school":
                diamonds.append(f"M{_f(mx)} {_f(mid - r)}L{_f(mx + r * 0.75)} {_f(mid)}L{_f(mx)} {_f(mid + r)}"
                                f"L{_f(mx - r * 0.75)} {_f(mid)}Z")
            else:
                rr = r * 0.6
                rings.append(f"M{_f(mx - rr)} {_f(mid)}a{_f(rr)} {_f(rr)} 0 1 0 {_f(2 * rr)} 0"
                             f"a{_f(rr)} {_f(rr)} 0 1 0 {_f(-2 * rr)} 0Z")
        if beside is None:
            parts.append(_text(width - value_width + 8, mid + size * 0.35, row.value_text, size, weight="bold"))
    if track:
        parts.append(f'<path d="{"".join(track)}" fill="{TRACK}"/>')
    for band, pieces in bars.items():
        parts.append(f'<path d="{"".join(pieces)}" fill="{BAND_FILL.get(band, BAND_FILL[None])}"/>')
    if whiskers:
        parts.append(f'<path d="{"".join(whiskers)}" stroke="{INK}" stroke-width="1.1" fill="none"/>')
    if diamonds:
        parts.append(f'<path d="{"".join(diamonds)}" fill="#fff" stroke="{INK}" stroke-width="1.2"/>')
    if rings:
        parts.append(f'<path d="{"".join(rings)}" fill="none" stroke="{INK}" stroke-width="1.4" '
                     f'stroke-dasharray="2 1.2"/>')
    parts.extend(on_top)
    svg = _svg(width, height, title, desc, "".join(parts), "scale-bars")
    if beside is None:
        return svg
    values = [row.value_text if row.value is not None else "" for row, _, _, _ in layouts]
    return _beside(svg, [(lines, row.strong) for row, lines, _, _ in layouts], values=values)


def wrap_chars(text: str, per_line: int, max_lines: int = 3) -> list[str]:
    """Greedy word wrap at a number of characters (see :func:`wrap`)."""
    return wrap(text, 1.0, per_line * CHAR_EM, max_lines)


def _marker(marker: Marker, x: float, mid: float, bar_h: float) -> str:
    r = bar_h / 2 + 1.5
    if marker.kind == "school":
        return (f'<path d="M{_f(x)} {_f(mid - r)}L{_f(x + r * 0.75)} {_f(mid)}L{_f(x)} {_f(mid + r)}'
                f'L{_f(x - r * 0.75)} {_f(mid)}Z" fill="#fff" stroke="{INK}" stroke-width="1.2"/>')
    return (f'<circle cx="{_f(x)}" cy="{_f(mid)}" r="{_f(r * 0.6)}" fill="none" stroke="{INK}" '
            f'stroke-width="1.4" stroke-dasharray="2 1.2"/>')


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
            parts.append(_text(centre, y + name_size, row.label, name_size, anchor="middle", weight="bold"))
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
                parts.append(f'<rect x="{_f(x + sign * 1)}" y="{_f(mid - bar_h / 2)}" width="{_f(length)}" '
                             f'height="{bar_h}" rx="2" fill="{fill}"{opacity}{stroke}/>')
                value_x = centre + sign * (length + 6)
                parts.append(_text(value_x, mid + size * 0.35, text, size, anchor="start" if sign > 0 else "end",
                                   weight="bold"))
            else:
                parts.append(_text(centre + sign * 6, mid + size * 0.35, text, size * 0.9,
                                   anchor="start" if sign > 0 else "end", fill=MUTED))
            if beside is not None:
                continue
            lines = wrap(label, size, 120, max_lines=2)
            lx = 0 if sign < 0 else width
            flag = " !" if pole in row.flagged else ""
            if flag:
                lines[-1] += flag
            parts.append(_label_lines(lx, mid, lines, size, anchor="start" if sign < 0 else "end",
                                      weight="bold" if expected else None,
                                      fill=BAND_FILL["bottleneck"] if flag else INK))
        parts.append(f'<line x1="{_f(centre)}" y1="{_f(mid - bar_h / 2 - 3)}" x2="{_f(centre)}" '
                     f'y2="{_f(mid + bar_h / 2 + 3)}" stroke="{INK}" stroke-width="1"/>')
        y = y + bar_h + 16 if beside is None else y + height
    # The scale: 1..5 on each side of the centre line, grid lines behind the bars, labels under them.
    tick_xs = [centre + sign * (tick - scale.low + 0.15) / (scale.high - scale.low + 0.15) * half
               for sign in (-1, 1) for tick in scale.ticks]
    grid = "".join(f"M{_f(x)} {_f(top)}V{_f(y)}" for x in tick_xs)
    parts.insert(0, f'<path d="{grid}" stroke="{GRID}" stroke-width="0.6" fill="none"/>')
    labels_text = [f"{tick:g}" for _sign in (-1, 1) for tick in scale.ticks]
    parts.append(_ticks(tick_xs, labels_text, y + size, size * 0.85))
    svg = _svg(width, y + size + 6, title, desc, "".join(parts), "bipolar-bars")
    if beside is None:
        return svg
    return _beside(svg, labels, bold_first=True)


# -- two values per row (role perception gaps) ---------------------------------------------------


@dataclass(frozen=True)
class PairRow:
    label: str
    first: float
    second: float
    first_text: str
    second_text: str
    highlight: bool = False


def dumbbell(rows: Sequence[PairRow], *, first_name: str, second_name: str, title: str, desc: str,
             width: float = 640, label_width: float = 230, size: float = 10.5, scale: Scale = Scale(),
             beside: Beside | None = None) -> Markup:
    """Two dots per row joined by a line: e.g. teachers (filled) and leaders (open). ``beside``: the
    row labels as HTML next to the SVG, as in :func:`scale_bars`."""
    if beside is None:
        plot_left = label_width + 14
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
    parts.append(f'<circle cx="{_f(plot_left + 5)}" cy="{_f(key_y)}" r="4.5" fill="{POLE_EXPECTED}"/>')
    parts.append(_text(plot_left + 14, key_y + size * 0.35, first_name, size))
    kx = plot_left + 14 + text_width(first_name, size) + 18
    parts.append(f'<circle cx="{_f(kx)}" cy="{_f(key_y)}" r="4.5" fill="#fff" stroke="{POLE_EXPECTED}" '
                 f'stroke-width="1.6"/>')
    parts.append(_text(kx + 9, key_y + size * 0.35, second_name, size))
    layouts = []
    y = rows_top
    for row in rows:
        if beside is None:
            lines = wrap(row.label, size, label_width, max_lines=2)
            h = max(20, len(lines) * size * 1.2 + 6)
        else:
            lines = wrap_chars(row.label, beside.chars_per_line - (2 if row.highlight else 0), max_lines=3)
            h = beside.row_mm[len(lines) - 1] / unit
        layouts.append((row, lines, y, h))
        y += h + row_gap
    tick_xs = [scale.x(tick, plot_left, plot_width) for tick in scale.ticks]
    grid = "".join(f"M{_f(x)} {_f(rows_top - 2)}V{_f(y)}" for x in tick_xs)
    parts.append(f'<path d="{grid}" stroke="{GRID}" stroke-width="0.6" fill="none"/>')
    parts.append(_ticks(tick_xs, [f"{tick:g}" for tick in scale.ticks], y + size, size * 0.85))
    for row, lines, top, h in layouts:
        mid = top + h / 2
        if beside is None:
            parts.append(_label_lines(0, mid, lines, size, weight="bold" if row.highlight else None))
        x1 = scale.x(row.first, plot_left, plot_width)
        x2 = scale.x(row.second, plot_left, plot_width)
        colour = BAND_FILL["bottleneck"] if row.highlight else MUTED
        parts.append(f'<line x1="{_f(x1)}" y1="{_f(mid)}" x2="{_f(x2)}" y2="{_f(mid)}" stroke="{colour}" '
                     f'stroke-width="2.4"/>')
        parts.append(f'<circle cx="{_f(x1)}" cy="{_f(mid)}" r="4.5" fill="{POLE_EXPECTED}"/>')
        parts.append(f'<circle cx="{_f(x2)}" cy="{_f(mid)}" r="4.5" fill="#fff" stroke="{POLE_EXPECTED}" '
                     f'stroke-width="1.6"/>')
    svg = _svg(width, y + size + 6, title, desc, "".join(parts), "dumbbell")
    if beside is None:
        return svg
    return _beside(svg, [(lines, row.highlight) for row, lines, _, _ in layouts], keyed=True)


def _beside(svg: Markup, rows: Sequence[tuple[Sequence[str], bool]], keyed: bool = False,
            values: Sequence[str] | None = None, bold_first: bool = False) -> Markup:
    """The SVG with its row labels (and values) as HTML lists beside it (see :class:`Beside`). Our own
    line breaks (the CSS forbids wrapping): a row's height always fits its label. ``bold_first``: each
    label's first line in bold (a title), the rest plain."""
    def item(lines: Sequence[str], strong: bool) -> str:
        if bold_first:
            text = Markup("<b>%s</b>") % lines[0]
            text += Markup("").join(Markup("<br>") + escape(line) for line in lines[1:])
            return f'<li class="rows-{len(lines)}">{text}</li>'
        text = Markup("<br>").join(escape(line) for line in lines)
        return f'<li class="rows-{len(lines)}{" strong" if strong else ""}">{text}</li>'

    labels = "".join(item(lines, strong) for lines, strong in rows)
    css = "bar-labels keyed" if keyed else "bar-labels"
    out = f'<div class="bar-chart"><ol class="{css}" aria-hidden="true">{labels}</ol>'
    if values is not None:
        # one line of text centred in a row as high as its label's
        numbers = "".join(f'<li class="h-{len(lines)}">{escape(value)}</li>' for (lines, _), value in zip(rows, values))
        out += f'<ol class="bar-values" aria-hidden="true">{numbers}</ol>'
    return Markup(out + f"{svg}</div>")


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


def band_colour(band: str | None) -> str:
    """The fill of a band (also for HTML legends and heat maps)."""
    return BAND_FILL.get(band, BAND_FILL[None])


# -- a trend across rounds (leader's trend view) -------------------------------------------------

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

    parts: list[str] = []
    if scale.band_low is not None and scale.band_high is not None:
        for lo, hi, band in ((scale.low, scale.band_low, "bottleneck"), (scale.band_low, scale.band_high, "attention"),
                             (scale.band_high, scale.high, "strength")):
            parts.append(f'<rect x="{_f(left)}" y="{_f(ys(hi))}" width="{_f(plot_width)}" '
                         f'height="{_f(ys(lo) - ys(hi))}" fill="{BAND_ZONE[band]}"/>')
    for tick in scale.ticks:
        y = ys(tick)
        parts.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(left + plot_width)}" y2="{_f(y)}" '
                     f'stroke="{GRID}" stroke-width="0.6"/>')
        parts.append(_text(left - 6, y + size * 0.35, f"{tick:g}", size * 0.85, anchor="end", fill=MUTED))
    label_lines = [wrap(text, size * 0.85, step - 4, max_lines=2) for text in x_labels]
    for i, lines in enumerate(label_lines):
        for j, line in enumerate(lines):
            parts.append(_text(xs(i), bottom + size * (1.3 + 1.1 * j), line, size * 0.85, anchor="middle", fill=MUTED))
    ends: list[tuple[float, str, str]] = []
    for k, line in enumerate(series):
        colour = TREND_COLOURS[k % len(TREND_COLOURS)]
        segment: list[str] = []
        last = None
        for i, value in enumerate(line.values):
            if value is None:
                if len(segment) > 1:
                    parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                                 f'stroke-width="2"/>')
                segment = []
                continue
            segment.append(f"{_f(xs(i))},{_f(ys(value))}")
            parts.append(_trend_marker(k, xs(i), ys(value), colour))
            last = ys(value)
        if len(segment) > 1:
            parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        if last is not None:
            ends.append((last, line.label, colour))
    # End labels in the right margin, pushed apart so they do not overlap.
    ends.sort()
    placed: list[float] = []
    for y, _label, _colour in ends:
        y = max(y, placed[-1] + size * 1.15) if placed else y
        placed.append(y)
    shift = max(0.0, (placed[-1] - (bottom + size)) if placed else 0.0)
    for (_y, label, colour), y in zip(ends, placed):
        parts.append(_text(left + plot_width + 8, y - shift + size * 0.35, label, size, fill=colour,
                           weight="bold"))
    height = bottom + size * (1.4 + 1.1 * max((len(lines) for lines in label_lines), default=1))
    return _svg(width, height, title, desc, "".join(parts), "trend-lines")


def _trend_marker(k: int, x: float, y: float, colour: str) -> str:
    """Shapes as well as colours tell the lines apart (circle, square, triangle, diamond)."""
    shape = k % 4
    if shape == 0:
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3.6" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{_f(x - 3.3)}" y="{_f(y - 3.3)}" width="6.6" height="6.6" fill="{colour}"/>'
    if shape == 2:
        return f'<path d="M{_f(x)} {_f(y - 4.2)}L{_f(x + 4)} {_f(y + 3)}L{_f(x - 4)} {_f(y + 3)}Z" fill="{colour}"/>'
    return f'<path d="M{_f(x)} {_f(y - 4.4)}L{_f(x + 4)} {_f(y)}L{_f(x)} {_f(y + 4.4)}L{_f(x - 4)} {_f(y)}Z" fill="{colour}"/>'


# -- QR code (posters) ---------------------------------------------------------------------------


def qr_code(data: str, *, title: str, desc: str = "") -> Markup:
    """A QR code as vector SVG (the ``qrcode`` package's path factory), scalable to any size:
    one path of dark modules on a white square with the standard four-module quiet zone."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(data)
    qr.make(fit=True)
    image = qr.make_image(image_factory=SvgPathImage)
    size = qr.modules_count + 2 * qr.border
    path = image.path.get("d", "")
    body = (f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path d="{escape(path)}" fill="#000" shape-rendering="crispEdges"/>')
    return _svg(size, size, title, desc or data, body, "qr-code")
