"""Error pages in the user's language; never a stack trace."""
from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

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
        return render_template("errors/error.html", code=500, message=_messages()[500]), 500


def _rollback() -> None:
    """Forget the ORM session's transaction; on a dropped connection the rollback itself may fail."""
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()
