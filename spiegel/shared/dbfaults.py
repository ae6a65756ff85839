"""Database faults a request can meet on a study day — a dropped connection, a full disk, a database
that only reads — recognised, so that they answer a calm 503 ("try again in a moment") rather than a
500, and an idempotent write is retried once on a fresh connection when the connection dropped.

    fault_of(error)             -> "disconnected" | "full" | "read_only" | "unavailable" | None
    @retry_on_disconnect        -> run once more on a new connection after a dropped one
    DatabaseUnavailable         -> the 503 that errors.py raises for such a fault; a blueprint can
                                   register its own page for it (the respondent flow keeps answers)
"""
import functools
import sqlite3

from flask_babel import gettext as _
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import ServiceUnavailable

from spiegel.shared.db import discard_request_connection
from spiegel.shared.extensions import db
from spiegel.shared.ratelimit import RateLimit

# Seconds a client is asked to wait before trying again.
RETRY_AFTER = 5

# What each driver says (SQLite has one exception class with a message; PostgreSQL has SQLSTATEs).
_FULL = ("database or disk is full", "could not extend file", "no space left on device")
_READ_ONLY = ("attempt to write a readonly database", "read-only transaction", "readonly database")
_PG_FULL = ("53100",)  # disk_full
_PG_READ_ONLY = ("25006",)  # read_only_sql_transaction


def fault_of(error: BaseException) -> str | None:
    """Which database fault `error` is, or None when it is something else (a bug, a constraint)."""
    if not isinstance(error, DBAPIError):
        return None
    if error.connection_invalidated:
        return "disconnected"
    original = error.orig
    message = str(original).lower()
    sqlstate = getattr(getattr(original, "diag", None), "sqlstate", None) or getattr(original, "sqlstate", None)
    if sqlstate in _PG_FULL or any(text in message for text in _FULL):
        return "full"
    if sqlstate in _PG_READ_ONLY or any(text in message for text in _READ_ONLY):
        return "read_only"
    if isinstance(error, OperationalError) or isinstance(original, sqlite3.OperationalError):
        return "unavailable"  # connection refused, too many clients, database locked for too long, …
    return None


def retry_on_disconnect(function):
    """Run `function` once more, on a fresh request connection, when the first attempt found its
    connection dropped. Only for idempotent work (upserts): the first attempt may have reached the
    database or not. The dropped connection's transaction never committed; closing it forgets it."""

    @functools.wraps(function)
    def retried(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DBAPIError as error:
            if fault_of(error) != "disconnected":
                raise
            discard_request_connection()
            return function(*args, **kwargs)

    return retried


def write_fault() -> str | None:
    """Write a row into a small table and roll it back: a database that answers reads but cannot take
    a write (read-only, full) is not healthy for a study day. None when the write went through."""
    try:
        with db.engine.connect() as connection:
            # The row never commits; expires_at 0 would let the next purge remove it anyway.
            connection.execute(insert(RateLimit).values(key="healthz", slot=0, count=0, expires_at=0))
            connection.rollback()
    except DBAPIError as error:
        return fault_of(error) or "error"
    return None


class DatabaseUnavailable(ServiceUnavailable):
    """503 for a database fault: the request changed nothing, and trying again later may work."""

    def __init__(self, fault: str):
        super().__init__(description=message_for(fault), retry_after=RETRY_AFTER)
        self.fault = fault


def message_for(fault: str) -> str:
    if fault == "disconnected":
        return _("The connection to our database was interrupted. Nothing was lost: please try again.")
    return _("We cannot save anything right now. Nothing was lost: please try again in a moment.")
