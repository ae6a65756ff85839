"""Failed team-code and resume-code attempts, limited so that codes cannot be guessed at speed.

Only failures count. A whole school shares one IP address, so the budget per IP address is generous
(a few hundred people mistyping a code do not reach it); a device (its session cookie) gets a smaller
one. Once over a budget, every attempt to enter a code answers 429 — known codes too, otherwise the
answer would still tell a guesser which codes exist — while respondents who already have a working
cookie for their team carry on undisturbed.
"""
import secrets

from flask import current_app, request, session
from werkzeug.exceptions import TooManyRequests

from spiegel import ratelimit


def _keys() -> list[tuple[str, int]]:
    config = current_app.config
    keys = [(f"code:ip:{request.remote_addr}", config["CODE_FAILURES_PER_IP"])]
    if client := session.get("client"):
        keys.append((f"code:client:{client}", config["CODE_FAILURES_PER_CLIENT"]))
    return keys


def check() -> None:
    """Raise 429 when this IP address or this device has used up its budget of failed codes."""
    window = current_app.config["CODE_FAILURES_WINDOW"]
    if any(ratelimit.too_many(key, limit, window) for key, limit in _keys()):
        raise TooManyRequests(retry_after=window)  # the error page says "too many attempts"


def record_failure() -> None:
    window = current_app.config["CODE_FAILURES_WINDOW"]
    session.setdefault("client", secrets.token_urlsafe(12))
    for key, _limit in _keys():
        ratelimit.record_failure(key, window)
