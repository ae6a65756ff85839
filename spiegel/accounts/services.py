"""Accounts: creating users, checking passwords, one-time reset links."""
import secrets
from datetime import timedelta

from flask import current_app, request, session
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from spiegel.accounts.models import Membership, PasswordReset, User
from spiegel.shared import ratelimit
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.shared.hashing import digest

RESET_HOURS = 72
# Checked against when an e-mail address is unknown, so a failed login takes as long either way.
_DUMMY_HASH = generate_password_hash("not a real password")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


def create_user(email: str, password: str | None = None, name: str = "", role: str | None = None,
                school_id: int | None = None, team_id: int | None = None, board_id: int | None = None) -> User:
    """A new account. Without a password it cannot log in until a reset link sets one."""
    user = User(email=normalize_email(email), name=name.strip(),
                password_hash=generate_password_hash(password or secrets.token_urlsafe(32)))
    if role:
        user.memberships.append(Membership(role=role, school_id=school_id, team_id=team_id,
                                                board_id=board_id))
    db.session.add(user)
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """New password; every other session of this user ends (session_version is part of its id)."""
    user.password_hash = generate_password_hash(password)
    user.session_version += 1
    db.session.commit()


def new_reset_token(user: User) -> str:
    """A one-time link token for the user (an admin hands it over); earlier unused ones stop working."""
    for old in db.session.scalars(select(PasswordReset).where(PasswordReset.user_id == user.id,
                                                               PasswordReset.used.is_(False))):
        old.used = True
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token_hash=digest(token),
                                 expires_at=utcnow() + timedelta(hours=RESET_HOURS)))
    db.session.commit()
    return token


def valid_reset(token: str) -> PasswordReset | None:
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == digest(token)))
    if reset is None or reset.used or reset.expires_at < utcnow():
        return None
    return reset


def use_reset(reset: PasswordReset, password: str) -> User:
    user = db.session.get(User, reset.user_id)
    reset.used = True
    set_password(user, password)
    return user


# Failed logins (see spiegel.shared.ratelimit). Counted per account *and device* (the session's client id),
# so that wrong passwords typed on one device never lock the account on another: from
# LOGIN_FAILURES_PER_ACCOUNT failures on, that device waits LOGIN_DELAY_SECONDS, doubled for every
# further failure up to LOGIN_DELAY_MAX_SECONDS. Per IP address a budget stops a guesser who drops
# its cookie (and so is a new device every time).
def _login_keys(email: str) -> tuple[str, str]:
    client = session.setdefault("client", secrets.token_urlsafe(12))
    return f"login:email:{normalize_email(email)}:client:{client}", f"login:ip:{request.remote_addr}"


def login_wait(email: str) -> int:
    """Seconds this device must wait before trying a password for `email` (0: go ahead)."""
    config = current_app.config
    device, address = _login_keys(email)
    if ratelimit.too_many(address, config["LOGIN_FAILURES_PER_IP"], config["LOGIN_FAILURES_WINDOW"]):
        return config["LOGIN_FAILURES_WINDOW"]
    return ratelimit.wait_seconds(device)


def login_failed(email: str) -> None:
    config = current_app.config
    device, address = _login_keys(email)
    ratelimit.record_failure(address, config["LOGIN_FAILURES_WINDOW"])
    ratelimit.record_failure(device, config["LOGIN_DELAY_WINDOW"])
    failures = ratelimit.count(device, config["LOGIN_DELAY_WINDOW"])
    if (over := int(failures) - config["LOGIN_FAILURES_PER_ACCOUNT"]) >= 0:
        ratelimit.delay(device, min(config["LOGIN_DELAY_SECONDS"] * 2 ** over, config["LOGIN_DELAY_MAX_SECONDS"]))


def login_succeeded(email: str) -> None:
    device, _address = _login_keys(email)
    ratelimit.reset(device, current_app.config["LOGIN_DELAY_WINDOW"])
    ratelimit.forget_delay(device)
