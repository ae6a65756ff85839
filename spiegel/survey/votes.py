"""The focus vote: the facilitator opens it over a few candidates, each colleague gives up to three votes
on their phone through the team code, the facilitator closes it.

One set of votes per response: a ballot is keyed by a hash of the device's survey token (the same
device that answered the questionnaire), or of a vote-only token for a device that answered elsewhere;
the hash differs from the response's own token hash, so a ballot cannot be joined to a response. The
choices only add to per-candidate counters (models.Tally): nothing records who chose what.

The results show only once the vote is closed and at least the minimum group size voted: counts
watched while votes come in would tell what the latest voter chose, and so would counts of fewer
than the minimum.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from spiegel.rounds.models import RoundTeam
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey.models import VOTES_PER_PERSON, Ballot, Tally, Vote

MIN_CANDIDATES, MAX_CANDIDATES = 2, 12


def voter_hash(device_token: str) -> str:
    return hashlib.sha256(b"spiegel-vote\0" + device_token.encode()).hexdigest()


def vote_of(round_team_id: int) -> Vote | None:
    return db.session.scalar(select(Vote).where(Vote.round_team_id == round_team_id))


def open_vote(round_team: RoundTeam, candidates: Sequence[str]) -> Vote:
    """A new vote over ``candidates`` (element ids the caller checked), replacing any earlier one with
    its ballots and counts."""
    candidates = list(dict.fromkeys(candidates))
    if not MIN_CANDIDATES <= len(candidates) <= MAX_CANDIDATES:
        raise ValueError("number of candidates")
    db.session.execute(delete(Vote).where(Vote.round_team_id == round_team.id))
    vote = Vote(round_team_id=round_team.id, candidates=candidates, opened_at=utcnow(), closed_at=None)
    db.session.add(vote)
    db.session.flush()
    db.session.add_all(Tally(vote_id=vote.id, element_id=e, count=0) for e in candidates)
    db.session.commit()
    return vote


def close_vote(vote: Vote) -> None:
    if vote.closed_at is None:
        vote.closed_at = utcnow()
        db.session.commit()


def has_voted(vote: Vote, device_token: str | None) -> bool:
    if not device_token:
        return False
    return db.session.scalar(select(func.count(Ballot.id)).where(
        Ballot.vote_id == vote.id, Ballot.voter_hash == voter_hash(device_token))) > 0


def cast(vote: Vote, device_token: str, choices: Sequence[str]) -> bool:
    """Add this device's votes (1 to VOTES_PER_PERSON different candidates). False when the device has
    voted already or the vote is closed; ValueError for choices that are not candidates."""
    choices = list(dict.fromkeys(choices))
    if not 1 <= len(choices) <= VOTES_PER_PERSON or any(c not in vote.candidates for c in choices):
        raise ValueError("choices")
    if not vote.open:
        return False
    try:
        db.session.add(Ballot(vote_id=vote.id, voter_hash=voter_hash(device_token)))
        db.session.flush()
        # One statement per count, in the database: two phones voting at once both count.
        db.session.execute(update(Tally).where(Tally.vote_id == vote.id, Tally.element_id.in_(choices))
                           .values(count=Tally.count + 1))
        db.session.commit()
    except IntegrityError:  # this device voted already (a double tap, a second tab)
        db.session.rollback()
        return False
    return True


@dataclass(frozen=True)
class VoteResults:
    open: bool
    voters: int
    minimum: int
    shown: bool  # closed and at least the minimum voted
    counts: tuple[tuple[str, int], ...]  # (element id, votes), most first; empty unless shown


def results(vote: Vote) -> VoteResults:
    minimum = current_app.config["MIN_GROUP_SIZE"]
    voters = db.session.scalar(select(func.count(Ballot.id)).where(Ballot.vote_id == vote.id))
    shown = not vote.open and voters >= minimum
    counts: tuple[tuple[str, int], ...] = ()
    if shown:
        order = {e: i for i, e in enumerate(vote.candidates)}
        rows = db.session.execute(select(Tally.element_id, Tally.count).where(Tally.vote_id == vote.id)).all()
        counts = tuple(sorted(((e, c) for e, c in rows), key=lambda row: (-row[1], order.get(row[0], 0))))
    return VoteResults(vote.open, voters, minimum, shown, counts)
