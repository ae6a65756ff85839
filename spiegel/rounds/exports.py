"""Exports: a round's aggregates as CSV and XLSX, and the instrument as JSON.

Aggregates only, straight from the scoring service: a team below the minimum group size is one row
saying "fewer than N" with no number; a unit below the minimum inside a shown team has no number
either. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the
start) get an apostrophe in front — team and school names are typed by users.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict
from xml.sax.saxutils import escape

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


def _band_names() -> dict[str | None, str]:
    return {"strength": _("strength"), "attention": _("attention"), "bottleneck": _("bottleneck")}


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


def _score_cells(score: Score | None, kind_band: str | None, band_names: Mapping[str | None, str]) -> list:
    if score is None:
        return [None, None, None, None, "", _("not asked")]
    if not score.shown:
        return [None, None, None, None, "", _fewer(score.fewer_than)]
    # the numbers as the mirror shows them (spiegel.scoring.shown): the band beside them agrees
    return [shown.score(score.mean), shown.score(score.sd), shown.percent(score.agreement),
            shown.percent(score.dont_know_share), band_names.get(kind_band, ""), ""]


def aggregate_rows(round_: Round, profiles: RoundProfiles | None = None) -> list[list]:
    """The header and one row per team and unit, then the school means; never a suppressed number."""
    profiles = profiles or round_profiles(round_.id)
    config = scoring_config()
    names = dict(db.session.execute(
        select(RoundTeam.id, Team.name).join(Team, RoundTeam.team_id == Team.id)
        .where(RoundTeam.round_id == round_.id)).all())
    units = list(_units(profiles.modules))
    banded = _banded(profiles.modules)
    band_names = _band_names()  # once, not three gettext calls for each of ~600 rows
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
                         *_score_cells(score, unit_band, band_names)])
    summary = profiles.result.school
    for module, label, kind, name in units:
        mean = summary.means.get(label)
        teams = summary.teams.get(label, 0)
        rows.append([round_.name, school, _("School mean"), None, localized(module.name), label, kind, name,
                     shown.score(mean), None, None, None, band_names.get(band(mean, config), "") if label in banded else "",
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
    """One sheet with the rows (numbers as numbers, texts as plain strings, the header row frozen) and a
    notes sheet.

    Written directly as the few XML parts of an XLSX package: the sheets are plain values, and openpyxl
    took 110–160 ms of CPU to build and serialise the ~9,000 cells of a 10-team round (5–7 ms this way).
    Texts are inline strings, so no cell can be a formula, whatever it starts with."""
    sheets = [(_sheet_title(title), rows, True), (_sheet_title(_("About")), [[neutralise(n)] for n in notes], False)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _XLSX_TYPES.format(sheets="".join(
            _XLSX_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))))
        package.writestr("_rels/.rels", _XLSX_ROOT_RELS)
        package.writestr("xl/workbook.xml", _XLSX_WORKBOOK.format(sheets="".join(
            f'<sheet name="{_xml(name, quote=True)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, (name, _rows, _frozen) in enumerate(sheets, 1))))
        package.writestr("xl/_rels/workbook.xml.rels", _XLSX_WORKBOOK_RELS.format(sheets="".join(
            _XLSX_SHEET_REL.format(n=n) for n in range(1, len(sheets) + 1)), styles=len(sheets) + 1))
        package.writestr("xl/styles.xml", _XLSX_STYLES)
        for n, (_name, sheet_rows, frozen) in enumerate(sheets, 1):
            package.writestr(f"xl/worksheets/sheet{n}.xml", _sheet_xml(sheet_rows, frozen))
    return out.getvalue()


def _sheet_xml(rows: list[list], frozen: bool) -> str:
    parts = [_XLSX_SHEET_START, _XLSX_FROZEN_HEADER if frozen else "", "<sheetData>"]
    for r, row in enumerate(rows, 1):
        parts.append(f'<row r="{r}">')
        for column, value in zip(_COLUMNS, row):
            if value is None:
                continue
            if isinstance(value, str):
                parts.append(f'<c r="{column}{r}" t="inlineStr"><is><t xml:space="preserve">{_xml(value)}</t></is></c>')
            else:  # int or float (never bool here)
                parts.append(f'<c r="{column}{r}"><v>{round(value, 4) if isinstance(value, float) else value}</v></c>')
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


_COLUMNS = [chr(ord("A") + i) for i in range(26)]  # the export has 14 columns
# Characters XML 1.0 cannot hold (a typed name could bring one); a carriage return kept as a reference.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str, quote: bool = False) -> str:
    return escape(_NOT_IN_XML.sub("", text), {"\r": "&#13;", **({'"': "&quot;"} if quote else {})})


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    "{sheets}</Types>")
_XLSX_SHEET_TYPE = f'<Override PartName="/xl/worksheets/sheet{{n}}.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
_XLSX_ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_XLSX_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
    "<sheets>{sheets}</sheets></workbook>")
_XLSX_SHEET_REL = f'<Relationship Id="rId{{n}}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{{n}}.xml"/>'
_XLSX_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS}">{{sheets}}'
    f'<Relationship Id="rId{{styles}}" Type="{_DOC_RELS}/styles" Target="styles.xml"/></Relationships>')
# The smallest style sheet spreadsheet programs accept without a repair prompt: one font, the two
# required fills, one border, the Normal style.
_XLSX_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
_XLSX_SHEET_START = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
_XLSX_FROZEN_HEADER = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                       'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>')


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
