"""Counting failed attempts (a wrong team code, resume code or password) in the database, so that
every web worker sees the same counts.

    if ratelimit.too_many(key, limit=10, window_seconds=60):
        abort(429)
    ...
    if failed:
        ratelimit.record_failure(key, window_seconds=60)

A key names who is counted ("code:ip:203.0.113.7", "login:user:5"). Counts use a sliding window:
the current fixed window plus the previous one weighted by how much of it still overlaps, which
needs two small rows per key and never lets a burst at a window boundary double the budget.
Keys are stored as HMACs with the app's secret key: the table never holds an IP address.

Only failures are counted: a whole school sits behind one IP address, and its successful joins must
never be throttled.
"""
import hashlib
import hmac
import time

from flask import current_app
from sqlalchemy import BigInteger, Integer, String, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from spiegel.shared.extensions import db


class RateLimit(db.Model):
    __tablename__ = "rate_limit"

    # HMAC-SHA256 of the key and the window length.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Which fixed window: unix time // window length.
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)
    # Unix time after which the row no longer counts (the end of the next window); old rows are purged.
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)


def _now() -> float:
    return time.time()


def _stored_key(key: str, window_seconds: int) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{window_seconds}:{key}".encode(), hashlib.sha256).hexdigest()


def count(key: str, window_seconds: int) -> float:
    """Failures recorded for key in the last window_seconds (sliding-window estimate)."""
    now = _now()
    current = int(now // window_seconds)
    stored = _stored_key(key, window_seconds)
    with db.engine.connect() as connection:
        rows = dict(connection.execute(select(RateLimit.slot, RateLimit.count).where(
            RateLimit.key == stored, RateLimit.slot.in_((current, current - 1)))).all())
    overlap = 1 - (now - current * window_seconds) / window_seconds
    return rows.get(current, 0) + rows.get(current - 1, 0) * overlap


def too_many(key: str, limit: int, window_seconds: int) -> bool:
    """True when key already has limit (or more) failures in the last window_seconds."""
    if not current_app.config.get("RATE_LIMIT_ENABLED", True):
        return False
    return count(key, window_seconds) >= limit


def record_failure(key: str, window_seconds: int) -> None:
    """Count one failure for key, in its own short transaction (whatever the request does next)."""
    if not current_app.config.get("RATE_LIMIT_ENABLED", True):
        return
    now = _now()
    current = int(now // window_seconds)
    values = {"key": _stored_key(key, window_seconds), "slot": current, "count": 1,
              "expires_at": int((current + 2) * window_seconds)}
    with db.engine.begin() as connection:
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        statement = insert(RateLimit).values(values)
        statement = statement.on_conflict_do_update(index_elements=["key", "slot"],
                                                    set_={"count": RateLimit.count + 1})
        connection.execute(statement)
        connection.execute(delete(RateLimit).where(RateLimit.expires_at < int(now)))


def reset(key: str, window_seconds: int) -> None:
    """Forget key's failures (e.g. after a successful login)."""
    with db.engine.begin() as connection:
        connection.execute(delete(RateLimit).where(RateLimit.key == _stored_key(key, window_seconds)))


# A delay is one row per key, in slot -1 (never a window's), holding until when the key must wait.
_DELAY_SLOT = -1


def wait_seconds(key: str) -> int:
    """Seconds key still has to wait (see delay), 0 when it may go ahead."""
    if not current_app.config.get("RATE_LIMIT_ENABLED", True):
        return 0
    with db.engine.connect() as connection:
        until = connection.scalar(select(RateLimit.expires_at).where(
            RateLimit.key == _stored_key(key, 0), RateLimit.slot == _DELAY_SLOT))
    return max(0, int(until - _now() + 0.999)) if until else 0


def delay(key: str, seconds: int) -> None:
    """Make key wait `seconds` from now (replacing an earlier delay); the row is purged once over."""
    if not current_app.config.get("RATE_LIMIT_ENABLED", True):
        return
    values = {"key": _stored_key(key, 0), "slot": _DELAY_SLOT, "count": 0, "expires_at": int(_now() + seconds)}
    with db.engine.begin() as connection:
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        statement = insert(RateLimit).values(values)
        connection.execute(statement.on_conflict_do_update(index_elements=["key", "slot"],
                                                           set_={"expires_at": statement.excluded.expires_at}))


def forget_delay(key: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(delete(RateLimit).where(RateLimit.key == _stored_key(key, 0),
                                                   RateLimit.slot == _DELAY_SLOT))
