"""A focus-point vote of a team: colleagues vote on their phones through the team code.

Anonymous by construction: a :class:`Ballot` records only that a device (the hash of its survey token,
or of a vote-only token) has voted, so that each response votes once; the choices are added to the
:class:`Tally` counters and never stored with the ballot. No row links a person, a response or a ballot
to what it chose.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spiegel.rounds.models import RoundTeam
from spiegel.shared.extensions import db

VOTES_PER_PERSON = 3


class Vote(db.Model):
    """The team's current focus vote (one per round-team; opening a new one starts afresh)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_team_id: Mapped[int] = mapped_column(ForeignKey("round_team.id", ondelete="CASCADE"), unique=True)
    # Element ids the team votes on, in the order shown.
    candidates: Mapped[list[str]] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]

    round_team: Mapped[RoundTeam] = relationship()

    @property
    def open(self) -> bool:
        return self.closed_at is None


class Ballot(db.Model):
    """That a device voted, nothing more (see the module docstring)."""

    __table_args__ = (UniqueConstraint("vote_id", "voter_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("vote.id", ondelete="CASCADE"), index=True)
    voter_hash: Mapped[str] = mapped_column(String(64))


class Tally(db.Model):
    """How many votes a candidate has."""

    __table_args__ = (UniqueConstraint("vote_id", "element_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("vote.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(default=0)
