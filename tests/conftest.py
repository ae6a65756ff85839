"""Shared fixtures: an app on a migrated database (SQLite file by default, PostgreSQL when
SPIEGEL_DATABASE_URL points at one), cleaned after every test, and factories for test data."""
import os
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from spiegel import create_app
from spiegel.instrument import load_instrument
from spiegel.org.models import Board, School, Team
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey import codes

# A database server requires a shared secret key (create_app refuses to start without one). Background
# jobs run at once in the process that submits them, except in the tests of the queue itself, which
# start real workers.
os.environ.setdefault("SPIEGEL_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("SPIEGEL_QUEUE_IMMEDIATE", "true")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("SPIEGEL_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    # The schema comes from the migrations, exactly as in production.
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade(revision="heads")
        dispose_engines()
    return url


@pytest.fixture
def app(database_url):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SERVER_NAME": "localhost"})
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        dispose_engines()


def _empty_tables():
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def web(database_url):
    """The app as the web server runs it: a separate instance on the same database, so requests get
    their own app context, `g` and session instead of sharing the test's (Flask reuses a pushed
    context of the same app)."""
    web = create_app({"DATABASE_URL": database_url, "TESTING": True, "SERVER_NAME": "localhost"})
    yield web
    with web.app_context():
        dispose_engines()


@pytest.fixture
def client(app, web):
    return web.test_client()


def dispose_engines():
    """Close every pooled connection (on PostgreSQL the respondent flow's engine has its own)."""
    for engine in db.engines.values():
        engine.dispose()


def fresh():
    """End the test's own transaction so the next query sees what requests committed since."""
    db.session.rollback()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_round_team(app):
    """make_round_team(status="open", language="nl", team="Team A", modules=None) → RoundTeam."""

    def make(status="open", language="nl", team="Team A", school=None, modules=None):
        now = utcnow()
        windows = {
            "open": (now - timedelta(days=1), now + timedelta(days=30)),
            "upcoming": (now + timedelta(days=2), now + timedelta(days=30)),
            "closed": (now - timedelta(days=30), now - timedelta(days=1)),
        }
        opens_at, closes_at = windows[status]
        if school is None:
            school = School(board=Board(name="Board"), name="School Noord")
        current = load_instrument().current()
        chosen = [m for m in current if modules is None or m.id in modules]
        round_ = Round(school=school, name="Round", modules=[m.id for m in chosen],
                       instrument_versions={m.id: m.version for m in chosen},
                       innovation_name="Samen evalueren", opens_at=opens_at, closes_at=closes_at,
                       default_language=language)
        round_team = RoundTeam(round=round_, team=Team(school=school, name=team), code=codes.new_team_code())
        db.session.add(round_team)
        db.session.commit()
        return round_team

    return make


PASSWORD = "correct horse battery"


@pytest.fixture
def make_user(app):
    """make_user(role, school=None, team=None, email=None) → User with password PASSWORD."""
    from spiegel.accounts.services import create_user

    counter = iter(range(1, 10_000))

    def make(role=None, school=None, team=None, email=None):
        email = email or f"{role or 'user'}{next(counter)}@example.org"
        return create_user(email, PASSWORD, role=role, school_id=getattr(school, "id", school),
                           team_id=getattr(team, "id", team))

    return make


@pytest.fixture
def login():
    """login(client, user) logs the test client in through the real login form."""
    import re

    def do(client, user, password=PASSWORD):
        page = client.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        response = client.post("/login", data={"csrf_token": token, "email": user.email, "password": password})
        assert response.status_code == 302, response.text
        return response

    return do
