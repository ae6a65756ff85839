"""Respondent flow: /t/<CODE> (what a poster's QR code opens) → role → pages → review → done."""
import hmac
from functools import lru_cache

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh as refresh_locale
from markupsafe import Markup

from spiegel.shared.clock import utcnow
from spiegel.shared.dbfaults import DatabaseUnavailable
from spiegel.shared.extensions import csrf
from spiegel.shared.i18n import current_language
from spiegel.survey import attempts, codes, services
from spiegel.survey.forms import ResumeForm, StartForm

bp = Blueprint("survey", __name__, url_prefix="/t")


@bp.url_value_preprocessor
def load_round_team(endpoint, values):
    code = codes.normalize_team_code(values.get("code"))
    token, _sep, resume = request.cookies.get(cookie_name(code), "").partition(".") if code else ("", "", "")
    round_team, response = services.find_round_team(code, token)
    if round_team is None:
        attempts.check()
        attempts.failed()
        abort(404, description=_("We do not know this team code. Check the code on the poster and try again."))
    g.round_team = round_team
    g.team_code = round_team.code
    g.round = round_team.round
    g.round_language = round_team.round.default_language
    g.survey_response = response
    if response is not None:
        g.respondent_language = response.language  # kept when they resume on another device
    g.device_token = token if response is not None else None
    g.resume_code = codes.display_resume_code(resume) if response is not None and resume else None
    # A known code in a link (a poster's QR code) is never refused: see attempts.


@bp.url_defaults
def keep_code(endpoint, values):
    if "code" not in values and "team_code" in g:
        values["code"] = g.team_code


def cookie_name(code: str | None = None) -> str:
    """The device's cookie for a team holds "token.resumecode"."""
    return f"spiegel_{code or g.team_code}"


def current_response():
    """The respondent's response on this device, or None (found with the round-team, see above)."""
    return g.survey_response


def remember(target, token: str, resume: str):
    days = current_app.config["RESPONDENT_COOKIE_DAYS"]
    target.set_cookie(cookie_name(), f"{token}.{resume}", max_age=days * 86400, httponly=True, samesite="Lax",
                      secure=current_app.config["SESSION_COOKIE_SECURE"])
    return target


def closed_page(started: bool | None = None):
    """None while the round accepts answers from this device, else the page that says why not. A
    response started before the round closed (`started`: by default, this device's unsent one) may
    still be saved and sent for a grace period, so that closing the round cuts off no one mid-page."""
    now = utcnow()
    status = g.round.status(now)
    if status == "open":
        return None
    response = current_response()
    if started is None:
        started = response is not None and not response.submitted_on
    if status == "closed" and started and services.in_grace(g.round, now):
        return None
    return render_template("survey/unavailable.html", status=status, response=response), 403


def answering():
    """(this device's unsent response, None) while it may still answer, else (None, the page to show
    instead): the round's closed page, the join page, or the thank-you page."""
    if (closed := closed_page()) is not None:
        return None, closed
    response = current_response()
    if response is None:
        return None, redirect(url_for(".join"))
    if response.submitted_on:
        return None, redirect(url_for(".done"))
    return response, None


def continue_url(response) -> str:
    """Where a response goes on: its question page, the review once every page is behind it, or the
    thank-you page once sent. Every way back in (the team link, the resume code) goes through here."""
    if response.submitted_on:
        return url_for(".done")
    if response.page >= len(services.pages_for(g.round, response.role)):
        return url_for(".review")
    return url_for(".page", number=response.page)


@bp.get("/<code>")
def join(code):
    response = current_response()
    if response is not None and response.submitted_on:
        return redirect(url_for(".done"))
    if (page := closed_page()) is not None:
        return page
    if response is not None:
        return redirect(continue_url(response))
    start_form = StartForm()
    if request.args.get("slip"):  # a slip's QR code: /t/<CODE>?slip=<its code>
        start_form.slip.data = request.args["slip"][:40]
    return render_template("survey/join.html", start_form=start_form, resume_form=ResumeForm(),
                           staff=staff_session())


def staff_session() -> bool:
    """A staff member is logged in on this browser. They must log out before answering: a response
    started from a staff session could be tied to that person by whoever sees the device or logs."""
    return "_user_id" in session


@bp.post("/<code>/start")
def start(code):
    if (page := closed_page()) is not None:
        return page
    form = StartForm()
    if staff_session():
        return render_template("survey/join.html", start_form=form, resume_form=ResumeForm(), staff=True), 403
    if not form.validate():
        return render_template("survey/join.html", start_form=form, resume_form=ResumeForm()), 400
    if (existing := current_response()) is not None:  # a double tap on "start"
        return redirect(continue_url(existing))
    if g.round.access == "personal":
        attempts.check()  # slips are guessed like codes
        started = services.start_with_slip(g.round_team, form.role.data, current_language(), form.slip.data)
        if started is None:
            attempts.failed()
            form.slip.errors = [_("This personal code is not valid for this team, or it has already been used.")]
            return render_template("survey/join.html", start_form=form, resume_form=ResumeForm()), 400
        response, token, resume = started
    else:
        response, token, resume = services.start_response(g.round_team, form.role.data, current_language())
    return remember(redirect(url_for(".page", number=0, new=1)), token, resume)


@bp.post("/<code>/resume")
def resume(code):
    if (page := closed_page(started=True)) is not None:  # a resume code only finds a started response
        return page
    attempts.check()  # also for a device that already answers for this team
    form = ResumeForm()
    if staff_session():
        return render_template("survey/join.html", start_form=StartForm(), resume_form=form, staff=True), 403
    found = services.resume_with_code(g.round_team, form.resume_code.data) if form.validate() else None
    if found is None:
        if form.resume_code.data and not form.resume_code.errors:
            attempts.failed()
            form.resume_code.errors = [_("This resume code does not match an answer list of this team.")]
        return render_template("survey/join.html", start_form=StartForm(), resume_form=form), 400
    response, token = found
    resume_code = codes.normalize_resume_code(form.resume_code.data)
    flash(_("Welcome back. Your answers so far are kept."))
    return remember(redirect(continue_url(response)), token, resume_code)


@bp.route("/<code>/p/<int:number>", methods=["GET", "POST"])
@csrf.exempt  # checked below, so that an expired token re-renders with the answers kept
def page(code, number):
    if (closed := closed_page()) is not None:
        return closed
    response = current_response()
    if response is None:
        flash(_("This device has no answers for this team yet. Start, or continue with your resume code."))
        return redirect(url_for(".join"))
    if response.submitted_on:
        return redirect(url_for(".done"))
    pages = services.pages_for(g.round, response.role)
    if number == len(pages) and request.method == "GET":  # the step after the last page
        return redirect(url_for(".review"))
    if not 0 <= number < len(pages):
        abort(404)
    page = pages[number]
    if request.method == "GET":
        return render_page(pages, number, services.saved_form(response, page, number))

    try:
        answers = services.parse_page(page, number, request.form)
    except services.AnswerError:
        abort(400, description=_("Some answers on this page were not valid. Please answer again."))
    if not csrf_valid():
        message = _("Your session had expired, so this page was not saved yet. Your answers are still "
                    "filled in: please press the button again.")
        return render_page(pages, number, services.form_values(answers), message=message)
    action = request.form.get("action", "next")
    language = action.removeprefix("lang-") if action.startswith("lang-") else current_language()
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    if action == "back":
        destination = max(number - 1, 0)
    elif action.startswith("lang-"):
        destination = number
    else:
        destination = number + 1
    shown = pages[destination] if destination < len(pages) else None
    values = services.save_page(response, answers, destination, language, show=shown)
    if action.startswith("lang-"):
        session["lang"] = language
        refresh_locale()  # this answer is already in the new language
    if shown is None:
        return redirect(url_for(".review"))
    # The answer is the next page itself rather than a redirect to it: one round trip instead of two
    # on a study day's weak Wi-Fi. survey.js puts the page's own address in the address bar, so a
    # reload asks for the page (and without JavaScript a reload re-sends the same answers: harmless).
    return render_page(pages, destination, values)


@bp.post("/<code>/p/<int:number>/answer")
@csrf.exempt  # the page's own token, checked below
def answer(code, number):
    """One answer as it is tapped (survey.js sends each tap): saved without moving the respondent,
    so that a reload, a lost phone or a dropped connection before "Next" loses nothing. Answers 204."""
    response, elsewhere = answering()
    if elsewhere is not None:
        return elsewhere
    pages = services.pages_for(g.round, response.role)
    if not 0 <= number < len(pages):
        abort(404)
    if not csrf_valid():
        abort(403, description=_("Your session had expired, so this answer was not saved yet. It is still "
                                 "filled in: press the button below the questions to save it."))
    try:
        answers = services.parse_tap(pages[number], number, request.form)
    except services.AnswerError:
        abort(400, description=_("This answer was not valid. Please answer again."))
    services.save_answer(response, answers)
    return "", 204


def csrf_valid() -> bool:
    """The respondent flow's one CSRF check, for every POST on this device's response (question
    pages, taps, the review, "someone else on this phone"): the form's token must be the device's
    page token. Start and resume come before the device has its cookie: they are Flask-WTF forms, as
    every other form is."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    return g.device_token is not None and hmac.compare_digest(request.form.get("csrf_token", "").encode(),
                                                         page_token().encode())


def page_token() -> str:
    """A CSRF token bound to the device's cookie (codes.page_token) rather than to the session, as
    Flask-WTF's is: a page left open over a long break, or shown again after the browser dropped its
    session cookie (closed between two pages), still saves. A token shown on another device, or
    before this device's cookie was replaced (a resume code), is refused."""
    return codes.page_token(current_app.secret_key, g.device_token)


def render_page(pages, number, values, message=None):
    """A question page, with what this respondent answered on it (`values`)."""
    return render_template("survey/page.html", page=pages[number], number=number, total=len(pages), values=values,
                           blank_questions=None if values else blank_questions(pages[number], current_language()),
                           message=message, new=request.args.get("new") == "1", resume_code=g.resume_code,
                           page_token=page_token())


@lru_cache(maxsize=256)
def blank_questions(page, language: str) -> Markup:
    """A page's questions with nothing filled in, rendered once per page and language: on a study day
    nearly every page is shown blank, and its questions are most of the page's rendering. Only blank
    pages: what one respondent answered is never kept after their request."""
    return Markup(render_template("survey/_questions.html", page=page, values={}))


@bp.route("/<code>/review", methods=["GET", "POST"])
@csrf.exempt  # the page token, checked below
def review(code):
    response, elsewhere = answering()
    if elsewhere is not None:
        return elsewhere
    pages = services.pages_for(g.round, response.role)
    if request.method == "POST":
        if not csrf_valid():
            flash(_("Your session had expired. Nothing is lost: please press the button again."))
        elif request.form.get("action") == "back":
            return redirect(url_for(".page", number=len(pages) - 1))
        else:
            services.submit(response)
            return redirect(url_for(".done"))
    unanswered = services.unanswered(response, pages)
    asked = sum(len(p.items) for p in pages)
    return render_template("survey/review.html", page_token=page_token(), answered=asked - len(unanswered), asked=asked,
                           unanswered=unanswered, last_page=len(pages) - 1)


@bp.get("/<code>/done")
def done(code):
    response = current_response()
    sent = response is not None and response.submitted_on
    return render_template("survey/done.html", sent=sent, page_token=page_token() if sent else None)


@bp.post("/<code>/another")
@csrf.exempt  # the page token, checked below
def another(code):
    """"Someone else on this phone": after sending, a shared device forgets its response for this team,
    so the next colleague starts their own. A response still being answered is never dropped."""
    response = current_response()
    if response is not None and not response.submitted_on:
        return redirect(continue_url(response))
    if response is not None and not csrf_valid():
        abort(400, description=_("This form had expired. Please go back, reload the page and try again."))
    target = redirect(url_for(".join"))
    target.delete_cookie(cookie_name(), httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    session.pop("lang", None)  # the next colleague's own browser language, until they choose
    return target


@bp.errorhandler(DatabaseUnavailable)
def database_unavailable(error: DatabaseUnavailable):
    """A database fault (spiegel.shared.dbfaults; a dropped connection is retried first): the form the
    respondent sent, shown again with what they chose or typed and a request to press again, never a
    500. Nothing of the failed request was saved (its connection rolls back at teardown)."""
    headers = {"Retry-After": str(error.retry_after)}
    message = _("Your answers are kept, but we could not save them just now. Please press the button again "
                "in a moment.")
    response = g.get("survey_response")
    if request.method == "POST" and "round_team" in g:
        if request.endpoint in ("survey.start", "survey.resume"):
            return render_template("survey/join.html", start_form=StartForm(), resume_form=ResumeForm(),
                                   message=message), 503, headers
        if response is not None and request.endpoint == "survey.review":
            pages = services.pages_for(g.round, response.role)
            return render_template("survey/review.html", page_token=page_token(), answered=None, last_page=len(pages) - 1,
                                   asked=sum(len(p.items) for p in pages), message=message), 503, headers
        if response is not None and request.endpoint == "survey.page":
            pages, number = services.pages_for(g.round, response.role), request.view_args["number"]
            if 0 <= number < len(pages):
                try:
                    values = services.form_values(services.parse_page(pages[number], number, request.form))
                except services.AnswerError:
                    values = {}
                return render_page(pages, number, values, message=message), 503, headers
    return render_template("errors/error.html", code=503, message=error.description), 503, headers
