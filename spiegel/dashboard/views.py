"""The staff's home. Someone with one school sees that school's rounds and teams; an administrator and
anyone with several schools sees a page of schools (search, paging) with their current round's totals,
and each school's rounds and teams on the school's own page. Team roles see their teams' rounds; board
roles the link to their boards' view across schools. Every list takes a fixed number of queries."""
from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from spiegel.accounts.access import (
    can_manage_school,
    is_admin,
    login_required,
    school_or_404,
    viewable_board_ids,
    viewable_school_ids,
    viewable_team_ids,
)
from spiegel.dashboard import services
from spiegel.org.models import School, Team
from spiegel.rounds.links import template_helpers
from spiegel.rounds.models import Round, RoundTeam
from spiegel.rounds.services import response_counts, round_totals
from spiegel.shared.clock import utcnow
from spiegel.shared.db import valid_id
from spiegel.shared.extensions import db

bp = Blueprint("dashboard", __name__)


@bp.context_processor
def helpers():
    return template_helpers()


@bp.get("/dashboard")
@login_required
def index():
    school_ids, team_ids = viewable_school_ids(), viewable_team_ids()
    listing, single = None, None
    if school_ids is None or len(school_ids) > 1:
        page = request.args.get("page", 1, type=int)
        listing = services.school_page(school_ids, request.args.get("q", ""), valid_id(page) or 1)
    elif school_ids:
        school = db.session.get(School, next(iter(school_ids)))
        if school is not None and not school.archived:
            single = _school_rounds(school)
    board_ids = viewable_board_ids()
    return render_template(
        "dashboard/index.html", listing=listing, single=single, own=_own_teams(school_ids, team_ids),
        boards=services.boards(board_ids) if board_ids else [], admin=is_admin(),
        manages=school_ids is None or any(can_manage_school(s) for s in school_ids), now=utcnow())


@bp.get("/schools/<int:school_id>")
@login_required
def school(school_id):
    """One school's rounds (status, window, counts) and their teams, with the links the viewer may use."""
    school = school_or_404(school_id)
    return render_template("dashboard/school.html", **_school_rounds(school), now=utcnow())


def _school_rounds(school: School) -> dict:
    rounds = db.session.scalars(select(Round).where(Round.school_id == school.id)
                                .order_by(Round.opens_at.desc(), Round.id.desc())).all()
    ids = [r.id for r in rounds]
    teams_by_round: dict[int, list[tuple[RoundTeam, Team]]] = {}
    if ids:
        # From the round teams of these rounds, names sorted here: ordering by team name in SQL made
        # SQLite start from the team table.
        rows = db.session.execute(select(RoundTeam, Team).join(Team, RoundTeam.team_id == Team.id)
                                  .where(RoundTeam.round_id.in_(ids))).all()
        for round_team, team in sorted(rows, key=lambda row: (row[1].name, row[0].id)):
            teams_by_round.setdefault(round_team.round_id, []).append((round_team, team))
    return {"school": school, "rounds": rounds, "totals": round_totals(ids), "teams_by_round": teams_by_round,
            "counts": response_counts(ids), "manage": can_manage_school(school.id)}


def _own_teams(school_ids, team_ids) -> list[tuple[Team, list[tuple[RoundTeam, Round]]]]:
    """Teams seen through a team role only (facilitators, team coaches), with their rounds."""
    if team_ids is None:
        return []
    query = (select(Team).options(joinedload(Team.school))
             .where(Team.id.in_(team_ids), Team.archived.is_(False)).order_by(Team.name))
    if school_ids:
        query = query.where(Team.school_id.not_in(school_ids))  # those show with their school
    teams = db.session.scalars(query).all()
    rounds: dict[int, list[tuple[RoundTeam, Round]]] = {}
    if teams:
        rows = db.session.execute(select(RoundTeam, Round).join(Round, RoundTeam.round_id == Round.id)
                                  .where(RoundTeam.team_id.in_([t.id for t in teams]))
                                  .order_by(Round.opens_at.desc()))
        for round_team, round_ in rows:
            rounds.setdefault(round_team.team_id, []).append((round_team, round_))
    return [(team, rounds.get(team.id, [])) for team in teams]
