"""The school leader's comparison and trend: scoring results arranged as tables, nothing computed.

Every number comes from the scoring service (:func:`spiegel.results.profiles.round_profiles`): team
scores, bands, spread and pole positions from each team's :class:`~spiegel.scoring.Profile`, the
school mean from the round's :class:`~spiegel.scoring.SchoolSummary` (its band from the scoring
package's own band rule). A suppressed team or unit carries no number, so none can show.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from spiegel.instrument import load_instrument
from spiegel.instrument.model import Element, Module
from spiegel.org.models import Team
from spiegel.results.profiles import RoundProfiles, round_profiles, scoring_config
from spiegel.rounds.models import Round, RoundTeam
from spiegel.scoring import Profile, Score, shown
from spiegel.scoring.layout import facet_label
from spiegel.scoring.stats import band
from spiegel.shared.extensions import db

VIEWS = ("groups", "elements", "pillars")


@dataclass(frozen=True)
class Column:
    """One unit: a group, a sub-element or a pillar. Bipolar and balance elements have ``poles``
    (the names of pole a and b) and are read as positions, not bands."""

    label: str
    name: Mapping[str, str]
    poles: tuple[Mapping[str, str], Mapping[str, str]] | None = None
    group: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Cell:
    """``score`` for a unipolar unit (None: not asked), ``band`` with it; for a bipolar one the pole
    scores ``a``/``b`` and ``position`` (b − a, None unless both poles are shown)."""

    score: Score | None = None
    band: str | None = None
    bipolar: bool = False
    a: Score | None = None
    b: Score | None = None
    position: float | None = None

    @property
    def suppressed(self) -> bool:
        if self.bipolar:
            return self.position is None and any(s is not None and not s.shown for s in (self.a, self.b))
        return self.score is not None and not self.score.shown


@dataclass(frozen=True)
class Row:
    round_team_id: int
    team_id: int
    team: str
    size: int | None
    fewer_than: int | None
    cells: tuple[Cell, ...] = ()
    released: bool = True  # False while the round is open and the team's results are not released


@dataclass(frozen=True)
class SchoolCell:
    mean: float | None = None
    band: str | None = None
    teams: int = 0
    bipolar: bool = False
    a: float | None = None
    b: float | None = None


@dataclass(frozen=True)
class LeaderCell:
    """An element asked of leaders only (L6), for the school's leaders together (scoring.leaders)."""

    column: Column
    score: Score
    band: str | None


@dataclass(frozen=True)
class Heatmap:
    view: str
    views: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    school: tuple[SchoolCell, ...]
    min_group_size: int
    shown_teams: int = 0
    legend_poles: tuple[Column, ...] = field(default=())
    group_spans: tuple[tuple[Mapping[str, str], int], ...] = field(default=())  # element views: header row
    leaders: tuple[LeaderCell, ...] = field(default=())


def available_views(modules: Sequence[Module]) -> tuple[str, ...]:
    kinds = {group.kind for module in modules for group in module.groups}
    views = ["groups"]
    if kinds & {"condition", "outcome"}:
        views.append("elements")
    if "pillars" in kinds:
        views.append("pillars")
    return tuple(views)


def columns_for(modules: Sequence[Module], view: str) -> tuple[Column, ...]:
    if view == "groups":
        return tuple(Column(g.id, g.name) for m in modules for g in m.groups)
    kinds = {"elements": ("condition", "outcome"), "pillars": ("pillars",)}[view]
    return tuple(_element_column(e, g.name) for m in modules for g in m.groups if g.kind in kinds
                 for e in g.elements)


def _element_column(element: Element, group_name) -> Column:
    if element.polarity != "unipolar" and len(element.facets) == 2:
        a, b = element.facets
        return Column(element.id, element.name, (a.name, b.name), group_name)
    return Column(element.id, element.name, None, group_name)


def _cell(profile: Profile, column: Column, kind: str) -> Cell:
    if kind == "groups":
        result = profile.groups.get(column.label)
        return Cell(result.score, result.band) if result is not None else Cell()
    result = profile.elements.get(column.label)
    if result is None:
        return Cell(bipolar=column.poles is not None)
    if result.score is None:  # bipolar or balance
        # the position printed is the difference of the two printed pole scores
        position = shown.difference(result.facets["b"].mean, result.facets["a"].mean) \
            if result.position is not None else None
        return Cell(bipolar=True, a=result.facets.get("a"), b=result.facets.get("b"), position=position)
    return Cell(result.score, result.band)


def _school_cell(means: Mapping[str, float], teams: Mapping[str, int], column: Column, config) -> SchoolCell:
    if column.poles is not None:
        a_label, b_label = facet_label(column.label, "a"), facet_label(column.label, "b")
        return SchoolCell(bipolar=True, a=means.get(a_label), b=means.get(b_label),
                          teams=min(teams.get(a_label, 0), teams.get(b_label, 0)))
    mean = means.get(column.label)
    return SchoolCell(mean, band(mean, config), teams.get(column.label, 0))


def heatmap(round_: Round, view: str = "groups", profiles: RoundProfiles | None = None) -> Heatmap:
    """Teams (rows) × units (columns) of one round, plus the school mean row."""
    profiles = profiles or round_profiles(round_.id)
    views = available_views(profiles.modules)
    if view not in views:
        view = views[0]
    columns = columns_for(profiles.modules, view)
    names = dict(db.session.execute(
        select(RoundTeam.id, Team.name).join(Team, RoundTeam.team_id == Team.id)
        .where(RoundTeam.round_id == round_.id)).all())
    rows = []
    for round_team_id, result in profiles.teams.items():
        profile = result.profile
        cells = tuple(_cell(profile, c, view) for c in columns) if profile.shown else ()
        rows.append(Row(round_team_id, profiles.team_ids[round_team_id], names[round_team_id], profile.size,
                        profile.fewer_than, cells, profiles.is_released(round_team_id)))
    rows.sort(key=lambda r: (r.team.casefold(), r.round_team_id))
    config = scoring_config()
    summary = profiles.result.school
    school = tuple(_school_cell(summary.means, summary.teams, c, config) for c in columns)
    return Heatmap(view, views, columns, tuple(rows), school, config.min_group_size,
                   shown_teams=sum(1 for r in rows if r.fewer_than is None),
                   legend_poles=tuple(c for c in columns if c.poles is not None),
                   group_spans=_spans(columns) if view == "elements" else (),
                   leaders=school_leaders(profiles, config))


def school_leaders(profiles: RoundProfiles, config) -> tuple[LeaderCell, ...]:
    """The school's leaders together on the elements asked of leaders only, as scoring gave them."""
    elements = {e.id: e for m in profiles.modules for e in m.elements()}
    return tuple(LeaderCell(Column(label, elements[label].name), score, band(score.mean, config))
                 for label, score in profiles.result.leaders.items())


def _spans(columns: Sequence[Column]) -> tuple[tuple[Mapping[str, str], int], ...]:
    spans: list[list] = []
    for column in columns:
        if spans and spans[-1][0] is column.group:
            spans[-1][1] += 1
        else:
            spans.append([column.group, 1])
    return tuple((name, count) for name, count in spans)


# -- trend: one team, or the school, across rounds ------------------------------------------------

@dataclass(frozen=True)
class TrendValue:
    """One unit in one round: the mean and band as scoring gave them, or ``fewer_than`` (suppressed)."""

    mean: float | None
    band: str | None = None
    fewer_than: int | None = None


@dataclass(frozen=True)
class TrendPoint:
    round_id: int
    round_name: str
    opens_at: object
    size: int | None = None          # respondents (team trend), None when suppressed or absent
    fewer_than: int | None = None
    teams: int | None = None         # teams shown (school trend)
    present: bool = True             # the team took part in this round
    pulse: bool = False              # a pulse round (a few elements, spiegel.rounds.pulse)
    values: Mapping[str, TrendValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Trend:
    columns: tuple[Column, ...]
    points: tuple[TrendPoint, ...]
    team: Team | None
    min_group_size: int
    elements: tuple[Column, ...] = ()  # a team's focus elements (unipolar), after the group columns


def trend(rounds: Sequence[Round], team: Team | None = None, elements: Sequence[str] = ()) -> Trend:
    """Group scores (condition groups, outcome indicators, pillars) of one team, or the school means,
    across rounds, oldest first, and for a team the scores of ``elements`` (its focus points). Each round
    is scored with its own instrument version; units are matched by their stable ids. A pulse round
    (spiegel.rounds.pulse) is one team's: it shows in that team's trend only, with the scores of what it
    asked (a group only when it asked the whole group)."""
    config = scoring_config()
    columns: dict[str, Column] = {}
    element_columns: dict[str, Column] = {}
    points = []
    for round_ in sorted(rounds, key=lambda r: (r.opens_at, r.id)):
        pulse = round_.kind == "pulse"
        if pulse and team is None:
            continue
        profiles = round_profiles(round_.id)
        if pulse and team.id not in profiles.team_ids.values():
            continue
        round_columns = columns_for(profiles.modules, "groups")
        if pulse:
            whole = _whole_groups(round_)
            round_columns = tuple(c for c in round_columns if c.label in whole)
        for column in round_columns:
            columns.setdefault(column.label, column)
        if team is None:
            summary = profiles.result.school
            shown = sum(1 for r in profiles.teams.values() if r.profile.shown)
            values = {c.label: TrendValue(summary.means[c.label], band(summary.means[c.label], config))
                      for c in round_columns if c.label in summary.means}
            points.append(TrendPoint(round_.id, round_.name, round_.opens_at, teams=shown, values=values))
            continue
        ids = [rt_id for rt_id, team_id in profiles.team_ids.items() if team_id == team.id]
        if not ids:
            points.append(TrendPoint(round_.id, round_.name, round_.opens_at, present=False))
            continue
        profile = profiles.teams[ids[0]].profile
        values = {}
        for column in round_columns:
            result = profile.groups.get(column.label)
            if result is not None:
                values[column.label] = TrendValue(result.score.mean, result.band, result.score.fewer_than)
        for module in profiles.modules:
            for group in module.groups:
                for element in group.elements:
                    if element.id in elements and element.polarity == "unipolar":
                        element_columns.setdefault(element.id, _element_column(element, group.name))
                        result = profile.elements.get(element.id)
                        if result is not None and result.score is not None:
                            values[element.id] = TrendValue(result.score.mean, result.band, result.score.fewer_than)
        points.append(TrendPoint(round_.id, round_.name, round_.opens_at, profile.size, profile.fewer_than,
                                 values=values, pulse=pulse))
    ordered = tuple(element_columns[e] for e in elements if e in element_columns)
    return Trend(tuple(columns.values()), tuple(points), team, config.min_group_size, ordered)


def _whole_groups(round_: Round) -> set[str]:
    """The groups a (pulse) round asks whole: only their scores compare with a full round's."""
    instrument = load_instrument()
    full = {g.id: len(g.elements) for mid in round_.modules
            for g in instrument.module(mid, round_.instrument_versions.get(mid)).groups}
    return {g.id for m in round_.instrument_modules() for g in m.groups if len(g.elements) == full.get(g.id)}
