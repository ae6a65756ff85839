"""Rounds ("afnames"): create and change them, open, close and reopen them, count who answers,
delete them and purge old raw responses.

Each function is one short transaction (nothing half-saved). Scope checks happen in the views.
"""
from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import case, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from spiegel.instrument import load_instrument
from spiegel.org.models import School, Team
from spiegel.org.services import delete_responses

# The public door to the trend (the mirror's focus points) and to pulse rounds (the plan, the mirror).
from spiegel.rounds.comparison import trend as trend
from spiegel.rounds.models import Round, RoundTeam, Slip
from spiegel.rounds.pulse import PULSE_DAYS as PULSE_DAYS
from spiegel.rounds.pulse import PulseError as PulseError
from spiegel.rounds.pulse import create_pulse as create_pulse
from spiegel.rounds.pulse import focus_of as focus_of
from spiegel.rounds.pulse import team_pulses as team_pulses
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.shared.hashing import digest
from spiegel.survey import codes
from spiegel.survey.models import Response

CODE_ATTEMPTS = 5
SPRINT_COUNT = (1, 6)
SPRINT_WEEKS = (2, 12)


class RoundError(ValueError):
    """A change that cannot be made (the view turns it into a form error)."""


@dataclass(frozen=True)
class RoundData:
    """What the round form collects. Datetimes are naive UTC."""

    name: str
    innovation_name: str
    innovation_description: str
    opens_at: datetime
    closes_at: datetime
    default_language: str
    modules: Sequence[str]
    team_ids: Sequence[int]
    sprint_count: int = 3
    sprint_weeks: int = 6
    access: str = "team"


ACCESS_MODES = ("team", "personal")


def _access(mode: str) -> str:
    if mode not in ACCESS_MODES:
        raise RoundError("unknown access mode")
    return mode


def make_slips(round_team: RoundTeam, count: int) -> list[str]:
    """``count`` new single-use personal codes for a team of a personal-code round, to print once:
    only their hashes are stored, and nothing records who gets which."""
    slips = [codes.new_slip_code() for _ in range(count)]
    db.session.execute(insert(Slip), [{"round_team_id": round_team.id, "code_hash": digest(slip)} for slip in slips])
    db.session.commit()
    return slips


def module_choices() -> list:
    """The current instrument's modules a round may choose (the optional ones too), in questionnaire order."""
    return load_instrument().current(optional=True)


def _ordered_modules(module_ids: Iterable[str]) -> list:
    wanted = set(module_ids)
    modules = [m for m in module_choices() if m.id in wanted]
    if len(modules) != len(wanted) or not modules:
        raise RoundError("unknown module")
    return modules


def _school_teams(school: School, team_ids: Iterable[int]) -> list[Team]:
    ids = set(team_ids)
    teams = db.session.scalars(select(Team).where(Team.school_id == school.id, Team.id.in_(ids))
                               .order_by(Team.name)).all() if ids else []
    if len(teams) != len(ids) or not teams:
        raise RoundError("teams of another school, or none")
    return list(teams)


def _fresh_code(taken: set[str]) -> str:
    """A team code not in use (checked against the database and this batch); the unique constraint
    still guards against a race, see create_round."""
    for _ in range(20):
        code = codes.new_team_code()
        if code not in taken and db.session.scalar(select(RoundTeam.id).where(RoundTeam.code == code)) is None:
            taken.add(code)
            return code
    raise RuntimeError("could not draw an unused team code")


def _check_window(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise RoundError("closes before it opens")


def _check_sprints(count: int, weeks: int) -> None:
    if not (SPRINT_COUNT[0] <= count <= SPRINT_COUNT[1] and SPRINT_WEEKS[0] <= weeks <= SPRINT_WEEKS[1]):
        raise RoundError("sprint defaults out of bounds")


def create_round(school: School, data: RoundData) -> Round:
    """A new round with a unique code per taking-part team, recording the instrument versions of
    the current instrument. A code collision at commit (another worker drew the same code) retries
    the whole round with new codes."""
    modules = _ordered_modules(data.modules)
    teams = _school_teams(school, data.team_ids)
    _check_window(data.opens_at, data.closes_at)
    _check_sprints(data.sprint_count, data.sprint_weeks)
    school_id = school.id
    for _ in range(CODE_ATTEMPTS):
        taken: set[str] = set()
        round_ = Round(
            school_id=school_id, name=_clean(data.name), modules=[m.id for m in modules],
            instrument_versions={m.id: m.version for m in modules},
            innovation_name=_clean(data.innovation_name),
            innovation_description=(data.innovation_description or "").strip(),
            opens_at=data.opens_at, closes_at=data.closes_at, default_language=data.default_language,
            sprint_count=data.sprint_count, sprint_weeks=data.sprint_weeks, access=_access(data.access),
            round_teams=[RoundTeam(team_id=team.id, code=_fresh_code(taken)) for team in teams])
        db.session.add(round_)
        try:
            db.session.commit()
            return round_
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not store the round with unique team codes")


def update_round(round_: Round, data: RoundData) -> Round:
    """Change a round. Modules stay as they are once answers came in; teams with answers stay in;
    new teams get codes."""
    modules = _ordered_modules(data.modules)
    _check_window(data.opens_at, data.closes_at)
    _check_sprints(data.sprint_count, data.sprint_weeks)
    teams = _school_teams(round_.school, data.team_ids)
    answered = teams_with_responses(round_)
    module_ids = [m.id for m in modules]
    if answered and module_ids != list(round_.modules):
        raise RoundError("modules cannot change after answers came in")
    wanted = {team.id for team in teams}
    if answered - wanted:
        raise RoundError("a team with answers cannot leave the round")
    for _ in range(CODE_ATTEMPTS):
        round_.name = _clean(data.name)
        round_.innovation_name = _clean(data.innovation_name)
        round_.innovation_description = (data.innovation_description or "").strip()
        round_.opens_at, round_.closes_at = data.opens_at, data.closes_at
        round_.default_language = data.default_language
        round_.sprint_count, round_.sprint_weeks = data.sprint_count, data.sprint_weeks
        round_.access = _access(data.access)
        if module_ids != list(round_.modules):
            round_.modules = module_ids
            round_.instrument_versions = {m.id: m.version for m in modules}
        present = {rt.team_id: rt for rt in round_.round_teams}
        for team_id, round_team in present.items():
            if team_id not in wanted:
                round_.round_teams.remove(round_team)
                db.session.delete(round_team)
        taken: set[str] = set()
        for team in teams:
            if team.id not in present:
                round_.round_teams.append(RoundTeam(team_id=team.id, code=_fresh_code(taken)))
        try:
            db.session.commit()
            return round_
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not store the round with unique team codes")


def teams_with_responses(round_: Round) -> set[int]:
    """Team ids of the round that have at least one response (started or submitted)."""
    return set(db.session.scalars(
        select(RoundTeam.team_id).join(Response, Response.round_team_id == RoundTeam.id)
        .where(RoundTeam.round_id == round_.id).distinct()))


# -- open, close, reopen --------------------------------------------------------------------------

def open_now(round_: Round, now: datetime | None = None) -> None:
    """Open an upcoming round now (a closed one is reopened with a new closing date instead)."""
    now = now or utcnow()
    if round_.status(now) != "upcoming":
        raise RoundError("only an upcoming round can be opened now")
    round_.opens_at = now
    db.session.commit()


def close_now(round_: Round, now: datetime | None = None) -> None:
    """Close the round now: no new answers from this moment."""
    now = now or utcnow()
    if round_.status(now) == "closed":
        raise RoundError("already closed")
    round_.opens_at = min(round_.opens_at, now)
    round_.closes_at = now
    db.session.commit()


def reopen(round_: Round, closes_at: datetime, now: datetime | None = None) -> None:
    """Reopen a closed round until a new closing moment in the future."""
    now = now or utcnow()
    if round_.status(now) != "closed":
        raise RoundError("only a closed round can be reopened")
    if closes_at <= now:
        raise RoundError("the new closing date is in the past")
    round_.opens_at = min(round_.opens_at, now)
    round_.closes_at = closes_at
    db.session.commit()


# -- counts (numbers only, never answers) ---------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    started: int = 0  # every response begun, submitted or not
    submitted: int = 0


def response_counts(round_ids: Iterable[int]) -> dict[int, Counts]:
    """Round-team id → how many respondents started and submitted, for these rounds, in one query.
    Numbers for the code: what staff see of them goes through shown_count / shown_total."""
    ids = list(round_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(RoundTeam.id, func.count(Response.id), func.count(Response.submitted_on))
        .outerjoin(Response, Response.round_team_id == RoundTeam.id)
        .where(RoundTeam.round_id.in_(ids)).group_by(RoundTeam.id))
    return {round_team_id: Counts(started, submitted) for round_team_id, started, submitted in rows}


@dataclass(frozen=True)
class RoundTotals:
    """A round's counts as staff may see them: ``started`` and ``submitted`` add up only the teams that
    reach the minimum group size; ``*_hidden`` count the teams below it (shown as "fewer than N"), so
    that a total minus the teams shown never gives a small team's number."""
    teams: int = 0
    started: int = 0
    submitted: int = 0
    started_hidden: int = 0
    submitted_hidden: int = 0


def round_totals(round_ids: Iterable[int]) -> dict[int, RoundTotals]:
    """Round id → teams taking part and respondents who started / submitted, in one query."""
    ids = list(round_ids)
    if not ids:
        return {}
    minimum = current_app.config["MIN_GROUP_SIZE"]
    per_team = (select(RoundTeam.round_id, func.count(Response.id).label("started"),
                       func.count(Response.submitted_on).label("submitted"))
                .outerjoin(Response, Response.round_team_id == RoundTeam.id)
                .where(RoundTeam.round_id.in_(ids)).group_by(RoundTeam.round_id, RoundTeam.id).subquery())
    shown = [func.sum(case((column >= minimum, column), else_=0)) for column in (per_team.c.started, per_team.c.submitted)]
    hidden = [func.sum(case((column < minimum, 1), else_=0)) for column in (per_team.c.started, per_team.c.submitted)]
    rows = db.session.execute(select(per_team.c.round_id, func.count(), shown[0], shown[1], hidden[0], hidden[1])
                              .group_by(per_team.c.round_id))
    return {round_id: RoundTotals(*map(int, values)) for round_id, *values in rows}


def team_totals(counts: Iterable[Counts]) -> RoundTotals:
    """RoundTotals from per-team counts already loaded."""
    counts = list(counts)
    minimum = current_app.config["MIN_GROUP_SIZE"]
    return RoundTotals(len(counts), sum(c.started for c in counts if c.started >= minimum),
                       sum(c.submitted for c in counts if c.submitted >= minimum),
                       sum(1 for c in counts if c.started < minimum), sum(1 for c in counts if c.submitted < minimum))


def round_teams(round_: Round) -> list[RoundTeam]:
    """The round's teams, by team name, each with its team loaded (pages list their names: no query per row)."""
    return list(db.session.scalars(select(RoundTeam).join(Team, RoundTeam.team_id == Team.id)
                                   .options(contains_eager(RoundTeam.team))
                                   .where(RoundTeam.round_id == round_.id).order_by(Team.name, RoundTeam.id)))


# -- delete and purge -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RoundContents:
    teams: int
    responses: int


def round_contents(round_: Round) -> RoundContents:
    counts = response_counts([round_.id])
    return RoundContents(len(counts), sum(c.started for c in counts.values()))


def delete_round(round_: Round) -> RoundContents:
    """Delete a round, its team codes and every response and answer in it, for good."""
    contents = round_contents(round_)
    delete_responses(select(RoundTeam.id).where(RoundTeam.round_id == round_.id))
    db.session.delete(round_)
    db.session.commit()
    return contents


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the last day of a shorter month)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class Purged:
    round_id: int
    round_name: str
    school_name: str
    closed_at: datetime
    responses: int


def purge_expired(months: int, now: datetime | None = None, dry_run: bool = False) -> list[Purged]:
    """Delete the raw responses (answers, open answers) of rounds closed more than ``months`` months
    ago. Rounds, teams and codes stay; so do plans. Returns what was (or, dry run, would be) deleted."""
    if months < 1:
        raise ValueError("the retention period is at least one month")
    now = now or utcnow()
    cutoff = months_before(now, months)
    rows = db.session.execute(
        select(Round.id, Round.name, School.name, Round.closes_at, func.count(Response.id))
        .join(School, Round.school_id == School.id)
        .join(RoundTeam, RoundTeam.round_id == Round.id)
        .join(Response, Response.round_team_id == RoundTeam.id)
        .where(Round.closes_at < cutoff)
        .group_by(Round.id, Round.name, School.name, Round.closes_at)
        .order_by(Round.closes_at, Round.id)).all()
    found = [Purged(*row) for row in rows]
    if found and not dry_run:
        ids = [p.round_id for p in found]
        delete_responses(select(RoundTeam.id).where(RoundTeam.round_id.in_(ids)))
        db.session.commit()
    return found


def _clean(text: str) -> str:
    return " ".join((text or "").split())
