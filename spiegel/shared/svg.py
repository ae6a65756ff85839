"""SVG drawing primitives for :mod:`spiegel.shared.charts`: colours, text (estimated widths, word wrap,
escaped ``<text>``), axis labels, the ``<svg>`` element with its title and description, and the HTML
lists that carry a chart's labels beside it in print."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

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


def fmt(value: float) -> str:
    """A coordinate with at most two decimals (small, stable markup)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def svg_text(x, y, content, size, *, anchor="start", weight=None, fill=INK, cls=None) -> str:
    attrs = f'x="{fmt(x)}" y="{fmt(y)}" font-size="{fmt(size)}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if cls:
        attrs += f' class="{cls}"'
    return f"<text {attrs}>{escape(content)}</text>"


def axis_ticks(xs: Sequence[float], labels: Sequence[str], y: float, size: float) -> str:
    """Axis labels centred under their ticks. Single characters (the usual 1..5) go into one <text>
    with a position per character: one node instead of five, which WeasyPrint draws much faster."""
    if all(len(label) == 1 for label in labels):
        half = size * 0.32  # half a digit
        positions = " ".join(fmt(x - half) for x in xs)
        return (f'<text x="{positions}" y="{fmt(y)}" font-size="{fmt(size)}" fill="{MUTED}">'
                f'{escape("".join(labels))}</text>')
    return "".join(svg_text(x, y, label, size, anchor="middle", fill=MUTED) for x, label in zip(xs, labels))


def label_lines(x, y_mid, lines, size, *, anchor="start", weight=None, fill=INK) -> str:
    """Lines of text centred vertically on y_mid."""
    step = size * 1.2
    top = y_mid - step * (len(lines) - 1) / 2 + size * 0.35
    return "".join(svg_text(x, top + i * step, line, size, anchor=anchor, weight=weight, fill=fill)
                   for i, line in enumerate(lines))


def svg_document(width: float, height: float, title: str, desc: str, body: str, cls: str) -> Markup:
    # Ids from the content: the same chart gives the same markup on every render and machine.
    digest = hashlib.sha1(f"{title}\0{desc}\0{body}".encode()).hexdigest()[:10]
    title_id, desc_id = f"chart-{digest}-t", f"chart-{digest}-d"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" viewBox="0 0 {fmt(width)} {fmt(height)}" '
        f'width="{fmt(width)}" height="{fmt(height)}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="{FONT}">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def wrap_chars(text: str, per_line: int, max_lines: int = 3) -> list[str]:
    """Greedy word wrap at a number of characters (see :func:`wrap`)."""
    return wrap(text, 1.0, per_line * CHAR_EM, max_lines)


def beside_lists(svg: Markup, rows: Sequence[tuple[Sequence[str], bool]], keyed: bool = False,
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
