"""The schema comes from the migrations: they run from empty, down again, and match the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from spiegel import create_app
from spiegel.shared.extensions import db
from tests.conftest import dispose_engines


@pytest.fixture
def empty_app(tmp_path):
    # Always a fresh SQLite file; on PostgreSQL the session fixture in conftest.py runs the
    # migrations from an empty schema for every test run.
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}", "TESTING": True})
    with app.app_context():
        yield app
        dispose_engines()


def test_migrations_run_from_empty_down_and_up_again(empty_app):
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert {"response", "answer", "user", "membership", "plan", "job", "rate_limit"} <= tables
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0013_released_in"


def test_models_match_the_migrations(app):
    """Autogenerate finds nothing to add: every model change has its migration (on this database)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []

