"""Pooled connections are tested before use only after sitting idle, and a dropped one is replaced."""
from sqlalchemy import text

from spiegel.shared import db as spiegel_db
from spiegel.shared.extensions import db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def use_once(engine):
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
        return connection.connection.dbapi_connection


def test_a_connection_reused_soon_is_not_pinged_and_an_idle_one_is(app, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(spiegel_db.time, "monotonic", clock)
    engine = db.engine
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda dbapi_connection: pings.append(1) or real_ping(dbapi_connection))
    use_once(engine)
    clock.now += app.config["DATABASE_PING_IDLE_SECONDS"] - 1
    use_once(engine)
    assert pings == []
    clock.now += app.config["DATABASE_PING_IDLE_SECONDS"] + 1
    use_once(engine)
    assert pings == [1]


def test_a_dropped_idle_connection_is_replaced_before_the_request_sees_it(app, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(spiegel_db.time, "monotonic", clock)
    engine = db.engine
    first = use_once(engine)
    dbapi_error = engine.dialect.loaded_dbapi.OperationalError

    def dropped(dbapi_connection):
        if dbapi_connection is first:
            raise dbapi_error("server closed the connection unexpectedly")
        return True

    monkeypatch.setattr(engine.dialect, "do_ping", dropped)
    clock.now += app.config["DATABASE_PING_IDLE_SECONDS"] + 1
    assert use_once(engine) is not first  # and the query on the new one worked
