"""Spiegel: a guided self-assessment ("mirror") for school teams."""
import os
import secrets
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        # One instance folder per machine; SPIEGEL_INSTANCE_PATH puts it elsewhere (several on one host).
        instance_path=os.environ.get("SPIEGEL_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    configure_settings(app, test_config)
    configure_database(app)
    configure_jobs(app)
    configure_i18n(app)
    configure_security(app)
    configure_login(app)
    configure_templates(app)
    configure_blueprints(app)
    configure_errors(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, test_config: dict | None) -> None:
    """Defaults → instance/config.py → SPIEGEL_* environment variables (→ test_config in tests)."""
    app.config.from_object("spiegel.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SPIEGEL")
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'spiegel.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    # Anonymity floor: a configuration can raise the minimum group size, never lower it below 3.
    app.config["MIN_GROUP_SIZE"] = max(3, int(app.config["MIN_GROUP_SIZE"]))
    if not app.config.get("SECRET_KEY"):
        if not app.config["DATABASE_URL"].startswith("sqlite"):
            raise RuntimeError(NO_SHARED_SECRET)
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")


NO_SHARED_SECRET = (
    "Spiegel does not start: SPIEGEL_SECRET_KEY is not set. With a database server (not SQLite) Spiegel may run "
    "on several machines, and they must share one secret key (sessions and page tokens are signed with it): "
    "set SPIEGEL_SECRET_KEY to the same long random value on every machine, e.g. the output of "
    "`python -c 'import secrets; print(secrets.token_hex(32))'`.")


def _instance_secret(path: Path) -> str:
    """A per-installation secret kept in the instance folder, so sessions survive restarts."""
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def configure_database(app: Flask) -> None:
    import spiegel.models  # noqa: F401  (registers every table on the metadata)
    from spiegel.instrument import load_instrument
    from spiegel.shared.db import init_database

    init_database(app)
    # Validate the item bank at start-up: a bad data file stops the app with a precise message.
    load_instrument()


def configure_jobs(app: Flask) -> None:
    from spiegel.jobs import init_jobs

    init_jobs(app)


def configure_i18n(app: Flask) -> None:
    from spiegel.shared.i18n import init_i18n

    init_i18n(app)


def configure_security(app: Flask) -> None:
    from spiegel.shared.extensions import csrf
    from spiegel.shared.security import init_security

    csrf.init_app(app)
    init_security(app)


def configure_login(app: Flask) -> None:
    from spiegel.accounts.login import init_login

    init_login(app)


def configure_templates(app: Flask) -> None:
    from spiegel.shared.templating import init_templates

    init_templates(app)


def configure_blueprints(app: Flask) -> None:
    from spiegel.accounts.views import bp as accounts_bp
    from spiegel.boards.views import bp as boards_bp
    from spiegel.core.views import bp as core_bp
    from spiegel.dashboard.views import bp as dashboard_bp
    from spiegel.org.views import bp as org_bp
    from spiegel.plans.views import bp as plans_bp
    from spiegel.plans.views import learning_bp
    from spiegel.reports.views import bp as reports_bp
    from spiegel.rounds.views import bp as rounds_bp
    from spiegel.survey.views import bp as survey_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(org_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(boards_bp)


def configure_errors(app: Flask) -> None:
    from spiegel.core.errors import init_errors

    init_errors(app)


def configure_cli(app: Flask) -> None:
    from spiegel.cli import spiegel_cli

    app.cli.add_command(spiegel_cli)
