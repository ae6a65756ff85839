"""Rounds ("afnames"): a school asks some of its teams to take the mirror within a window."""
from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spiegel.instrument import load_instrument
from spiegel.instrument.model import Module
from spiegel.org.models import School, Team
from spiegel.shared.extensions import db


class RoundTerms:
    """What a round asks and when it is open, from its `modules`, `instrument_versions`, `opens_at` and
    `closes_at`: shared by the model and the respondent flow's read-only copy of a round."""

    def instrument_modules(self) -> list[Module]:
        """The modules this round asks, at the versions it was created with, in questionnaire order; a
        pulse round only its elements (spiegel.rounds.pulse)."""
        instrument = load_instrument()
        modules = [instrument.module(mid, self.instrument_versions.get(mid)) for mid in self.modules]
        if self.pulse_elements is None:
            return modules
        return [m for m in (module.only(self.pulse_elements) for module in modules) if m.groups]

    def status(self, now: datetime) -> str:
        """'upcoming', 'open' or 'closed' at the given (naive UTC) moment."""
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class Round(RoundTerms, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Module ids in questionnaire order, and the instrument version each module had when the round
    # was created: {"sustainability": 1, "policy": 1}.
    modules: Mapped[list[str]] = mapped_column(JSON)
    instrument_versions: Mapped[dict[str, int]] = mapped_column(JSON)
    innovation_name: Mapped[str] = mapped_column(String(200))
    innovation_description: Mapped[str] = mapped_column(Text, default="")
    # The window, in UTC. Closing a round sets closes_at to now; reopening moves it forward.
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    default_language: Mapped[str] = mapped_column(String(5), default="nl")
    sprint_count: Mapped[int] = mapped_column(default=3)
    sprint_weeks: Mapped[int] = mapped_column(default=6)
    # How respondents get in: "team" (one open code per team, on a poster) or "personal" (single-use
    # anonymous slips, printed per team: no one can add responses without one).
    access: Mapped[str] = mapped_column(String(10), default="team", server_default="team")
    # "full", or "pulse": a short re-measurement at the end of a sprint of one team's focus elements
    # (``pulse_elements``) and the sustainability indicators (spiegel.rounds.pulse).
    kind: Mapped[str] = mapped_column(String(10), default="full", server_default="full")
    pulse_elements: Mapped[list[str] | None] = mapped_column(JSON)

    school: Mapped[School] = relationship()
    round_teams: Mapped[list["RoundTeam"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", passive_deletes=True
    )


class RoundTeam(db.Model):
    """A team taking part in a round; its join code is what respondents type or scan."""

    __table_args__ = (UniqueConstraint("round_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    # When the team's facilitator or a leader released its results before the round closed (UTC).
    released_at: Mapped[datetime | None]

    round: Mapped[Round] = relationship(back_populates="round_teams")
    team: Mapped[Team] = relationship()


class Slip(db.Model):
    """A single-use anonymous personal code of a round in "personal" mode. Only its hash is kept, and
    nothing links it to a person or to the response it started."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_team_id: Mapped[int] = mapped_column(ForeignKey("round_team.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(default=False, server_default=false())


class ScoredRound(db.Model):
    """A round's scored results as they were released (spiegel.results.profiles): compare, exports,
    mirrors, trends and the board view read them instead of scoring the round on every request.
    ``version`` names what they were computed from; any change (a release growing, another team,
    a previous round, the settings, the scoring code) gives another version and a fresh scoring."""

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    result: Mapped[bytes] = mapped_column(LargeBinary)
    # The school means and the number of teams shown, apart: the board view needs only these, and
    # unpickling every team's results of every school's rounds cost it a second.
    summary: Mapped[bytes] = mapped_column(LargeBinary)
