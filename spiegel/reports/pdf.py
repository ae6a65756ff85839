"""HTML → PDF with WeasyPrint: the only module that imports it (STYLE.md 7).

WeasyPrint may load nothing but the report's own assets: :class:`AssetFetcher` serves files under
``templates/reports/`` (fonts, print CSS) and raises for every other URL — network addresses, other
files, ``data:`` URLs — so a report never depends on the machine it is printed on or reaches out of
it. Fonts are bundled (``templates/reports/fonts/``, DejaVu Sans Condensed) and one
:class:`FontConfiguration` per process is shared by every render (WeasyPrint caches the loaded faces
in it; creating one costs time and memory).

The print stylesheet (``templates/reports/print.css``) is parsed once per process into a WeasyPrint
:class:`CSS` object and handed to every render, instead of a ``<link>`` that WeasyPrint would fetch,
tokenize and compile into selectors again for each report (about 5 % of a render). It is re-read
when the file changes. It enters the cascade as a user stylesheet: the report HTML's own ``<style>``
(the running footer) still wins over it, as an author style does.
"""
from __future__ import annotations

import gc
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# The report's own assets, in the top-level templates folder (part of the repository, see the README).
ASSETS = (Path(__file__).resolve().parents[2] / "templates" / "reports").resolve()
ASSETS_URL = ASSETS.as_uri() + "/"
PRINT_CSS = ASSETS / "print.css"
ALLOWED_SUFFIXES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf"}


class RefusedURL(ValueError):
    """WeasyPrint asked for something that is not one of the report's assets."""


def asset_path(url: str) -> Path:
    """The file an asset URL points to, or RefusedURL: only ``file:`` URLs of existing CSS and font
    files inside the asset folder (after resolving ``..`` and symbolic links)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"not a report asset: {url}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(ASSETS) or path.suffix.lower() not in ALLOWED_SUFFIXES or not path.is_file():
        raise RefusedURL(f"not a report asset: {url}")
    return path


class AssetFetcher(URLFetcher):
    """A URL fetcher that serves the report's assets and refuses everything else. ``fail_on_errors``
    makes a refused URL stop the rendering instead of leaving a silent gap in the PDF."""

    def __init__(self):
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url, headers=None):
        path = asset_path(url)
        kind = ALLOWED_SUFFIXES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


_font_config: FontConfiguration | None = None


def font_config() -> FontConfiguration:
    """The process's shared font configuration (created on first use)."""
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


_stylesheet: tuple[int, CSS] | None = None


def print_stylesheet() -> CSS:
    """print.css, parsed once per process (again when the file has changed), its fonts registered in
    the shared font configuration."""
    global _stylesheet
    changed = PRINT_CSS.stat().st_mtime_ns
    if _stylesheet is None or _stylesheet[0] != changed:
        try:
            css = CSS(filename=str(PRINT_CSS), url_fetcher=AssetFetcher(), font_config=font_config())
        except FatalURLFetchingError as error:
            raise RefusedURL(str(error)) from error
        _stylesheet = (changed, css)
    return _stylesheet[1]


def render_pdf(html: str) -> bytes:
    """The PDF of a report's final HTML (assets are resolved against the asset folder). Raises
    RefusedURL when the HTML asks for anything else."""
    return render_document(html).write_pdf()


def render_document(html: str):
    """The laid-out WeasyPrint document (pages and boxes), for checks such as :func:`overflowing_boxes`."""
    try:
        return HTML(string=html, base_url=ASSETS_URL, url_fetcher=AssetFetcher()).render(
            stylesheets=[print_stylesheet()], font_config=font_config())
    except FatalURLFetchingError as error:  # a BaseException in WeasyPrint: turn it into an ordinary error
        raise RefusedURL(str(error)) from error


def overflowing_boxes(document, tolerance: float = 0.5) -> list[tuple[int, str, str]]:
    """(page number, box type, text) of every laid-out box that reaches outside its page's content
    area (text running off the page, a chart too wide, a block too tall to fit). Reads WeasyPrint's
    page boxes (``Page._page_box``): a quality check, not part of rendering."""
    from weasyprint.formatting_structure.boxes import BlockContainerBox, MarginBox, ParentBox, TextBox

    problems = []

    def walk(box, number, page_edges, block):
        left, top, right, bottom = page_edges
        x, y = box.border_box_x(), box.border_box_y()
        width, height = box.border_width(), box.border_height()
        outside = (x < left - tolerance or y < top - tolerance or x + width > right + tolerance
                   or y + height > bottom + tolerance)
        # text wider than the block it sits in (a cut or overlapping line, e.g. with white-space: nowrap)
        too_wide = isinstance(box, TextBox) and block is not None and \
            x + width > block.content_box_x() + block.width + tolerance
        if outside or too_wide:
            text = box.text if isinstance(box, TextBox) else getattr(box, "element_tag", "")
            problems.append((number, type(box).__name__, str(text)[:80]))
        if isinstance(box, BlockContainerBox):
            block = box
        if isinstance(box, ParentBox):
            for child in box.children:
                walk(child, number, page_edges, block)

    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left, top = page_box.content_box_x(), page_box.content_box_y()
        edges = (left, top, left + page_box.width, top + page_box.height)
        for child in page_box.children:
            if not isinstance(child, MarginBox):
                walk(child, number, edges, None)
    return problems


def page_fill(document) -> list[float]:
    """How far down each page's content reaches, as a share of the page's content area (0.0-1.0): the
    bottom of the lowest line, chart or other leaf box. A quality check like :func:`overflowing_boxes`
    (nearly empty pages)."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox, ParentBox

    fills = []
    for page in document.pages:
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        lowest = top

        def walk(box):
            nonlocal lowest
            # a block split over pages reaches down to the page's end: measure its lines and leaves
            if isinstance(box, ParentBox) and not isinstance(box, LineBox) and box.element_tag != "svg":
                for child in box.children:
                    walk(child)
            elif box.border_height() > 0:
                lowest = max(lowest, min(box.border_box_y() + box.border_height(), top + height))  # noqa: B023  (runs within this iteration)

        for child in page_box.children:
            if not isinstance(child, MarginBox):
                walk(child)
        fills.append((lowest - top) / height if height else 0.0)
    return fills


def warm_up() -> None:
    """Load WeasyPrint's fonts and the print stylesheet once, e.g. in a fresh worker process before
    its first report; then keep everything loaded so far out of the garbage collector's passes
    (``gc.freeze``): a render allocates objects by the million, and each full collection would walk
    the app's long-lived ones again."""
    print_stylesheet()
    gc.freeze()
