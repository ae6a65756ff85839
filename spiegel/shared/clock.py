"""The one clock: naive UTC datetimes, as the database stores them."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
