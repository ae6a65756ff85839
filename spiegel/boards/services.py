"""The view across a board's schools: per school its latest results (condition groups or pillars), how
many teams they stand on, the change since the school's previous results, and the board mean.

Every number comes from the results service (:func:`spiegel.results.profiles.school_results_of`), which
decides which results may be seen (released ones); nothing here reads answers. A school whose results
stand on fewer shown teams than the minimum group size shows no number (its mean would be one or two
teams' own), and never enters the board mean; neither does a unit fewer teams answered.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import fmean

from flask import current_app
from sqlalchemy import select

from spiegel.instrument import load_instrument
from spiegel.org.models import Board, School
from spiegel.results.profiles import SchoolResults, school_results_of
from spiegel.rounds.models import Round
from spiegel.scoring import shown
from spiegel.shared.extensions import db

VIEWS = ("groups", "pillars")
# How many of a school's most recent rounds are looked at for its latest and previous results.
LOOKBACK = 4


@dataclass(frozen=True)
class Column:
    label: str
    name: Mapping[str, str]


@dataclass(frozen=True)
class Results:
    """One school's results in one round: unit → school mean (only units enough teams answered)."""

    round: Round
    shown_teams: int
    means: Mapping[str, float]


@dataclass(frozen=True)
class SchoolRow:
    school: School
    latest: Results | None = None
    previous: Results | None = None
    values: Mapping[str, float] = field(default_factory=dict)
    deltas: Mapping[str, float] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return bool(self.values)


@dataclass(frozen=True)
class BoardResults:
    board: Board
    view: str
    columns: tuple[Column, ...]
    rows: tuple[SchoolRow, ...]
    mean: Mapping[str, float]      # board mean over the schools shown, latest results
    change: Mapping[str, float]    # mean change since the previous results, over schools with both
    schools_in_mean: Mapping[str, int]
    min_group_size: int


def columns(view: str) -> tuple[Column, ...]:
    """Condition groups, or the pillars (elements), of the current instrument: stable ids, so rounds
    asked with earlier versions line up."""
    modules = load_instrument().current()
    if view == "pillars":
        return tuple(Column(e.id, e.name) for m in modules for g in m.groups if g.kind == "pillars"
                     for e in g.elements if e.polarity == "unipolar")
    return tuple(Column(g.id, g.name) for m in modules for g in m.groups if g.kind == "condition")


def _results(round_: Round, results: SchoolResults | None, labels: list[str], minimum: int) -> Results | None:
    """The school's results in this round as the results service gives them, or None when it gives
    none (nothing released, no team shown)."""
    if results is None:
        return None
    shown = results.shown_teams
    if not shown:
        return None
    summary = results.summary
    means = {label: summary.means[label] for label in labels
             if label in summary.means and summary.teams.get(label, 0) >= minimum}
    return Results(round_, shown, means if shown >= minimum else {})


def board_results(board: Board, view: str, now) -> BoardResults:
    view = view if view in VIEWS else VIEWS[0]
    cols = columns(view)
    labels = [c.label for c in cols]
    minimum = current_app.config["MIN_GROUP_SIZE"]
    schools = db.session.scalars(select(School).where(School.board_id == board.id, School.archived.is_(False))
                                 .order_by(School.name, School.id)).all()
    rounds: dict[int, list[Round]] = {s.id: [] for s in schools}
    if schools:
        for round_ in db.session.scalars(select(Round).where(Round.school_id.in_(rounds), Round.opens_at <= now)
                                         .order_by(Round.opens_at.desc(), Round.id.desc())):
            rounds[round_.school_id].append(round_)
    # every round looked at, from the results service at once (a fixed number of queries)
    scored = school_results_of(round_.id for school_rounds in rounds.values() for round_ in school_rounds[:LOOKBACK])
    rows = []
    for school in schools:
        found = []
        for round_ in rounds[school.id][:LOOKBACK]:
            if (results := _results(round_, scored.get(round_.id), labels, minimum)) is not None:
                found.append(results)
                if len(found) == 2:
                    break
        latest, previous = (found + [None, None])[:2]
        values = dict(latest.means) if latest else {}
        # as the reader computes it from the printed means (spiegel.scoring.shown)
        deltas = {label: shown.difference(values[label], previous.means[label]) for label in values
                  if previous is not None and label in previous.means}
        rows.append(SchoolRow(school, latest, previous, values, deltas))
    mean, change, counted = {}, {}, {}
    for label in labels:
        if current := [r.values[label] for r in rows if label in r.values]:
            mean[label], counted[label] = fmean(current), len(current)
        if deltas := [r.deltas[label] for r in rows if label in r.deltas]:
            change[label] = fmean(deltas)
    return BoardResults(board, view, cols, tuple(rows), mean, change, counted, minimum)
