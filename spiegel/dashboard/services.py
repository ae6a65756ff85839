"""What the start page lists, in a fixed number of queries however large the installation: a page of
schools (searched by name), each with its current round and that round's totals."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from spiegel.org.models import Board, School
from spiegel.rounds.models import Round
from spiegel.rounds.services import RoundTotals, round_totals
from spiegel.shared.extensions import db

PER_PAGE = 20
MAX_QUERY = 100


@dataclass(frozen=True)
class SchoolLine:
    school: School
    round: Round | None
    totals: RoundTotals


@dataclass(frozen=True)
class SchoolPage:
    lines: list[SchoolLine]
    query: str
    page: int
    pages: int
    total: int


def clean_query(text: str | None) -> str:
    # No keyboard types a NUL, and PostgreSQL cannot compare text holding one (a 500 otherwise).
    return " ".join((text or "").replace("\x00", "").split())[:MAX_QUERY]


def school_page(school_ids: set[int] | None, query: str = "", page: int = 1, per_page: int = PER_PAGE) -> SchoolPage:
    """Active schools the user may see (None: all), whose name contains ``query``, one page of them by
    name; with each school's current round (the one that opened last) and its totals."""
    query = clean_query(query)
    where = [School.archived.is_(False)]
    if school_ids is not None:
        where.append(School.id.in_(school_ids))
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(func.lower(School.name).like(f"%{escaped}%", escape="\\"))
    total = db.session.scalar(select(func.count()).select_from(School).where(*where)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    schools = db.session.scalars(select(School).where(*where).order_by(School.name, School.id)
                                 .offset((page - 1) * per_page).limit(per_page)).all()
    current = current_rounds([s.id for s in schools])
    totals = round_totals([r.id for r in current.values()])
    lines = [SchoolLine(s, current.get(s.id), totals.get(current[s.id].id, RoundTotals()) if s.id in current
                        else RoundTotals()) for s in schools]
    return SchoolPage(lines, query, page, pages, total)


def current_rounds(school_ids: list[int]) -> dict[int, Round]:
    """School id → its current round: the one that opens last (an upcoming round is the current one
    as soon as it is planned). One query, whatever the number of earlier rounds."""
    if not school_ids:
        return {}
    ranked = (select(Round.id, func.row_number().over(partition_by=Round.school_id,
                                                      order_by=(Round.opens_at.desc(), Round.id.desc())).label("n"))
              .where(Round.school_id.in_(school_ids)).subquery())
    rounds = db.session.scalars(select(Round).join(ranked, ranked.c.id == Round.id).where(ranked.c.n == 1))
    return {r.school_id: r for r in rounds}


def boards(board_ids: set[int]) -> list[Board]:
    if not board_ids:
        return []
    return list(db.session.scalars(select(Board).where(Board.id.in_(board_ids)).order_by(Board.name)))
