"""Pulse rounds: at the end of a sprint, a team re-measures only its focus elements and the
sustainability indicators, in a few minutes on a phone (issue 18).

A pulse is an ordinary round of one team (``Round.kind == "pulse"``) whose ``pulse_elements`` name what
it asks: the same codes, slips, release rule and anonymity minimum as a full round, and its numbers come
through the same results service (spiegel.results.profiles). It never counts as a team's "previous round"
(that stays the last full round, with its plan), and the trend shows it next to the full rounds.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from spiegel.instrument.model import Module
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey import codes

MAX_ITEMS = 15  # under five minutes on a phone
PULSE_DAYS = 7
CODE_ATTEMPTS = 5


class PulseError(ValueError):
    """No pulse possible: no focus element of the round to re-measure."""


def pulse_elements(modules: Sequence[Module], focus: Iterable[str]) -> list[str]:
    """What a pulse asks: the focus elements whole (so their scores compare with the full rounds), then
    the sustainability indicators (the outcome groups) in questionnaire order while the pulse stays at
    most MAX_ITEMS items. Raises PulseError when no focus element is in these modules."""
    elements = {e.id: (e, g.kind) for m in modules for g in m.groups for e in g.elements}
    chosen = [e for e in dict.fromkeys(focus) if e in elements and elements[e][1] != "outcome"]
    if not chosen:
        raise PulseError("no focus element in this round")
    count = 0
    kept = []
    for element_id in chosen:
        size = len(elements[element_id][0].items)
        if count + size <= MAX_ITEMS:  # three focus points of at most four items always fit
            kept.append(element_id)
            count += size
    for element, kind in elements.values():
        if kind == "outcome" and count + len(element.items) <= MAX_ITEMS:
            kept.append(element.id)
            count += len(element.items)
    return kept


def item_count(round_: Round) -> int:
    return sum(1 for module in round_.instrument_modules() for _ in module.items())


def create_pulse(round_team: RoundTeam, focus: Iterable[str], name: str, now: datetime | None = None) -> RoundTeam:
    """A pulse round for this team, after the round ``round_team`` belongs to: its modules at the same
    versions, its access mode and language, open now for PULSE_DAYS days. Returns the pulse's round-team."""
    source = round_team.round
    elements = pulse_elements(source.instrument_modules(), focus)
    now = now or utcnow()
    modules = [m.id for m in source.instrument_modules() if m.only(elements).groups]
    for _ in range(CODE_ATTEMPTS):
        pulse = Round(school_id=source.school_id, name=name[:200], kind="pulse", pulse_elements=elements,
                      modules=modules, instrument_versions=dict(source.instrument_versions),
                      innovation_name=source.innovation_name, innovation_description=source.innovation_description,
                      opens_at=now, closes_at=now + timedelta(days=PULSE_DAYS), default_language=source.default_language,
                      sprint_count=source.sprint_count, sprint_weeks=source.sprint_weeks, access=source.access)
        created = RoundTeam(round=pulse, team_id=round_team.team_id, code=codes.new_team_code())
        db.session.add(created)
        try:
            db.session.commit()
            return created
        except IntegrityError:  # another worker drew the same code
            db.session.rollback()
    raise RuntimeError("could not store the pulse with a unique team code")


def team_pulses(team_id: int, after: datetime | None = None) -> list[RoundTeam]:
    """The team's pulse round-teams, oldest first (only those opened after ``after``, when given)."""
    query = (select(RoundTeam).join(Round, Round.id == RoundTeam.round_id)
             .where(RoundTeam.team_id == team_id, Round.kind == "pulse").order_by(Round.opens_at, Round.id))
    if after is not None:
        query = query.where(Round.opens_at > after)
    return list(db.session.scalars(query))


def focus_of(rounds: Iterable[Round], team) -> list[str]:
    """The focus elements the team re-measured in these rounds' pulses (not the indicators), first seen first."""
    found: dict[str, None] = {}
    for round_ in rounds:
        if round_.kind == "pulse" and any(rt.team_id == team.id for rt in round_.round_teams):
            for module in round_.instrument_modules():
                for group in module.groups:
                    if group.kind != "outcome":
                        found.update(dict.fromkeys(e.id for e in group.elements))
    return list(found)
