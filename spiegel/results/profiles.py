"""Scored profiles of a round: load the released answers, hand them to the pure scoring package.

This module is the door to every shown result (mirror, plan, comparison, trend, exports, PDFs).

**Results are released, not live.** Only submitted responses count (``Response.submitted_on`` set), and
of those only the ones in the team's released snapshot (``Response.released``). A team's results are
visible once its round has closed or its facilitator or a leader released them early
(``RoundTeam.released_at``); from then on the snapshot takes in newly submitted responses only when at
least the minimum group size of them has come in. So two looks at the results, a day apart, never
differ by fewer than the minimum of responses: no one can work out what the newest respondent
answered (8·m₈ − 7·m₇), nor unmask a team hidden below the minimum by adding a response or two. A group inside the snapshot
(a role subgroup, the respondents with a value on one item, the school's leaders) can still grow by one
or two: each response keeps the release step it came in with (``Response.released_in``, numbered
across teams) and scoring hides such a group's figures (:mod:`spiegel.scoring.growth`). Loading takes a fixed
number of queries, however many teams and respondents:
the round, its teams, every answer of the round (one joined query), the teams' previous rounds, and
every answer of those. The previous round of a team is the latest round of the same school that closed
before this round opened and included that team; it is scored with its own instrument version.

The school comparison needs every team of the round, so :func:`team_profile` scores the whole round
and returns one team (a round of 30 teams scores in well under a second).
"""
from __future__ import annotations

import copyreg
import hashlib
import json
import pickle
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from threading import Lock
from types import MappingProxyType

from flask import current_app
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from spiegel.instrument.model import Module
from spiegel.rounds.models import Round, RoundTeam, ScoredRound
from spiegel.scoring import (
    Profile,
    ResponseData,
    RoundResult,
    SchoolSummary,
    ScoringConfig,
    TeamResult,
    score_profiles,
    score_round,
)
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, OpenAnswer, Response


@dataclass(frozen=True)
class RoundProfiles:
    """Every team of a round, scored. ``result.teams`` is keyed by round-team id."""

    round_id: int
    modules: tuple[Module, ...]
    team_ids: Mapping[int, int]  # round-team id → team id
    result: RoundResult[int]
    released: frozenset[int] = frozenset()  # round-team ids whose results are visible

    def is_released(self, round_team_id: int) -> bool:
        return round_team_id in self.released

    @property
    def teams(self) -> Mapping[int, TeamResult]:
        return self.result.teams


def scoring_config() -> ScoringConfig:
    """Thresholds from the app configuration (MIN_GROUP_SIZE, BAND_HIGH, ...; see ScoringConfig)."""
    return ScoringConfig.from_mapping(current_app.config)


def round_profiles(round_id: int) -> RoundProfiles:
    """Score every team of a round against the school's other teams and its previous rounds (or read
    the stored scoring of the same released results). Raises LookupError for an unknown round."""
    prepared = _prepare(round_id, ScoredRound.result)
    result = _stored(prepared)
    if result is None:
        result = _score(prepared)
    return RoundProfiles(round_id, prepared.modules, prepared.team_ids, result, frozenset(prepared.released))


@dataclass(frozen=True)
class SchoolResults:
    summary: SchoolSummary
    shown_teams: int  # teams whose results are shown (released and at least the minimum)


def school_results(round_id: int) -> SchoolResults:
    """A round's school means and how many of its teams show results, for views across schools:
    the stored summary, without loading every team's results. Raises LookupError for an unknown round."""
    return school_results_of([round_id])[round_id]


def school_results_of(round_ids: Iterable[int]) -> dict[int, SchoolResults]:
    """:func:`school_results` of several rounds (unknown ones left out), prepared together: a fixed
    number of queries, however many rounds, unless some must be scored again."""
    results = {}
    for round_id, prepared in _prepare_many(round_ids, ScoredRound.summary).items():
        stored = _stored(prepared)
        results[round_id] = stored if stored is not None else _summary(_score(prepared))
    return results


@dataclass(frozen=True)
class _Stored:
    version: str
    blob: bytes  # the pickled result or summary


@dataclass
class _Prepared:
    round: Round
    config: ScoringConfig
    team_ids: dict[int, int]
    released: set[int]
    earlier: dict[int, tuple[int, Round]]
    released_before: set[int]
    modules: tuple[Module, ...]
    version: str
    stored: _Stored | None


def _prepare(round_id: int, stored_column) -> _Prepared:
    """Everything but the scoring: the releases brought up to date, what a stored scoring must match,
    and the stored scoring's version with one of its pickles (``stored_column``: result or summary)."""
    prepared = _prepare_many([round_id], stored_column)
    if round_id not in prepared:
        raise LookupError(f"no round {round_id}")
    return prepared[round_id]


def _prepare_many(round_ids: Iterable[int], stored_column) -> dict[int, _Prepared]:
    """:func:`_prepare` for several rounds in the same seven queries (one more when a release grows)."""
    wanted = list(round_ids)
    if not wanted:
        return {}
    rounds = {r.id: r for r in db.session.scalars(select(Round).where(Round.id.in_(wanted)))}
    team_ids: dict[int, dict[int, int]] = {round_id: {} for round_id in rounds}
    for round_id, round_team_id, team_id in db.session.execute(
            select(RoundTeam.round_id, RoundTeam.id, RoundTeam.team_id)
            .where(RoundTeam.round_id.in_(rounds)).order_by(RoundTeam.id)) if rounds else ():
        team_ids[round_id][round_team_id] = team_id
    released = refresh_releases(i for teams in team_ids.values() for i in teams)
    earlier = _previous_round_teams_many(list(rounds.values()), {i: teams.values() for i, teams in team_ids.items()})
    released_before = refresh_releases(i for found in earlier.values() for i, _ in found.values())
    involved = {i for teams in team_ids.values() for i in teams} | {
        i for found in earlier.values() for i, _ in found.values()}
    counts = {row[0]: list(row[1:]) for row in db.session.execute(
        select(Response.round_team_id, func.count(Response.id), func.max(Response.id))
        .where(Response.round_team_id.in_(involved), Response.released.is_(True))
        .group_by(Response.round_team_id))} if involved else {}
    stored = {round_id: _Stored(version, blob) for round_id, version, blob in db.session.execute(
        select(ScoredRound.round_id, ScoredRound.version, stored_column).where(ScoredRound.round_id.in_(rounds)))}
    config = scoring_config()
    return {round_id: _Prepared(
        round_, config, team_ids[round_id], released & team_ids[round_id].keys(), earlier[round_id],
        released_before & {i for i, _ in earlier[round_id].values()}, tuple(round_.instrument_modules()),
        _version(round_, team_ids[round_id], earlier[round_id], config, counts), stored.get(round_id))
        for round_id, round_ in rounds.items()}


def _score(prepared: _Prepared) -> RoundResult:
    responses = load_responses(prepared.released)
    teams = {round_team_id: responses.get(round_team_id, []) for round_team_id in prepared.team_ids}
    previous = previous_profiles(prepared.team_ids, prepared.earlier, prepared.released_before, prepared.config)
    result = score_round(prepared.modules, teams, prepared.config, previous=previous)
    _store(prepared, result)
    return result


def _summary(result: RoundResult) -> SchoolResults:
    return SchoolResults(result.school, sum(1 for team in result.teams.values() if team.profile.shown))


def _version(round_: Round, team_ids: Mapping[int, int], earlier: Mapping[int, tuple[int, Round]],
             config: ScoringConfig, released: Mapping[int, list[int]]) -> str:
    """What a round's scored results are computed from, as a hash: its modules and teams, each team's
    released responses (``released``: round-team id → [their number, the highest id]; released ones
    only ever grow, so these name them), the previous rounds compared with, the settings and the
    scoring code itself."""
    involved = [*team_ids, *(round_team_id for round_team_id, _ in earlier.values())]
    facts = {
        "round": [round_.id, list(round_.modules), round_.instrument_versions],
        "teams": sorted(team_ids.items()),
        "released": sorted([i, *released[i]] for i in involved if i in released),
        "previous": sorted([team_id, round_team_id, earlier_round.id, earlier_round.instrument_versions]
                           for team_id, (round_team_id, earlier_round) in earlier.items()),
        "config": asdict(config),
        "code": _scoring_code(),
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()


@cache
def _scoring_code() -> str:
    """The scoring package, the item bank and this module (it defines the stored SchoolResults) as they
    are in this process: a new release of any of them scores every round again."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "scoring").rglob("*.*"), *(root / "instrument").rglob("*.*"),
                        Path(__file__).resolve()]):
        if path.suffix in (".py", ".yaml", ".yml", ".json"):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _proxy(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


# Scored results use read-only mappings (results.EMPTY); they are stored as plain dicts.
copyreg.pickle(MappingProxyType, lambda mapping: (_proxy, (dict(mapping),)))


def _stored(prepared: _Prepared):
    """The stored scoring's objects if it is of the current version and still loads, else None: a
    scoring pickled by an older release whose classes have moved or gone is scored again (and
    replaced), never an error."""
    if prepared.stored is None or prepared.stored.version != prepared.version:
        return None
    try:
        return _unpickled(prepared.stored.blob)
    except Exception:  # whatever an old pickle raises: ImportError, AttributeError, TypeError, …
        current_app.logger.warning("stored scoring of round %s does not load: scored again", prepared.round.id)
        return None


_UNPICKLED: OrderedDict[bytes, object] = OrderedDict()  # digest of a stored pickle → its objects
_UNPICKLED_MAX = 64  # rounds (a 10-team round's results take about 1.2 MB)
_UNPICKLED_LOCK = Lock()


def _unpickled(blob: bytes):
    """A stored scoring's objects, unpickled once per process: unpickling a 10-team round (7,500 frozen
    dataclasses) took 28 ms of CPU of every compare, export and mirror request, twice that on a trend.
    Scored results are immutable, and the key is the stored bytes' digest, so a new scoring is never
    answered with an old one (whatever database or test the bytes came from)."""
    key = hashlib.blake2b(blob, digest_size=20).digest()
    with _UNPICKLED_LOCK:
        if key in _UNPICKLED:
            _UNPICKLED.move_to_end(key)
            return _UNPICKLED[key]
    value = pickle.loads(blob)
    with _UNPICKLED_LOCK:
        _UNPICKLED[key] = value
        while len(_UNPICKLED) > _UNPICKLED_MAX:
            _UNPICKLED.popitem(last=False)
    return value


def _store(prepared: _Prepared, result: RoundResult) -> None:
    """Keep the scored round (only this app writes the row, so unpickling it is safe). Two requests
    scoring the same round at once both store the same result: the second one's write may fail, and
    that is fine."""
    values = {"version": prepared.version, "result": pickle.dumps(result, protocol=5),
              "summary": pickle.dumps(_summary(result), protocol=5)}
    try:
        if prepared.stored is None:
            db.session.execute(insert(ScoredRound).values(round_id=prepared.round.id, **values))
        else:
            db.session.execute(update(ScoredRound).where(ScoredRound.round_id == prepared.round.id).values(**values))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def refresh_releases(round_team_ids: Iterable[int]) -> set[int]:
    """Bring the released snapshots of these round teams up to date (see the module docstring) and
    return the ids of those whose results are visible. Two queries, and one write when a snapshot
    grows."""
    ids = list(round_team_ids)
    if not ids:
        return set()
    now = utcnow()
    pending = func.count(Response.id).filter(Response.submitted_on.is_not(None), Response.released.is_(False))
    released = func.count(Response.id).filter(Response.released.is_(True))
    rows = db.session.execute(
        select(RoundTeam.id, RoundTeam.released_at, Round.closes_at, pending, released)
        .join(Round, Round.id == RoundTeam.round_id)
        .outerjoin(Response, Response.round_team_id == RoundTeam.id)
        .where(RoundTeam.id.in_(ids))
        .group_by(RoundTeam.id, RoundTeam.released_at, Round.closes_at)).all()
    minimum = current_app.config["MIN_GROUP_SIZE"]
    visible, grow = set(), []
    for round_team_id, released_at, closes_at, waiting, shown in rows:
        if released_at is None and closes_at > now:
            continue
        visible.add(round_team_id)
        if waiting and (shown == 0 or waiting >= minimum):
            grow.append(round_team_id)
    if grow:
        # Each growth is a new step, numbered across all teams (the highest so far + 1, taken in the same
        # statement): the school leaders' pool mixes teams, and scoring replays its figures in the order
        # the steps happened (spiegel.scoring.growth).
        step = select(func.coalesce(func.max(Response.released_in), 0) + 1).scalar_subquery()
        db.session.execute(update(Response).where(Response.round_team_id.in_(grow), Response.submitted_on.is_not(None),
                                                  Response.released.is_(False)).values(released=True, released_in=step))
        db.session.commit()
    return visible


def release_early(round_team: RoundTeam) -> None:
    """The facilitator or a leader shows the team its results before the round closes."""
    if round_team.released_at is None:
        round_team.released_at = utcnow()
        db.session.commit()
    refresh_releases([round_team.id])


def team_profile(round_team_id: int) -> TeamResult:
    """One team's scored result (its round is scored as a whole for the school comparison).
    Raises LookupError for an unknown round team."""
    round_id = db.session.scalar(select(RoundTeam.round_id).where(RoundTeam.id == round_team_id))
    if round_id is None:
        raise LookupError(f"no round team {round_team_id}")
    return round_profiles(round_id).teams[round_team_id]


def load_responses(round_team_ids: Iterable[int]) -> dict[int, list[ResponseData]]:
    """The released responses of these round teams with their answers, in one query:
    round-team id → responses (ordered by response id; sorted here, not in SQL, where an ORDER BY made
    SQLite scan the whole response table instead of using its round-team index). Callers refresh the
    releases first."""
    ids = list(round_team_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Response.id, Response.round_team_id, Response.role, Response.phase, Response.released_in,
               Answer.item_id, Answer.value)
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.round_team_id.in_(ids), Response.submitted_on.is_not(None), Response.released.is_(True))
    )
    heads: dict[int, tuple[int, str, str | None, int | None]] = {}
    answers: dict[int, dict[str, int | None]] = defaultdict(dict)
    for response_id, round_team_id, role, phase, step, item_id, value in rows:
        heads.setdefault(response_id, (round_team_id, role, phase, step))
        if item_id is not None:  # a submitted response without answers still counts in the team
            answers[response_id][item_id] = value
    by_team: dict[int, list[ResponseData]] = defaultdict(list)
    for response_id in sorted(heads):
        round_team_id, role, phase, step = heads[response_id]
        by_team[round_team_id].append(ResponseData(role, answers.get(response_id, {}), phase, step or 1))
    return dict(by_team)


def open_answers_shown(round_team_id: int) -> dict[str, tuple[str, ...]]:
    """Question id → the team's released answers to it, for the questions that at least the minimum
    group size answered; the others are absent (hidden). Alphabetical, so the order says nothing about
    who answered when. Callers refresh the release first, as for scores (round_profiles does): the
    mirror shows them only with its scores."""
    minimum = current_app.config["MIN_GROUP_SIZE"]
    return {question_id: tuple(sorted(texts, key=str.casefold))
            for question_id, texts in _released_open_answers(round_team_id).items() if len(texts) >= minimum}


def _released_open_answers(round_team_id: int) -> dict[str, list[str]]:
    """Question id → the texts of the team's released responses."""
    rows = db.session.execute(
        select(OpenAnswer.question_id, OpenAnswer.text)
        .join(Response, Response.id == OpenAnswer.response_id)
        .where(Response.round_team_id == round_team_id, Response.submitted_on.is_not(None), Response.released.is_(True)))
    answers: dict[str, list[str]] = defaultdict(list)
    for question_id, text in rows:
        if text and text.strip():
            answers[question_id].append(text.strip())
    return answers


def previous_round_of(round_team: RoundTeam) -> tuple[int, Round] | None:
    """(round-team id, round) of the team's previous round (see previous_round_teams), or None."""
    return previous_round_teams(round_team.round, [round_team.team_id]).get(round_team.team_id)


def previous_round_teams(round_: Round, team_ids: Iterable[int]) -> dict[int, tuple[int, Round]]:
    """For each team: (round-team id, round) of its latest earlier round at the same school, i.e. a
    full round (not a pulse) that closed before this one opened and included the team. Teams without
    one are absent."""
    return _previous_round_teams_many([round_], {round_.id: team_ids})[round_.id]


def _previous_round_teams_many(rounds: list[Round], team_ids: Mapping[int, Iterable[int]]
                               ) -> dict[int, dict[int, tuple[int, Round]]]:
    """:func:`previous_round_teams` of several rounds (``team_ids``: round id → team ids), one query."""
    wanted = {round_.id: set(team_ids[round_.id]) for round_ in rounds}
    everyone = set().union(*wanted.values())
    found: dict[int, dict[int, tuple[int, Round]]] = {round_.id: {} for round_ in rounds}
    if not everyone:
        return found
    rows = db.session.execute(
        select(RoundTeam.team_id, RoundTeam.id, Round)
        .join(Round, Round.id == RoundTeam.round_id)
        .where(Round.school_id.in_({r.school_id for r in rounds}), Round.closes_at < max(r.opens_at for r in rounds),
               Round.kind == "full", RoundTeam.team_id.in_(everyone))
        .order_by(Round.closes_at, Round.opens_at, Round.id)
    ).all()
    for round_ in rounds:
        latest = found[round_.id]
        for team_id, round_team_id, earlier in rows:  # oldest first: the last one wins
            if (team_id in wanted[round_.id] and earlier.school_id == round_.school_id
                    and earlier.closes_at < round_.opens_at and earlier.id != round_.id):
                latest[team_id] = (round_team_id, earlier)
    return found


def previous_profiles(team_ids: Mapping[int, int], earlier: Mapping[int, tuple[int, Round]], released: Iterable[int],
                      config: ScoringConfig) -> dict[int, Profile]:
    """Current round-team id → the team's profile in its previous round (``earlier``: see
    previous_round_teams; ``released``: those of its round teams whose results are visible)."""
    responses = load_responses(released)
    by_round: dict[int, tuple[Round, dict[int, list[ResponseData]]]] = {}
    for current_id, team_id in team_ids.items():
        if team_id in earlier:
            round_team_id, previous_round = earlier[team_id]
            _, teams = by_round.setdefault(previous_round.id, (previous_round, {}))
            teams[current_id] = responses.get(round_team_id, [])
    profiles: dict[int, Profile] = {}
    for previous_round, teams in by_round.values():
        profiles.update(score_profiles(previous_round.instrument_modules(), teams, config))
    return profiles
