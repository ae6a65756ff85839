"""The staff landing page: the schools, rounds and teams this account may see."""
from flask import Blueprint, render_template
from sqlalchemy import select

from spiegel.accounts.access import login_required, viewable_school_ids, viewable_team_ids
from spiegel.extensions import db
from spiegel.org.models import School, Team

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@login_required
def index():
    school_ids, team_ids = viewable_school_ids(), viewable_team_ids()
    schools = select(School).where(School.archived.is_(False)).order_by(School.name)
    if school_ids is not None:
        schools = schools.where(School.id.in_(school_ids))
    teams = select(Team).where(Team.archived.is_(False)).order_by(Team.name)
    if team_ids is not None:
        teams = teams.where(Team.id.in_(team_ids))
    return render_template("dashboard/index.html", schools=db.session.scalars(schools).all(),
                           teams=db.session.scalars(teams).all())
