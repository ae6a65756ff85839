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


def largest_demo_team_with_a_plan():
    """The demo's team with the most respondents, its results released and a plan made from the
    proposal, as a coach would in the app."""
    from sqlalchemy import func, select

    from spiegel.demo import load_demo
    from spiegel.plans import services as plans
    from spiegel.results.profiles import release_early
    from spiegel.rounds.models import RoundTeam
    from spiegel.shared.extensions import db
    from spiegel.survey.models import Response

    load_demo()
    largest = db.session.scalar(select(Response.round_team_id).where(Response.submitted_on.is_not(None))
                                .group_by(Response.round_team_id).order_by(func.count().desc(), Response.round_team_id)
                                .limit(1))
    round_team = db.session.get(RoundTeam, largest)
    release_early(round_team)
    plans.create_plan(round_team, generate=True, language="nl")
    return round_team


def test_the_largest_demo_team_mirror_with_a_plan_fits_twelve_pages(app):
    """Issue 14: at most 12 pages in every language; the story (one look) on page 2; no page less
    than a third full except the last; a heading never ends a page."""
    from spiegel.reports.pdf import page_fill, render_document

    round_team = largest_demo_team_with_a_plan()
    for lang in ("nl", "en", "fr"):
        html = services.render_report_html(services.team_report(round_team, lang))
        document = render_document(html)
        assert len(document.pages) <= 12, (lang, len(document.pages))
        fills = page_fill(document)
        assert all(fill >= 1 / 3 for fill in fills[:-1]), (lang, [round(f, 2) for f in fills])
        assert page_of(document, "overview") == 2, lang  # the story first, right after the cover
        assert headings_ending_a_page(document) == [], lang


def test_no_nearly_empty_page_in_any_demo_mirror(app):
    """The demo's closed round (every team with a released mirror, some with six patterns and a
    rethink prompt) in French, the longest language: a one-look page that runs over continues with
    the detail, never onto a nearly empty page."""
    from spiegel.demo import load_demo
    from spiegel.reports.pdf import page_fill, render_document
    from spiegel.results.profiles import round_profiles
    from spiegel.rounds.models import Round
    from spiegel.shared.extensions import db

    load_demo()
    closed = db.session.scalar(select(Round).where(Round.name == "Afname 2025"))
    released = round_profiles(closed.id)
    shown = [rt for rt in closed.round_teams if released.is_released(rt.id) and released.teams[rt.id].profile.shown]
    assert len(shown) >= 5
    for round_team in shown:
        document = render_document(services.render_report_html(services.team_report(round_team, "fr")))
        fills = page_fill(document)
        assert all(fill >= 1 / 3 for fill in fills[:-1]), (
            round_team.team.name, [round(f, 2) for f in fills])


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
