"""Real PDFs (WeasyPrint): content, page count, bundled fonts, no overflow, the locked-down fetcher."""
import re
import shutil
import subprocess

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from spiegel.instrument import load_instrument
from spiegel.reports import services
from spiegel.reports.context import build_report
from tests.reports.conftest import SCRIPT

pytestmark = [pytest.mark.pdf]
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext) is not installed")
MODULES = load_instrument().current()


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def flat(text: str) -> str:
    return " ".join(text.split())


def html_for(round_team, lang):
    with force_locale(lang):
        return services.render_report_html(build_report(round_team.id, lang))


@needs_poppler
@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_team_pdf_content(mirror_data, tmp_path, lang):
    from spiegel.plans import services as plans

    plan = plans.create_plan(mirror_data.a, generate=True, language=lang)
    plans.add_action(plan.sprints[0], action_id=None, own_text="Elke maand een open klas", owner="Directie")
    from spiegel.reports.pdf import overflowing_boxes, render_document

    document = render_document(html_for(mirror_data.a, lang))
    assert overflowing_boxes(document) == []  # nothing runs off a page, in any language
    path = tmp_path / "a.pdf"
    path.write_bytes(document.write_pdf())
    assert path.read_bytes().startswith(b"%PDF-")
    assert 8 <= pages(path) <= 13  # a previous round, a previous plan's comparison, every section
    text = flat(pdf_text(path))
    assert "Team Alfa" in text and "Atheneum Noord" in text
    for element in MODULES[0].elements():
        assert flat(element.name[lang]) in text, element.id
    for pillar in MODULES[1].elements():
        assert flat(pillar.name[lang]) in text, pillar.id
    assert "Elke maand een open klas" in text
    assert SCRIPT in text  # typed text, shown as text
    counter = {"nl": "Pagina 2 van", "en": "Page 2 of", "fr": "Page 2 sur"}[lang]
    assert counter in text
    # only the bundled fonts, never a system font
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all(re.fullmatch(r"[A-Z]{6}\+Spiegel-Sans[-A-Za-z]*", name) for name in names), names


def demo_mirrors():
    """Every mirror the demo can print: the closed round's teams as they are (no plan), then every
    team with a released result and a plan made from the proposal, as a coach would in the app (the
    open round released early; its Atheneum teams also print last round's plan and what came of it).
    Yields (label, round team)."""
    from spiegel.demo import load_demo
    from spiegel.plans import services as plans
    from spiegel.results.profiles import release_early, round_profiles
    from spiegel.rounds.models import Round
    from spiegel.shared.extensions import db

    load_demo()
    rounds = db.session.scalars(select(Round).order_by(Round.opens_at, Round.id)).all()  # the closed round first
    assert [r.name for r in rounds][0] == "Afname 2025"
    for round_team in rounds[0].round_teams:
        yield f"{round_team.team.name}, {rounds[0].name}, no plan", round_team
    shown = []
    for round_ in rounds:
        for round_team in round_.round_teams:
            release_early(round_team)
            result = round_profiles(round_.id).teams[round_team.id]
            if result.profile.shown:
                plans.create_plan(round_team, generate=True, language="nl")
                shown.append(round_team)
    assert len(shown) >= 13  # every demo team but the one below the anonymity minimum
    for round_team in shown:
        yield f"{round_team.team.name}, {round_team.round.name}, with a plan", round_team


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_every_demo_mirror_fits_twelve_pages(app, lang):
    """Issue 14, for every demo team (the largest among them) and every language: at most 12 pages;
    the story (one look) on page 2; no page less than a third full except the last (a one-look page
    that runs over continues with the detail, never onto a nearly empty page); a heading never ends a
    page; nothing runs off a page."""
    from spiegel.reports.pdf import overflowing_boxes, page_fill, render_document

    checked = 0
    for label, round_team in demo_mirrors():
        document = render_document(services.render_report_html(services.team_report(round_team, lang)))
        fills = page_fill(document)
        assert len(document.pages) <= 12, (label, lang, len(document.pages))
        assert all(fill >= 1 / 3 for fill in fills[:-1]), (label, lang, [round(f, 2) for f in fills])
        assert page_of(document, "overview") == 2, (label, lang)  # the story first, right after the cover
        assert headings_ending_a_page(document) == [], (label, lang)
        assert overflowing_boxes(document) == [], (label, lang)
        assert repeated_lines(document) == [], (label, lang)
        checked += 1
    assert checked >= 19


def page_of(document, anchor: str) -> int:
    for number, page in enumerate(document.pages, start=1):
        if anchor in page.anchors:
            return number
    raise KeyError(anchor)


def headings_ending_a_page(document) -> list[tuple[int, str]]:
    """(page, text) of every heading that is the last thing on its page (split from what follows)."""
    from weasyprint.formatting_structure.boxes import MarginBox, ParentBox, TextBox

    found = []
    for number, page in enumerate(document.pages[:-1], start=1):
        last = []

        def walk(box, heading=None):
            tag = getattr(box, "element_tag", "")
            heading = box if tag in ("h2", "h3", "h4") else heading
            if isinstance(box, TextBox) and box.text.strip():
                last.append((heading, box.text))  # noqa: B023  (walk runs within this iteration)
            if isinstance(box, ParentBox):
                for child in box.children:
                    walk(child, heading)

        for child in page._page_box.children:
            if not isinstance(child, MarginBox):  # the running footer
                walk(child)
        if last and last[-1][0] is not None and last[-1][0].element_tag in ("h2", "h3", "h4"):
            found.append((number, last[-1][1]))
    return found


def repeated_lines(document) -> list[tuple[int, str]]:
    """(page, text) of every line of the document's text drawn a second time: WeasyPrint drew floated
    columns that ran over a page twice. Each laid-out line of an element exists once (the running
    footer, in the page margins, is left out)."""
    from weasyprint.formatting_structure.boxes import MarginBox, ParentBox, TextBox

    seen, repeated = set(), []

    def walk(box, number):
        if isinstance(box, TextBox) and box.text.strip():
            key = (id(box.element), box.text, box.position_x)
            if key in seen:
                repeated.append((number, box.text))
            seen.add(key)
        if isinstance(box, ParentBox):
            for child in box.children:
                walk(child, number)

    for number, page in enumerate(document.pages, start=1):
        for child in page._page_box.children:
            if not isinstance(child, MarginBox):
                walk(child, number)
    return repeated


def test_no_box_leaves_the_page(mirror_data):
    from spiegel.reports.pdf import overflowing_boxes, render_document

    for round_team in (mirror_data.b, mirror_data.c):
        document = render_document(html_for(round_team, "fr"))  # French runs longest
        assert overflowing_boxes(document) == []


def test_overflow_check_notices_a_cut_line(mirror_data):
    from spiegel.reports.pdf import overflowing_boxes, render_document

    html = html_for(mirror_data.c, "nl").replace("</body>", '<p><span class="nowrap">' + "x" * 400
                                                 + "</span></p></body>").replace("</head>",
                                                 "<style>.nowrap { white-space: nowrap }</style></head>")
    assert overflowing_boxes(render_document(html))


def test_two_column_lists_keep_both_columns_across_pages(app):
    """Open answers (and strengths, bottlenecks) sit side by side in two columns, read row by row, on
    every page they run over; each answer once. (Floated items fell back to one column after the first
    page break; CSS columns cost up to a second of layout per mirror.)"""
    from weasyprint.formatting_structure.boxes import ParentBox

    from spiegel.reports.pdf import render_document

    answers = "".join(f"<li>Antwoord {n} {'met wat meer tekst ' * (n % 5)}</li>" for n in range(120))
    document = render_document(f'<html><body><h2>Open</h2><ul class="quotes">{answers}</ul></body></html>')
    assert len(document.pages) >= 2
    def items(box):
        if getattr(box, "element_tag", None) == "li" and box.children:
            yield box
        elif isinstance(box, ParentBox):
            for child in box.children:
                yield from items(child)

    seen = []
    for page in document.pages:
        boxes = list(items(page._page_box))
        assert len({round(box.position_x) for box in boxes}) == 2  # two columns on every page, the last included
        seen += boxes
    assert len({id(box.element) for box in seen}) == 120


@needs_poppler
def test_suppressed_team_gets_a_short_pdf(mirror_data, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(services.team_pdf(mirror_data.c, "nl"))
    assert pages(path) <= 4
    text = flat(pdf_text(path))
    assert "Team Gamma" in text and "minder dan 3" in text
    assert "Te weinig antwoorden voor een spiegel" in text
    text = re.sub(r"Pagina \d+ van \d+", "", text).replace("2026", "")
    assert not re.search(r"(?<![\w.,])2(?![\d.,])", text)


def test_same_report_same_bytes(mirror_data):
    first = services.team_pdf(mirror_data.b, "en")
    assert services.team_pdf(mirror_data.b, "en") == first


def test_fetcher_serves_only_report_assets(app):
    from spiegel.reports.pdf import ASSETS, AssetFetcher, RefusedURL

    fetcher = AssetFetcher()
    font = fetcher.fetch((ASSETS / "fonts" / "DejaVuSansCondensed.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    for url in ("http://example.org/x.css", "https://example.org/font.ttf", "file:///etc/passwd",
                (ASSETS / ".." / ".." / "pyproject.toml").as_uri(), (ASSETS / "pdf.html").as_uri(),
                (ASSETS / "fonts" / "missing.ttf").as_uri(), "data:text/css,body{}", "ftp://example.org/a.css"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_rendering_stops_at_a_foreign_url(mirror_data):
    from spiegel.reports.pdf import RefusedURL, render_pdf

    html = html_for(mirror_data.c, "nl").replace("</body>", '<img src="http://example.org/pixel.png"></body>')
    with pytest.raises(RefusedURL):
        render_pdf(html)
