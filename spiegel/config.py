"""Built-in defaults. Overridden by instance/config.py, then by SPIEGEL_* environment variables."""

# Database: SQLite file in the instance folder unless DATABASE_URL (SPIEGEL_DATABASE_URL) is set.
DATABASE_URL = None

# Anonymity: groups smaller than this never show numbers. Never below 3 (enforced in create_app).
MIN_GROUP_SIZE = 3

LANGUAGES = ["nl", "en", "fr"]
BABEL_DEFAULT_LOCALE = "nl"

# Respondent flow
ITEMS_PER_PAGE = 5
RESPONDENT_COOKIE_DAYS = 60

# Flask / Flask-WTF. A questionnaire takes ~25 minutes and phones lock: CSRF tokens live as long
# as the (permanent) session, and an expired token re-renders the page with the answers kept.
WTF_CSRF_TIME_LIMIT = 12 * 3600
PERMANENT_SESSION_LIFETIME = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
MAX_CONTENT_LENGTH = 64 * 1024
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
