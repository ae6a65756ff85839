"""Flask-Login wiring: sessions name the user and their session version (bumped on password change)."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from spiegel.accounts.access import is_admin, managed_school_ids
from spiegel.accounts.models import User
from spiegel.shared.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.session_protection = "basic"
    app.jinja_env.globals["is_admin"] = is_admin
    app.jinja_env.globals["managed_school_ids"] = managed_school_ids


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
