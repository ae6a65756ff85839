"""The staff's home: their schools with rounds (status, window, counts) and teams, and links to manage,
posters, the live counter, the comparison, exports and mirrors — each shown only to those allowed."""
from flask import Blueprint, render_template
from sqlalchemy import select

from spiegel.accounts.access import (can_manage_school, is_admin, login_required, viewable_school_ids,
                                     viewable_team_ids)
from spiegel.extensions import db
from spiegel.org.models import School, Team
from spiegel.rounds.links import template_helpers
from spiegel.rounds.models import Round, RoundTeam
from spiegel.rounds.services import response_counts, round_totals
from spiegel.survey.services import utcnow

bp = Blueprint("dashboard", __name__)


@bp.context_processor
def helpers():
    return template_helpers()


@bp.get("/dashboard")
@login_required
def index():
    now = utcnow()
    school_ids, team_ids = viewable_school_ids(), viewable_team_ids()
    schools_query = select(School).where(School.archived.is_(False)).order_by(School.name)
    if school_ids is not None:
        schools_query = schools_query.where(School.id.in_(school_ids))
    schools = db.session.scalars(schools_query).all()
    rounds_by_school: dict[int, list[Round]] = {s.id: [] for s in schools}
    if schools:
        for round_ in db.session.scalars(select(Round).where(Round.school_id.in_(rounds_by_school))
                                         .order_by(Round.opens_at.desc(), Round.id.desc())):
            rounds_by_school[round_.school_id].append(round_)

    # Teams seen through a team role only (facilitators, team coaches): their rounds and mirrors.
    own_teams: list[Team] = []
    team_rounds: dict[int, list[tuple[RoundTeam, Round]]] = {}
    if team_ids is not None:
        query = select(Team).where(Team.id.in_(team_ids), Team.archived.is_(False)).order_by(Team.name)
        if school_ids:
            query = query.where(Team.school_id.not_in(school_ids))  # those show with their school
        own_teams = db.session.scalars(query).all()
        if own_teams:
            rows = db.session.execute(select(RoundTeam, Round).join(Round, RoundTeam.round_id == Round.id)
                                      .where(RoundTeam.team_id.in_([t.id for t in own_teams]))
                                      .order_by(Round.opens_at.desc()))
            for round_team, round_ in rows:
                team_rounds.setdefault(round_team.team_id, []).append((round_team, round_))

    all_rounds = [r.id for rs in rounds_by_school.values() for r in rs]
    teams_by_round: dict[int, list[tuple[RoundTeam, Team]]] = {}
    if all_rounds:
        rows = db.session.execute(select(RoundTeam, Team).join(Team, RoundTeam.team_id == Team.id)
                                  .where(RoundTeam.round_id.in_(all_rounds)).order_by(Team.name))
        for round_team, team in rows:
            teams_by_round.setdefault(round_team.round_id, []).append((round_team, team))
    return render_template(
        "dashboard/index.html", schools=schools, rounds_by_school=rounds_by_school, totals=round_totals(all_rounds),
        teams_by_round=teams_by_round, counts=response_counts(all_rounds),
        manage={s.id: can_manage_school(s.id) for s in schools}, own_teams=own_teams, team_rounds=team_rounds,
        admin=is_admin(), now=now)
