"""Database wiring: SQLAlchemy + Alembic migrations, and SQLite settings for many phones at once."""
import time
from pathlib import Path

from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError
from werkzeug.routing import IntegerConverter

from spiegel.shared.extensions import db, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# The largest id (and number) any table holds: PostgreSQL's INTEGER. A larger one in a URL or a form
# would make the database driver fail (SQLite: OverflowError, PostgreSQL: "integer out of range").
MAX_ID = 2**31 - 1
# PostgreSQL: the bind key of the engine behind request_connection().
AUTOCOMMIT = "autocommit"
# PostgreSQL's admin_shutdown, crash_shutdown and cannot_connect_now: a restart or pg_terminate_backend
# ("terminating connection due to administrator command") arrives as an ordinary error, before
# psycopg notices that the connection is gone, so SQLAlchemy's own check does not see a disconnect.
DROPPED_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})


def _dropped(error: BaseException) -> bool:
    return getattr(error, "sqlstate", None) in DROPPED_SQLSTATES


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: a number the database can hold, otherwise the URL does not match (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002  (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def valid_id(value: int | None) -> int | None:
    """A submitted id (query string, hidden field), or None when no row can have it."""
    return value if value is not None and 0 < value <= MAX_ID else None


def request_connection() -> Connection:
    """The request's Core connection, for hot paths that need rows rather than ORM objects (the
    respondent flow): checked out once per request, and returned to the pool at teardown, which rolls
    back anything not committed, so a failing request leaves nothing half-saved.

    On PostgreSQL it runs in autocommit: every statement is its own transaction, which spares the
    BEGIN and COMMIT round trips around every read and write; so each write there must be one
    statement (see survey.services.save_page). Its connections come from an engine of their own
    whose connections are in autocommit from the start: switching a pooled connection there and back
    on every request cost more CPU than the request's statements."""
    if "db_connection" not in g:
        g.db_connection = db.engines.get(AUTOCOMMIT, db.engine).connect()
    return g.db_connection


def discard_request_connection() -> None:
    """Give back the request's connection (rolling back whatever it had not committed), so that the
    next request_connection() checks out another: after its connection dropped (see dbfaults)."""
    if (connection := g.pop("db_connection", None)) is not None:
        connection.close()


def _return_request_connection(_exception=None) -> None:
    discard_request_connection()


def ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    """Test a pooled connection before use only when it sat idle for longer than `idle_seconds`; one
    the server dropped is replaced (the pool retries on DisconnectionError), so the request never sees it."""

    @event.listens_for(engine, "checkin")
    def idle_from_now(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy):
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since <= idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("a pooled connection was dropped") from error


def _mark_dropped(context) -> None:
    """A connection the server dropped is invalidated (not given back to the pool) and reported as a
    disconnect (see DROPPED_SQLSTATES)."""
    if _dropped(context.original_exception):
        context.is_disconnect = True


def init_database(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before the blueprints' rules are added

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": 10})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    elif url.startswith("postgresql"):
        app.config["SQLALCHEMY_BINDS"] = {**app.config.get("SQLALCHEMY_BINDS", {}),
                                          AUTOCOMMIT: {**options, "url": url, "isolation_level": "AUTOCOMMIT"}}
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_idle_connections(engine, app.config["DATABASE_PING_IDLE_SECONDS"])
            event.listen(engine, "handle_error", _mark_dropped)
    app.teardown_appcontext(_return_request_connection)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL lets readers and one writer work together; busy_timeout makes concurrent writers wait
    instead of failing with "database is locked"; FULL sync keeps committed answers on power loss."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
