"""What respondents leave behind. Deliberately no name, e-mail, IP address or fine timestamp."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, SmallInteger, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spiegel.rounds.models import RoundTeam
from spiegel.shared.db import MAX_ID
from spiegel.shared.extensions import db

ROLES = ("teacher", "leader", "support", "other")


class Response(db.Model):
    __table_args__ = (UniqueConstraint("round_team_id", "resume_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_team_id: Mapped[int] = mapped_column(ForeignKey("round_team.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    # Index of the page the respondent is on; they resume here.
    page: Mapped[int] = mapped_column(default=0)
    phase: Mapped[str | None] = mapped_column(String(10))
    # SHA-256 of the secret in the respondent's cookie, and of the short resume code shown on screen.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    resume_hash: Mapped[str] = mapped_column(String(64))
    submitted_on: Mapped[date | None]
    # The highest page number this response saved answers on: the pages after it are shown blank without
    # looking for answers. A response the respondent flow did not create (demo data, imports) may have
    # answers anywhere, hence the largest number by default; the flow starts its own at -1.
    furthest_page: Mapped[int] = mapped_column(default=MAX_ID, server_default=str(MAX_ID))
    # Part of the team's released results (spiegel.results.profiles): what staff and the team see.
    released: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The release step that took the response into the snapshot (numbered across all teams, in the
    # order they happened): scoring hides a figure whose group grew by fewer than the minimum between
    # two steps (spiegel.scoring.growth).
    released_in: Mapped[int | None] = mapped_column()

    round_team: Mapped[RoundTeam] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )
    open_answers: Mapped[list["OpenAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(db.Model):
    # The unique (response_id, item_id) index also serves lookups by response: no second index.
    __table_args__ = (UniqueConstraint("response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(40))
    # 1..5 on the agreement scale; NULL = "weet niet / n.v.t." (kept apart, never scored).
    value: Mapped[int | None] = mapped_column(SmallInteger)

    response: Mapped[Response] = relationship(back_populates="answers")


class OpenAnswer(db.Model):
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="open_answers")


# -- the focus vote of the team conversation (spiegel.survey.votes) ----------------------------------
# Anonymous by construction: a Ballot records only that a device (the hash of its survey token, or of a
# vote-only token) has voted, so that each response votes once; the choices are added to the Tally
# counters and never stored with the ballot. No row links a person, a response or a ballot to a choice.

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
