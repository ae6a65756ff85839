"""Boards, schools and teams: create, rename, archive, and delete a school with everything in it.

Each function is one short transaction. Scope checks happen in the views (spiegel.accounts.access);
these functions trust the objects they are given.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from spiegel.org.models import Board, School, Team
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, OpenAnswer, Response


def _clean(name: str) -> str:
    return " ".join((name or "").split())


def create_board(name: str) -> Board:
    board = Board(name=_clean(name))
    db.session.add(board)
    db.session.commit()
    return board


def create_school(board: Board, name: str) -> School:
    school = School(board=board, name=_clean(name))
    db.session.add(school)
    db.session.commit()
    return school


def create_teams(school: School, names: list[str]) -> list[Team]:
    """One team per non-empty name (several at once: one name per line)."""
    teams = [Team(school=school, name=name) for name in (_clean(n) for n in names) if name]
    db.session.add_all(teams)
    db.session.commit()
    return teams


def rename(thing: Board | School | Team, name: str) -> None:
    thing.name = _clean(name)
    db.session.commit()


def set_members(team: Team, members: int | None) -> None:
    """The team's declared size (None: not declared)."""
    team.members = members
    db.session.commit()


def set_archived(thing: Board | School | Team, archived: bool) -> None:
    thing.archived = archived
    db.session.commit()


def team_name_taken(school: School, name: str, except_id: int | None = None) -> bool:
    query = select(Team.id).where(Team.school_id == school.id, func.lower(Team.name) == _clean(name).lower())
    if except_id is not None:
        query = query.where(Team.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def team_counts(school_ids) -> dict[int, int]:
    """School id → number of teams (archived ones included), in one query."""
    ids = list(school_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Team.school_id, func.count(Team.id)).where(Team.school_id.in_(ids))
                                   .group_by(Team.school_id)).all())


@dataclass(frozen=True)
class BoardLine:
    board: Board
    schools: int
    teams: int


def boards_with_counts() -> list[BoardLine]:
    """Every board with its numbers of schools and teams: two queries, however many schools."""
    boards = db.session.scalars(select(Board).order_by(Board.archived, Board.name)).all()
    schools = dict(db.session.execute(select(School.board_id, func.count(School.id)).group_by(School.board_id)).all())
    teams = dict(db.session.execute(select(School.board_id, func.count(Team.id)).join(Team, Team.school_id == School.id)
                                    .group_by(School.board_id)).all())
    return [BoardLine(b, schools.get(b.id, 0), teams.get(b.id, 0)) for b in boards]


def board_schools(board: Board) -> list[School]:
    return list(db.session.scalars(select(School).where(School.board_id == board.id).order_by(School.name, School.id)))


@dataclass(frozen=True)
class SchoolContents:
    """What deleting a school removes: named on the confirmation page."""

    teams: int
    rounds: int
    responses: int


def school_contents(school: School) -> SchoolContents:
    teams = db.session.scalar(select(func.count()).select_from(Team).where(Team.school_id == school.id))
    rounds = db.session.scalar(select(func.count()).select_from(Round).where(Round.school_id == school.id))
    responses = db.session.scalar(
        select(func.count()).select_from(Response).join(RoundTeam, Response.round_team_id == RoundTeam.id)
        .join(Round, RoundTeam.round_id == Round.id).where(Round.school_id == school.id))
    return SchoolContents(teams or 0, rounds or 0, responses or 0)


def delete_school(school: School) -> SchoolContents:
    """Delete a school, its teams, rounds, codes and every response and answer, for good."""
    contents = school_contents(school)
    round_team_ids = select(RoundTeam.id).join(Round, RoundTeam.round_id == Round.id).where(
        Round.school_id == school.id)
    delete_responses(round_team_ids)
    db.session.delete(school)  # rounds, teams and round teams go with it (ORM and foreign-key cascades)
    db.session.commit()
    return contents


def delete_responses(round_team_ids) -> int:
    """Delete the responses (answers and open answers first) of these round teams; not committed.
    Explicit deletes rather than relying on ON DELETE CASCADE, so no database setting can leave
    answers behind. Returns the number of responses deleted."""
    response_ids = select(Response.id).where(Response.round_team_id.in_(round_team_ids))
    db.session.execute(delete(Answer).where(Answer.response_id.in_(response_ids)))
    db.session.execute(delete(OpenAnswer).where(OpenAnswer.response_id.in_(response_ids)))
    result = db.session.execute(delete(Response).where(Response.round_team_id.in_(round_team_ids)))
    return result.rowcount or 0
