"""Log in and out, change a password, set one with a one-time link; administrators manage accounts."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests
from werkzeug.security import check_password_hash
from wtforms.fields.choices import SelectChoice

from spiegel.accounts import services
from spiegel.accounts.access import is_admin
from spiegel.accounts.forms import (
    ROLE_LABELS,
    LoginForm,
    MembershipForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserForm,
)
from spiegel.accounts.models import Membership, User
from spiegel.org.models import Board, School, Team
from spiegel.shared.db import valid_id
from spiegel.shared.extensions import db

bp = Blueprint("accounts", __name__)


def _local_target(target: str | None) -> str:
    parts = urlsplit(target or "")
    if target and target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        if wait := services.login_wait(form.email.data):
            raise TooManyRequests(retry_after=wait)
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            services.login_succeeded(form.email.data)
            login_user(user)
            return redirect(_local_target(request.args.get("next")))
        services.login_failed(form.email.data)
        form.password.errors = [_("This e-mail address and password do not match an account.")]
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."))
    # A staff member who wants to answer their team's questionnaire goes back to it (see survey.join).
    target = request.args.get("next")
    return redirect(_local_target(target) if target else url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current.data):
            form.current.errors = [_("Your current password is not correct.")]
        else:
            services.set_password(current_user, form.password.data)
            login_user(current_user)  # this session continues; all others end
            flash(_("Your password has been changed."))
            return redirect(url_for("dashboard.index"))
    return render_template("accounts/password.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token):
    found = services.valid_reset(token)
    if found is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = PasswordResetForm()
    if form.validate_on_submit():
        user = services.use_reset(found, form.password.data)
        login_user(user)
        flash(_("Your password has been set."))
        return redirect(url_for("dashboard.index"))
    return render_template("accounts/reset.html", form=form), 400 if form.errors else 200


# -- administrators -------------------------------------------------------------------------------

def _admin_only():
    if not is_admin():
        abort(404)


def _scope_choices(form: MembershipForm) -> None:
    schools = db.session.scalars(select(School).where(School.archived.is_(False)).order_by(School.name)).all()
    teams = db.session.execute(select(Team, School.name).join(School).where(Team.archived.is_(False))
                               .order_by(School.name, Team.name)).all()
    form.school_id.choices = [SelectChoice(0, "—")] + [SelectChoice(s.id, s.name) for s in schools]
    form.team_id.choices = [SelectChoice(0, "—")] + [SelectChoice(t.id, f"{school} · {t.name}")
                                                      for t, school in teams]
    boards = db.session.scalars(select(Board).where(Board.archived.is_(False)).order_by(Board.name)).all()
    form.board_id.choices = [SelectChoice(0, "—")] + [SelectChoice(b.id, b.name) for b in boards]


@bp.get("/admin/users")
@login_required
def users():
    _admin_only()
    people = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("accounts/users.html", users=people, role_labels=ROLE_LABELS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    _admin_only()
    form = UserForm()
    if form.validate_on_submit():
        if services.user_by_email(form.email.data) is not None:
            form.email.errors = [_("An account with this e-mail address already exists.")]
        else:
            user = services.create_user(form.email.data, name=form.name.data or "")
            flash(_("Account created. Give it a role and hand over a link to set the password."))
            return redirect(url_for(".user", user_id=user.id))
    return render_template("accounts/user_new.html", form=form), 400 if form.errors else 200


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user(user_id):
    _admin_only()
    person = db.session.get(User, user_id) or abort(404)
    form = MembershipForm()
    _scope_choices(form)
    reset_link = None
    if request.method == "POST":  # CSRF is checked for every POST by CSRFProtect
        action = request.form.get("action")
        if action == "add-role" and form.validate():
            person.memberships.append(Membership(
                role=form.role.data,
                school_id=form.school_id.data or None if form.role.data in ("school_leader", "coach") else None,
                team_id=form.team_id.data or None if form.role.data in ("facilitator", "coach") else None,
                board_id=form.board_id.data or None if form.role.data == "board" else None))
            db.session.commit()
            flash(_("Role added."))
            return redirect(url_for(".user", user_id=person.id))
        if action == "reset-link":
            token = services.new_reset_token(person)
            reset_link = url_for(".reset", token=token, _external=True)
        elif action == "remove-role":
            membership = db.session.get(Membership, valid_id(request.form.get("membership_id", type=int)) or 0)
            if membership is None or membership.user_id != person.id:
                abort(400)
            if membership.role == "admin" and person.id == current_user.id:
                flash(_("You cannot take away your own administrator role."))
            else:
                db.session.delete(membership)
                db.session.commit()
                flash(_("Role removed."))
            return redirect(url_for(".user", user_id=person.id))
        elif action == "toggle-active":
            if person.id == current_user.id:
                flash(_("You cannot deactivate your own account."))
            else:
                person.active = not person.active
                person.session_version += 1
                db.session.commit()
            return redirect(url_for(".user", user_id=person.id))
        elif action not in ("add-role", "reset-link", "remove-role", "toggle-active"):
            abort(400)
    schools = {s.id: s.name for s in db.session.scalars(select(School))}
    teams = {t.id: t.name for t in db.session.scalars(select(Team))}
    boards = {b.id: b.name for b in db.session.scalars(select(Board))}
    status = 400 if form.errors and request.form.get("action") == "add-role" else 200
    return render_template("accounts/user.html", person=person, form=form, reset_link=reset_link,
                           role_labels=ROLE_LABELS, schools=schools, teams=teams, boards=boards), status

