"""The one clock: naive UTC datetimes, as the database stores them."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
