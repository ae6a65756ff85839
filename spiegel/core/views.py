"""Home page (type a team code), language switch, health check."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from spiegel.shared import dbfaults
from spiegel.survey import attempts, services
from spiegel.survey.forms import JoinForm

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    return render_template("core/home.html", form=JoinForm())


@bp.post("/join")
def join():
    form = JoinForm()
    if form.validate():
        attempts.check()
        round_team, _response = services.find_round_team(form.code.data)
        if round_team is not None:
            return redirect(url_for("survey.join", code=round_team.code))
        attempts.failed()
        form.code.errors = [_("We do not know this team code. Check the code on the poster and try again.")]
    return render_template("core/home.html", form=form), 400


@bp.get("/lang/<lang>")
def set_language(lang):
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    target = request.args.get("next", "")
    # Only local paths: never redirect to another site.
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target)):
        target = url_for("core.home")
    return redirect(target)


@bp.get("/healthz")
def healthz():
    """200 when the database takes a write; otherwise 503 with the reason ("read_only", "full",
    "disconnected", "unavailable" or "error")."""
    try:
        fault = dbfaults.write_fault()
    except Exception:  # noqa: BLE001 - any failure means "not healthy", reported, not raised
        current_app.logger.exception("Health check failed")
        fault = "error"
    if fault is None:
        return jsonify(status="ok", database="ok")
    return jsonify(status="error", database=fault), 503, {"Retry-After": str(dbfaults.RETRY_AFTER)}
