"""Accounts for staff (respondents never have one): users and their scoped roles."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spiegel.shared.extensions import db


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(5))
    # Bumped on password change: sessions carry it, so older sessions end (see get_id).
    session_version: Mapped[int] = mapped_column(default=1)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class Membership(db.Model):
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'school_leader', 'coach', 'facilitator', 'board')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # admin: the whole installation · school_leader: their schools · coach: assigned schools or teams ·
    # facilitator: one team · board: the results of a board's schools, side by side (no team's results).
    role: Mapped[str] = mapped_column(String(20))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship(back_populates="memberships")


class PasswordReset(db.Model):
    """A one-time link an administrator hands over (no mail server is assumed). Only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used: Mapped[bool] = mapped_column(default=False)
