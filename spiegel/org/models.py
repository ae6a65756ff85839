"""Organisation: a board holds schools, a school holds teams."""
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spiegel.shared.extensions import db


class Board(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())

    schools: Mapped[list["School"]] = relationship(back_populates="board", cascade="all, delete-orphan")


class School(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    archived: Mapped[bool] = mapped_column(default=False)

    board: Mapped[Board] = relationship(back_populates="schools")
    teams: Mapped[list["Team"]] = relationship(back_populates="school", cascade="all, delete-orphan")


class Team(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    archived: Mapped[bool] = mapped_column(default=False)
    # The declared number of members: more responses than this are flagged (someone may have added some).
    members: Mapped[int | None]

    school: Mapped[School] = relationship(back_populates="teams")
