"""Failed team-code and resume-code attempts, limited so that codes cannot be guessed at speed, without
letting anyone's failures lock a school out.

Only failures count, per device (its session cookie's client id) and per IP address. A whole school
shares one IP address, so the address only slows devices that fail themselves:

- A device over its own budget (CODE_FAILURES_PER_CLIENT) answers 429 to every code typed in a form —
  known codes too, so the answer tells it nothing — and to unknown codes in links.
- An address over its (larger) budget (CODE_FAILURES_PER_IP): an unknown code answers 429 instead of
  "unknown", and a device with failures of its own answers 429 to every code typed in a form.
- A device with no failures of its own always gets in with a valid code; a valid QR link (/t/<CODE>)
  is never refused, whoever failed before — also not for a device over its own budget (finding (b)
  of issue 16: ten mistyped codes must not keep a person from their team's poster).

The tradeoff, written down: a guesser who throws its cookie away after every try is a new device each
time, and a valid code must let a new device in, so on a shared address no limiter can stop such a
guesser without stopping the school's own new phones as well. What keeps guessing infeasible there is
the code space (31**7 ≈ 2.8·10^10 codes: with 1,000 open teams about 2.8·10^7 tries per hit, days of a
server doing nothing else, and loud in its logs) and that a hit only lets one answer a questionnaire;
the budgets stop the ordinary cases (one device hammering, a script keeping its cookies) and the
address's budget turns its unknown codes into 429s. Respondents who already have a working cookie for
their team never pass here.
"""
import secrets

from flask import current_app, request, session
from werkzeug.exceptions import TooManyRequests

from spiegel.shared import ratelimit


def _window() -> int:
    return current_app.config["CODE_FAILURES_WINDOW"]


def _ip_key() -> str:
    return f"code:ip:{request.remote_addr}"


def _device_key() -> str | None:
    client = session.get("client")
    return f"code:client:{client}" if client else None


def _too_many() -> TooManyRequests:
    return TooManyRequests(retry_after=_window())  # the error page says "too many attempts"


def check() -> None:
    """Before looking up a typed code: 429 for a device over its own budget, and for a device with
    failures of its own at an address over its budget. A device without failures passes."""
    config, window = current_app.config, _window()
    if (device := _device_key()) is None or not ratelimit.too_many(device, 1, window):
        return
    if ratelimit.too_many(device, config["CODE_FAILURES_PER_CLIENT"], window) or \
            ratelimit.too_many(_ip_key(), config["CODE_FAILURES_PER_IP"], window):
        raise _too_many()


def failed() -> None:
    """Count a code that matched nothing, for this device and its address; 429 when the device or the
    address was already over its budget (the caller answers "unknown code" otherwise)."""
    config, window = current_app.config, _window()
    session.setdefault("client", secrets.token_urlsafe(12))
    over = (ratelimit.too_many(_device_key(), config["CODE_FAILURES_PER_CLIENT"], window)
            or ratelimit.too_many(_ip_key(), config["CODE_FAILURES_PER_IP"], window))
    for key in (_ip_key(), _device_key()):
        ratelimit.record_failure(key, window)
    if over:
        raise _too_many()
