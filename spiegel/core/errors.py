"""Error pages in the user's language; never a stack trace. Unhandled errors are logged and, when
configured, reported (see error_hook)."""
import pkgutil
from collections.abc import Callable

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from spiegel.shared.db import discard_request_connection
from spiegel.shared.dbfaults import DatabaseUnavailable, fault_of
from spiegel.shared.extensions import db


def _messages():
    return {
        400: _("Something in your request was not valid."),
        403: _("You are not allowed to open this page."),
        404: _("This page does not exist."),
        405: _("This page cannot be used this way."),
        413: _("What you sent is too large."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Your saved answers are safe; please try again."),
    }


def init_errors(app: Flask) -> None:
    report = error_hook(app)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        default = _messages().get(code, _("Something went wrong."))
        # Our own abort(…, description=…) messages are translated and shown; werkzeug's English
        # defaults are replaced by ours.
        own = error.description if error.description != type(error).description else None
        headers = [(k, v) for k, v in error.get_headers() if k in ("Retry-After", "Allow")]
        return render_template("errors/error.html", code=code, message=own or default), code, headers

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("This form had expired. Please go back, reload the page and try again.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        """A dropped connection, a full disk or a read-only database: a calm 503, which a blueprint
        may answer with its own page (see survey.views); anything else is a bug (500)."""
        if (fault := fault_of(error)) is None:
            return unexpected(error)
        _rollback()
        app.logger.warning("Database unavailable (%s): %s", fault, error.orig)
        return app.handle_http_exception(DatabaseUnavailable(fault))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        _rollback()
        app.logger.exception("Unhandled error")
        try:
            report(error)
        except Exception:  # a broken reporter must not turn the error page into a worse one
            app.logger.exception("The error hook failed")
        return render_template("errors/error.html", code=500, message=_messages()[500]), 500


def _rollback() -> None:
    """Forget the ORM session's transaction (on a dropped connection the rollback itself may fail),
    and give back the request's Core connection: whatever answers the error (a page that keeps the
    answers) gets a fresh one rather than one that was dropped or is in a failed transaction."""
    discard_request_connection()
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()


def error_hook(app: Flask) -> Callable[[BaseException], object]:
    """Where an unhandled error goes besides the log (off by default): ERROR_HOOK, the dotted path of a
    callable taking the exception ("package.module:function"); else, with SENTRY_DSN set, Sentry
    (sentry-sdk, `pip install -e ".[sentry]"`). Resolved at start-up, so a wrong path stops the app
    at once. Called from the 500 handler: Flask's own got_request_exception signal, which Sentry's Flask
    integration listens to, is not sent for an error a handler has answered."""
    if path := app.config.get("ERROR_HOOK"):
        return pkgutil.resolve_name(path)
    if dsn := app.config.get("SENTRY_DSN"):
        import sentry_sdk
        from sentry_sdk.integrations.flask import FlaskIntegration

        sentry_sdk.init(dsn=dsn, integrations=[FlaskIntegration()])  # by default no cookies, no addresses
        return sentry_sdk.capture_exception
    return lambda error: None
