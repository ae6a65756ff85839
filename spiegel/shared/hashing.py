"""What the database keeps of a secret (a respondent's token, a resume or slip code, a password-reset
token): its SHA-256, never the secret itself."""
import hashlib


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
