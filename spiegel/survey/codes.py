"""Team codes and resume codes: short enough to type on a phone, hard to guess.

The alphabet leaves out characters people confuse (0/O, 1/I/L), and lookups ignore case, spaces and
dashes. A 7-character team code has 31**7 ≈ 2.8·10^10 possibilities; failed attempts are rate limited.
"""
import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEAM_CODE_LENGTH = 7
RESUME_CODE_LENGTH = 8
SLIP_CODE_LENGTH = 10  # a personal slip: single use, so a little longer than a team code
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_team_code() -> str:
    return _random(TEAM_CODE_LENGTH)


def new_resume_code() -> str:
    return _random(RESUME_CODE_LENGTH)


def new_slip_code() -> str:
    return _random(SLIP_CODE_LENGTH)


def normalize_slip_code(raw: str | None) -> str | None:
    return normalize(raw, SLIP_CODE_LENGTH)


def display_slip_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def new_token() -> str:
    """The secret a respondent's browser keeps in a cookie."""
    return secrets.token_urlsafe(32)


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize(raw: str | None, length: int) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one of ours."""
    if not raw:
        return None
    code = "".join(raw.split()).replace("-", "").upper()
    if len(code) != length or any(ch not in ALPHABET for ch in code):
        return None
    return code


def normalize_team_code(raw: str | None) -> str | None:
    return normalize(raw, TEAM_CODE_LENGTH)


def normalize_resume_code(raw: str | None) -> str | None:
    return normalize(raw, RESUME_CODE_LENGTH)


def display_resume_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def page_token(secret_key: str, token: str) -> str:
    """The CSRF token of a device's question pages: an HMAC of its cookie token under the app's
    secret key. Another site can neither read the HttpOnly cookie nor compute this from it."""
    return hmac.new(secret_key.encode(), b"spiegel-page\x00" + token.encode(), hashlib.sha256).hexdigest()
