"""Boards → schools → teams in the browser. Administrators manage boards and schools; school leaders
manage their schools' teams. Out-of-scope ids answer 404 (spiegel.accounts.access)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from spiegel.accounts.access import (
    is_admin,
    login_required,
    managed_school_ids,
    school_or_404,
    team_or_404,
)
from spiegel.org import services
from spiegel.org.forms import MembersForm, NameForm, TeamsForm
from spiegel.org.models import Board, School, Team
from spiegel.rounds.models import Round
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.shared.forms import ConfirmDeleteForm

bp = Blueprint("org", __name__, url_prefix="/org")


@bp.context_processor
def helpers():
    return {"now": utcnow()}


def _admin_only():
    if not is_admin():
        abort(404)


def _action() -> str:
    return request.form.get("action", "")


@bp.get("/")
@login_required
def index():
    """Administrators: every board with its schools. School leaders: their schools."""
    managed = managed_school_ids()
    if managed is None:
        return render_template("org/index.html", boards=services.boards_with_counts(), schools=None,
                               form=NameForm(prefix="board"))
    if not managed:
        abort(404)
    schools = db.session.scalars(select(School).where(School.id.in_(managed)).order_by(School.name)).all()
    return render_template("org/index.html", boards=None, schools=schools, form=None,
                           team_counts=services.team_counts(managed))


@bp.post("/boards")
@login_required
def new_board():
    _admin_only()
    form = NameForm(prefix="board")
    if not form.validate():
        return render_template("org/index.html", boards=services.boards_with_counts(), schools=None, form=form), 400
    board = services.create_board(form.name.data)
    flash(_("Board created."))
    return redirect(url_for(".board", board_id=board.id))


@bp.route("/boards/<int:board_id>", methods=["GET", "POST"])
@login_required
def board(board_id):
    _admin_only()
    board = db.session.get(Board, board_id) or abort(404)
    rename_form = NameForm(prefix="rename", obj=None if request.method == "POST" else board)
    school_form = NameForm(prefix="school")
    if request.method == "POST":
        action = _action()
        if action == "rename" and rename_form.validate():
            services.rename(board, rename_form.name.data)
            flash(_("Name saved."))
            return redirect(url_for(".board", board_id=board.id))
        if action == "add-school" and school_form.validate():
            school = services.create_school(board, school_form.name.data)
            flash(_("School created. Add its teams."))
            return redirect(url_for(".school", school_id=school.id))
        if action in ("archive", "restore"):
            services.set_archived(board, action == "archive")
            flash(_("Board archived.") if action == "archive" else _("Board restored."))
            return redirect(url_for(".board", board_id=board.id))
        if action not in ("rename", "add-school"):
            abort(400)
    status = 400 if rename_form.errors or school_form.errors else 200
    schools = services.board_schools(board)
    return render_template("org/board.html", board=board, schools=schools,
                           team_counts=services.team_counts(s.id for s in schools), rename_form=rename_form,
                           school_form=school_form), status


@bp.route("/schools/<int:school_id>", methods=["GET", "POST"])
@login_required
def school(school_id):
    school = school_or_404(school_id, manage=True)
    admin = is_admin()
    rename_form = NameForm(prefix="rename", obj=None if request.method == "POST" else school)
    teams_form = TeamsForm(prefix="teams")
    if request.method == "POST":
        action = _action()
        if action == "add-teams":
            if teams_form.validate():
                names = teams_form.cleaned()
                taken = [n for n in names if services.team_name_taken(school, n)]
                if taken:
                    teams_form.names.errors = [_("This school already has a team called %(name)s.", name=taken[0])]
                else:
                    services.create_teams(school, names)
                    flash(_("Teams added."))
                    return redirect(url_for(".school", school_id=school.id))
        elif action == "rename" and admin:
            if rename_form.validate():
                services.rename(school, rename_form.name.data)
                flash(_("Name saved."))
                return redirect(url_for(".school", school_id=school.id))
        elif action in ("archive", "restore") and admin:
            services.set_archived(school, action == "archive")
            flash(_("School archived.") if action == "archive" else _("School restored."))
            return redirect(url_for(".school", school_id=school.id))
        else:
            abort(404 if action in ("rename", "archive", "restore") else 400)
    teams = db.session.scalars(select(Team).where(Team.school_id == school.id)
                               .order_by(Team.archived, Team.name)).all()
    rounds = db.session.scalars(select(Round).where(Round.school_id == school.id)
                                .order_by(Round.opens_at.desc())).all()
    status = 400 if rename_form.errors or teams_form.errors else 200
    return render_template("org/school.html", school=school, teams=teams, rounds=rounds, admin=admin,
                           rename_form=rename_form, teams_form=teams_form), status


@bp.route("/schools/<int:school_id>/delete", methods=["GET", "POST"])
@login_required
def delete_school(school_id):
    _admin_only()
    school = school_or_404(school_id, manage=True)
    form = ConfirmDeleteForm(school.name)
    if form.validate_on_submit():
        name, board_id = school.name, school.board_id
        contents = services.delete_school(school)
        flash(_("School %(name)s deleted, with %(responses)d responses.", name=name, responses=contents.responses))
        return redirect(url_for(".board", board_id=board_id))
    return render_template("org/delete_school.html", school=school, form=form,
                           contents=services.school_contents(school)), 400 if form.errors else 200


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@login_required
def team(team_id):
    team = team_or_404(team_id, manage=True)
    form = NameForm(prefix="rename", obj=None if request.method == "POST" else team)
    members = MembersForm(prefix="members", obj=None if request.method == "POST" else team)
    if request.method == "POST":
        action = _action()
        if action == "members":
            if members.validate():
                services.set_members(team, members.members.data)
                flash(_("Number of members saved."))
                return redirect(url_for(".team", team_id=team.id))
        elif action == "rename":
            if form.validate():
                if services.team_name_taken(team.school, form.name.data, except_id=team.id):
                    form.name.errors = [_("This school already has a team called %(name)s.", name=form.name.data)]
                else:
                    services.rename(team, form.name.data)
                    flash(_("Name saved."))
                    return redirect(url_for(".school", school_id=team.school_id))
        elif action in ("archive", "restore"):
            services.set_archived(team, action == "archive")
            flash(_("Team archived.") if action == "archive" else _("Team restored."))
            return redirect(url_for(".school", school_id=team.school_id))
        else:
            abort(400)
    return render_template("org/team.html", team=team, form=form, members=members), \
        400 if form.errors or members.errors else 200
