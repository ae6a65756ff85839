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
# After a round closes, responses already started may still be saved and sent for this long, so that
# closing it does not cut off someone mid-page. No new response starts once it is closed.
CLOSE_GRACE_MINUTES = 30

# Flask / Flask-WTF. A questionnaire takes ~25 minutes and phones lock: CSRF tokens live as long
# as the (permanent) session, and an expired token re-renders the page with the answers kept.
WTF_CSRF_TIME_LIMIT = 12 * 3600
PERMANENT_SESSION_LIFETIME = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
MAX_CONTENT_LENGTH = 64 * 1024
# A database server can drop pooled connections (restart, failover, an idle timeout): a pooled
# connection that sat unused for longer than this is tested before use, and replaced if it is gone.
# (Testing every one, SQLAlchemy's pool_pre_ping, costs a round trip on every request of a study day,
# when connections are reused within milliseconds.)
DATABASE_PING_IDLE_SECONDS = 10

# Failed code attempts (team codes, resume codes) per window, counted in the database so every web
# worker sees them. A whole school shares one IP address: its budget is generous; one device's
# (session cookie's) budget is small. Successful joins are never counted.
RATE_LIMIT_ENABLED = True
CODE_FAILURES_WINDOW = 60
CODE_FAILURES_PER_IP = 60
CODE_FAILURES_PER_CLIENT = 10
# Reverse proxies in front of Spiegel whose X-Forwarded-For header is trusted (0: none). Behind one
# nginx, set 1: otherwise every respondent seems to come from the proxy's address.
PROXY_FIX_X_FOR = 0

# Failed logins: per account on one device (its session cookie), from LOGIN_FAILURES_PER_ACCOUNT
# failures within LOGIN_DELAY_WINDOW on, that device waits LOGIN_DELAY_SECONDS, doubled per further
# failure, at most LOGIN_DELAY_MAX_SECONDS; the account stays usable on every other device. Per IP
# address, LOGIN_FAILURES_PER_IP failures per LOGIN_FAILURES_WINDOW.
LOGIN_FAILURES_WINDOW = 300
LOGIN_FAILURES_PER_ACCOUNT = 5
LOGIN_FAILURES_PER_IP = 30
LOGIN_DELAY_WINDOW = 3600
LOGIN_DELAY_SECONDS = 30
LOGIN_DELAY_MAX_SECONDS = 900

# Absolute base of the join links and QR codes on posters, e.g. "https://spiegel.school.be".
# When unset, the host of the request that renders the poster is used.
# PUBLIC_URL = "https://spiegel.example.org"

# Error reporting (off by default). Every unhandled error is logged; besides, ERROR_HOOK
# (SPIEGEL_ERROR_HOOK) names a callable that gets the exception, e.g. "mysite.alerts:report", and
# SENTRY_DSN (SPIEGEL_SENTRY_DSN) sends them to Sentry (install the extra: pip install -e ".[sentry]").
ERROR_HOOK = None
SENTRY_DSN = None

# Raw responses (answers, open answers) of rounds closed more than this many months ago are deleted by
# `flask spiegel purge` (run it from cron). Aggregates in reports printed before stay the school's own.
RETENTION_MONTHS = 24

# Background jobs (PDF batches, mirrors) run on a task queue (spiegel/shared/queue.py): unset, a SQLite file in
# the instance folder (one machine); "redis://host:6379/0" for an installation on several machines.
QUEUE_URL = None
# The queue's name; unset, derived from SECRET_KEY (the same on every machine of one installation).
QUEUE_NAME = None
# Worker processes of `flask spiegel worker`: how many renders run at once on that machine.
QUEUE_WORKERS = 2
# Tests only: run each job at once in the process that submits it.
QUEUE_IMMEDIATE = False
# A queued or running job whose worker has shown no sign of life for this many seconds (a worker that
# was killed, a machine that went away) goes back on the queue, at most JOB_MAX_ATTEMPTS runs in all;
# after that it is shown as failed, with a way to start again.
JOB_STALL_SECONDS = 120
JOB_MAX_ATTEMPTS = 3
# A job that fails with an error runs again once after this many seconds.
JOB_RETRY_DELAY_SECONDS = 5
# How long the request for a mirror PDF waits for the queue before it shows a progress page.
MIRROR_WAIT_SECONDS = 4
# Results of jobs (ZIPs, mirror PDFs) made longer ago than this are deleted: when a new job starts,
# and by `flask spiegel purge`.
JOB_RESULTS_MAX_AGE_HOURS = 168
