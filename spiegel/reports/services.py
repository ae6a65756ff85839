"""The report pipeline: context (data) → HTML (Jinja) → PDF (WeasyPrint, in :mod:`.pdf` only).

Everything renders inside ``force_locale(lang)``: the team's language (its round's default language)
unless the reader chose another of the installed languages.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Sequence

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from spiegel.reports.context import Report, build_from_profiles
from spiegel.results.profiles import round_profiles
from spiegel.rounds.models import Round, RoundTeam


def report_language(round_team: RoundTeam, lang: str | None = None) -> str:
    languages = current_app.config["LANGUAGES"]
    if lang in languages:
        return lang
    default = round_team.round.default_language
    return default if default in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def team_report(round_team: RoundTeam, lang: str | None = None, medium: str = "pdf") -> Report:
    """The context of one team's mirror, in ``lang`` (default: the team's language), for the PDF or
    the web page (``medium``)."""
    lang = report_language(round_team, lang)
    profiles = round_profiles(round_team.round_id)
    with force_locale(lang):
        return build_from_profiles(round_team, profiles, lang, medium)


def render_report_html(report: Report) -> str:
    """The report's final HTML for WeasyPrint: a standalone print document. (The web page renders
    the same section templates inside the site layout: reports/mirror.html.)"""
    with force_locale(report.lang):
        footer = Markup(css_string(" · ".join((report.team, report.school, _("Team mirror"), report.round_name))))
        return render_template("reports/pdf.html", r=report, page_counter=page_counter_css(), page_footer=footer)


def team_pdf_file(round_team: RoundTeam, lang: str | None = None, items: bool = False) -> tuple[str, bytes]:
    """(file name, PDF) of one team's mirror; ``items``: with the appendix of results per statement
    (not part of the mirror by default: a separate print for whoever wants the detail)."""
    from spiegel.reports.pdf import render_pdf

    report = team_report(round_team, lang)
    if items:
        report = dataclasses.replace(report, with_items=True)
    return pdf_filename(report), render_pdf(render_report_html(report))


def team_pdf(round_team: RoundTeam, lang: str | None = None) -> bytes:
    return team_pdf_file(round_team, lang)[1]


def round_team_htmls(round_: Round, round_teams: Sequence[RoundTeam], lang: str | None = None,
                     items: bool = False) -> Iterator[tuple[RoundTeam, Report, str]]:
    """(round team, report, final HTML) for each team, the round scored once; ``items``: with the
    appendix of results per statement."""
    profiles = round_profiles(round_.id)
    for round_team in round_teams:
        if not profiles.is_released(round_team.id):  # not shown while the round is open
            continue
        team_lang = report_language(round_team, lang)
        with force_locale(team_lang):
            report = build_from_profiles(round_team, profiles, team_lang)
        if items:
            report = dataclasses.replace(report, with_items=True)
        yield round_team, report, render_report_html(report)


def page_counter_css() -> Markup:
    """The translated "page N of M" as a CSS ``content`` value, e.g.
    ``"Pagina " counter(page) " van " counter(pages)``."""
    text = _("Page %(n)s of %(total)s", n="\0page\0", total="\0pages\0")
    parts = []
    for piece in re.split(r"(\0pages?\0)", text):
        if piece == "\0page\0":
            parts.append("counter(page)")
        elif piece == "\0pages\0":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


def css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in '"\\' or ord(char) < 0x20 or char in "<>&":
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def pdf_filename(report: Report) -> str:
    """A file name for the team's PDF: ASCII, no path characters, stable."""
    raw = f"spiegel-{report.school}-{report.team}-{report.round_name}-{report.lang}"
    ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()
    return f"{slug[:120] or 'spiegel'}-{report.round_team_id}.pdf"
