"""Exports: a round's aggregates as CSV and XLSX, and the instrument as JSON.

Aggregates only, straight from the scoring service: a team below the minimum group size is one row
saying "fewer than N" with no number; a unit below the minimum inside a shown team has no number
either. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the
start) get an apostrophe in front — team and school names are typed by users.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import asdict

from flask_babel import gettext as _
from sqlalchemy import select

from spiegel.instrument import load_instrument
from spiegel.instrument.model import Module
from spiegel.org.models import Team
from spiegel.results.profiles import RoundProfiles, round_profiles, scoring_config
from spiegel.rounds.models import Round, RoundTeam
from spiegel.scoring import Profile, Score, shown
from spiegel.scoring.layout import facet_label
from spiegel.scoring.stats import band
from spiegel.shared.extensions import db
from spiegel.shared.i18n import localized

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text a spreadsheet would evaluate becomes plain text; numbers and None stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _headers() -> list[str]:
    return [_("Round"), _("School"), _("Team"), _("Respondents"), _("Module"), _("Unit"), _("Unit type"),
            _("Name"), _("Mean"), _("Standard deviation"), _("Agreement (%)"), _("Share don't know (%)"), _("Band"),
            _("Note")]


def _band_name(value: str | None) -> str:
    names = {"strength": _("strength"), "attention": _("attention"), "bottleneck": _("bottleneck")}
    return names.get(value, "")


def _units(modules: Sequence[Module]) -> Iterator[tuple[Module, str, str, object]]:
    """(module, label, unit type, name) for every scored unit: groups, elements and pole scores."""
    for module in modules:
        for group in module.groups:
            yield module, group.id, _("group"), localized(group.name)
            for element in group.elements:
                if element.polarity == "unipolar":
                    yield module, element.id, _("pillar") if group.kind == "pillars" else _("sub-element"), \
                        localized(element.name)
                for facet in element.facets:
                    yield module, facet_label(element.id, facet.id), _("pole") if element.polarity != "unipolar" \
                        else _("facet"), f"{localized(element.name)}: {localized(facet.name)}"


def _fewer(n: int) -> str:
    return _("fewer than %(n)d", n=n)


def _score_cells(score: Score | None, kind_band: str | None) -> list:
    if score is None:
        return [None, None, None, None, "", _("not asked")]
    if not score.shown:
        return [None, None, None, None, "", _fewer(score.fewer_than)]
    # the numbers as the mirror shows them (spiegel.scoring.shown): the band beside them agrees
    return [shown.score(score.mean), shown.score(score.sd), shown.percent(score.agreement),
            shown.percent(score.dont_know_share), _band_name(kind_band), ""]


def aggregate_rows(round_: Round, profiles: RoundProfiles | None = None) -> list[list]:
    """The header and one row per team and unit, then the school means; never a suppressed number."""
    profiles = profiles or round_profiles(round_.id)
    config = scoring_config()
    names = dict(db.session.execute(
        select(RoundTeam.id, Team.name).join(Team, RoundTeam.team_id == Team.id)
        .where(RoundTeam.round_id == round_.id)).all())
    units = list(_units(profiles.modules))
    banded = _banded(profiles.modules)
    rows: list[list] = [_headers()]
    school = round_.school.name
    for round_team_id in sorted(profiles.teams, key=lambda i: (names[i].casefold(), i)):
        profile: Profile = profiles.teams[round_team_id].profile
        team = names[round_team_id]
        if not profiles.is_released(round_team_id):
            rows.append([round_.name, school, team, None, None, None, None, None, None, None,
                         None, None, "", _("not released yet: no results while the round is open")])
            continue
        if not profile.shown:
            rows.append([round_.name, school, team, _fewer(profile.fewer_than), None, None, None, None, None, None,
                         None, None, "", _("team below the minimum group size: no results")])
            continue
        for module, label, kind, name in units:
            score = profile.scores.get(label)
            unit_band = None
            if label in profile.groups:
                unit_band = profile.groups[label].band
            elif label in profile.elements and label in banded:
                unit_band = profile.elements[label].band
            rows.append([round_.name, school, team, profile.size, localized(module.name), label, kind, name,
                         *_score_cells(score, unit_band)])
    summary = profiles.result.school
    for module, label, kind, name in units:
        mean = summary.means.get(label)
        teams = summary.teams.get(label, 0)
        rows.append([round_.name, school, _("School mean"), None, localized(module.name), label, kind, name,
                     shown.score(mean), None, None, None, _band_name(band(mean, config)) if label in banded else "",
                     _("mean of %(n)d teams", n=teams) if teams else _("no team above the minimum")])
    return [[neutralise(cell) for cell in row] for row in rows]


def _banded(modules: Sequence[Module]) -> set[str]:
    """Units that have a band: groups and unipolar elements (poles and facets do not)."""
    return {g.id for m in modules for g in m.groups} | {
        e.id for m in modules for e in m.elements() if e.polarity == "unipolar"}


def to_csv(rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheets read accents right), comma-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else _csv_number(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_number(cell):
    if isinstance(cell, float):
        return f"{cell:.4f}".rstrip("0").rstrip(".")
    return cell


def to_xlsx(rows: list[list], title: str, notes: Sequence[str] = ()) -> bytes:
    """One sheet with the rows (numbers as numbers, texts as plain strings) and a notes sheet."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    for row in rows:
        sheet.append([round(cell, 4) if isinstance(cell, float) else cell for cell in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever the text
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet(_sheet_title(_("About")))
    for note in notes:
        about.append([neutralise(note)])
        about.cell(row=about.max_row, column=1).data_type = TYPE_STRING
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\'").strip() or "Spiegel"
    return cleaned[:31]


def instrument_json() -> dict:
    """Every loaded module version with its groups, elements, items and seed references."""
    instrument = load_instrument()
    modules = []
    for (_id, _version), module in sorted(instrument.modules.items()):
        data = asdict(module)
        modules.append(_plain(data))
    return {"format": "spiegel-instrument", "modules": modules}


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return value
