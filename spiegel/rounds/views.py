"""Rounds for staff: create and manage them (school leaders of the school, administrators), posters,
the live counter, the comparison and trend, exports. Out-of-scope ids answer 404."""
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from spiegel.accounts.access import (
    can_facilitate,
    can_manage_school,
    login_required,
    round_or_404,
    round_team_or_404,
    school_or_404,
)
from spiegel.org.models import Team
from spiegel.results import numbers
from spiegel.rounds import comparison, exports, pulse, services
from spiegel.rounds.forms import ReopenForm, RoundForm, SlipsForm, end_of_day
from spiegel.rounds.links import join_url, site_address, template_helpers
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.anonymity import shown_count, shown_total
from spiegel.shared.clock import utcnow
from spiegel.shared.db import valid_id
from spiegel.shared.extensions import db
from spiegel.shared.forms import ConfirmDeleteForm
from spiegel.survey import codes

bp = Blueprint("rounds", __name__)


@bp.context_processor
def helpers():
    return {**template_helpers(), "now": utcnow(), "num": _num, "signed": _signed, "pole_step": _pole_step,
            "format_datetime": format_datetime}


def _num(value: float | None) -> str:
    """A mean or spread as shown everywhere (one decimal, half up), in the reader's locale."""
    return numbers.score(value, empty="")


def _signed(value: float | None) -> str:
    return numbers.change(value)


def _pole_step(position: float) -> int:
    """Where the dot sits on a pole track: −8..8 in half points (a CSS class, no inline style)."""
    return max(-8, min(8, round(position * 2)))


def _eligible_teams(school, round_=None) -> list[Team]:
    """Teams that can take part: the school's active teams, and any team already in the round."""
    current = {rt.team_id for rt in round_.round_teams} if round_ is not None else set()
    teams = db.session.scalars(select(Team).where(Team.school_id == school.id).order_by(Team.name)).all()
    return [t for t in teams if not t.archived or t.id in current]


def _round_data(form: RoundForm) -> services.RoundData:
    opens_at, closes_at = form.window()
    return services.RoundData(
        name=form.name.data, innovation_name=form.innovation_name.data,
        innovation_description=form.innovation_description.data or "", opens_at=opens_at, closes_at=closes_at,
        default_language=form.default_language.data, modules=form.modules.data, team_ids=form.teams.data,
        sprint_count=form.sprint_count.data, sprint_weeks=form.sprint_weeks.data, access=form.access.data)


def _round_error_message(error: services.RoundError) -> tuple[str, str]:
    """(form field, message in the user's language) for a refused change."""
    text = str(error)
    if "modules" in text:
        return "modules", _("The modules cannot change once answers have come in.")
    if "team with answers" in text:
        return "teams", _("A team that has already answered cannot leave the round.")
    if "closes" in text:
        return "closes_on", _("The round cannot close before it opens.")
    if "module" in text:
        return "modules", _("Choose at least one module.")
    return "teams", _("Choose teams of this school.")


@bp.route("/schools/<int:school_id>/rounds/new", methods=["GET", "POST"])
@login_required
def new(school_id):
    school = school_or_404(school_id, manage=True)
    form = RoundForm(_eligible_teams(school))
    if request.method == "GET":
        form.modules.data = [m.id for m in services.module_choices() if not m.optional]
        form.default_language.data = current_app.config["BABEL_DEFAULT_LOCALE"]
    if form.validate_on_submit():
        try:
            round_ = services.create_round(school, _round_data(form))
        except services.RoundError as error:
            field, message = _round_error_message(error)
            getattr(form, field).errors = [message]
        else:
            flash(_("Round created. Each team has its code and poster."))
            return redirect(url_for(".detail", round_id=round_.id))
    return render_template("rounds/form.html", form=form, school=school, round=None), 400 if form.errors else 200


@bp.get("/rounds/<int:round_id>")
@login_required
def detail(round_id):
    round_ = round_or_404(round_id, manage=True)
    return _detail(round_, ReopenForm())


def _detail(round_: Round, reopen_form: ReopenForm, status: int = 200):
    teams = services.round_teams(round_)
    counts = services.response_counts([round_.id])
    contents = round_.instrument_modules()
    return render_template("rounds/detail.html", round=round_, teams=teams, counts=counts, modules=contents,
                           status=round_.status(utcnow()), reopen_form=reopen_form), status


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@login_required
def edit(round_id):
    round_ = round_or_404(round_id, manage=True)
    form = RoundForm(_eligible_teams(round_.school, round_), new=False)
    if request.method == "GET":
        form.fill_from(round_)
    if form.validate_on_submit():
        try:
            services.update_round(round_, _round_data(form))
        except services.RoundError as error:
            db.session.rollback()
            field, message = _round_error_message(error)
            getattr(form, field).errors = [message]
        else:
            flash(_("Round saved."))
            return redirect(url_for(".detail", round_id=round_.id))
    return render_template("rounds/form.html", form=form, school=round_.school, round=round_), \
        400 if form.errors else 200


@bp.post("/rounds/<int:round_id>/open")
@login_required
def open_now(round_id):
    round_ = round_or_404(round_id, manage=True)
    try:
        services.open_now(round_)
        flash(_("The round is open."))
    except services.RoundError:
        flash(_("Only a round that has not opened yet can be opened now."))
    return redirect(url_for(".detail", round_id=round_.id))


@bp.route("/rounds/<int:round_id>/close", methods=["GET", "POST"])
@login_required
def close(round_id):
    """Closing asks first, and says how many are still answering: they get a grace period."""
    round_ = round_or_404(round_id, manage=True)
    if request.method == "GET":
        busy = sum(c.started - c.submitted for c in services.response_counts([round_.id]).values())
        return render_template("rounds/close.html", round=round_, busy=busy,
                               grace=current_app.config["CLOSE_GRACE_MINUTES"],
                               minimum=current_app.config["MIN_GROUP_SIZE"])
    try:
        services.close_now(round_)
        flash(_("The round is closed. No new answers come in."))
    except services.RoundError:
        flash(_("The round was already closed."))
    return redirect(url_for(".detail", round_id=round_.id))


@bp.post("/rounds/<int:round_id>/reopen")
@login_required
def reopen(round_id):
    round_ = round_or_404(round_id, manage=True)
    form = ReopenForm()
    if form.validate():
        try:
            services.reopen(round_, end_of_day(form.closes_on.data))
        except services.RoundError:
            flash(_("Only a closed round can be reopened."))
        else:
            flash(_("The round is open again."))
            return redirect(url_for(".detail", round_id=round_.id))
    return _detail(round_, form, 400)


@bp.route("/rounds/<int:round_id>/delete", methods=["GET", "POST"])
@login_required
def delete(round_id):
    round_ = round_or_404(round_id, manage=True)
    form = ConfirmDeleteForm(round_.name)
    if form.validate_on_submit():
        name, school_id = round_.name, round_.school_id
        contents = services.delete_round(round_)
        flash(_("Round %(name)s deleted, with %(responses)d responses.", name=name, responses=contents.responses))
        return redirect(url_for("org.school", school_id=school_id))
    return render_template("rounds/delete.html", round=round_, form=form,
                           contents=services.round_contents(round_)), 400 if form.errors else 200


# -- posters ----------------------------------------------------------------------------------------

def _posters(round_: Round, round_teams: list[RoundTeam]):
    """Posters in the round's language, whatever the staff member's own language."""
    from spiegel.shared.qr import qr_code

    with force_locale(round_.default_language):
        posters = []
        for round_team in round_teams:
            link = join_url(round_team.code)
            posters.append({"round_team": round_team, "link": link,
                            "qr": qr_code(link, title=_("QR code for team %(team)s", team=round_team.team.name),
                                          desc=link)})
        return render_template("rounds/posters.html", round=round_, posters=posters, site=site_address(),
                               poster_language=round_.default_language)


@bp.get("/rounds/<int:round_id>/posters")
@login_required
def posters(round_id):
    round_ = round_or_404(round_id, manage=True)
    return _posters(round_, services.round_teams(round_))


@bp.get("/rounds/<int:round_id>/posters/<int:round_team_id>")
@login_required
def poster(round_id, round_team_id):
    round_ = round_or_404(round_id, manage=True)
    round_team = db.session.get(RoundTeam, round_team_id)
    if round_team is None or round_team.round_id != round_.id:
        abort(404)
    return _posters(round_, [round_team])


# -- live counter -----------------------------------------------------------------------------------

@bp.get("/rounds/<int:round_id>/live")
@login_required
def live(round_id):
    round_ = round_or_404(round_id)
    counts = services.response_counts([round_.id])
    return render_template("rounds/live.html", round=round_, teams=services.round_teams(round_), counts=counts,
                           total=services.team_totals(counts.values()), status=round_.status(utcnow()))


@bp.get("/rounds/<int:round_id>/live.json")
@login_required
def live_json(round_id):
    """Numbers only: how many started and submitted per team (below the minimum "fewer than N"). No
    answers, no scores."""
    round_ = round_or_404(round_id)
    counts = services.response_counts([round_.id])
    total = services.team_totals(counts.values())
    response = jsonify(
        round=round_.id, status=round_.status(utcnow()),
        teams={str(rt_id): {"started": shown_count(c.started), "submitted": shown_count(c.submitted)}
               for rt_id, c in counts.items()},
        total={"started": shown_total(total.started, total.started_hidden),
               "submitted": shown_total(total.submitted, total.submitted_hidden)})
    response.headers["Cache-Control"] = "no-store"
    return response


# -- study day: one team's code, QR and count, for a projector ---------------------------------------

def _study_day_team(round_id: int, round_team_id: int) -> RoundTeam:
    """The round-team for anyone who may see the team (its facilitators and coaches, its school's
    leaders, administrators); 404 otherwise, or when it is not in this round."""
    round_team = round_team_or_404(round_team_id)
    if round_team.round_id != round_id:
        abort(404)
    return round_team


def _study_day_counts(round_team: RoundTeam) -> dict[str, str]:
    """Started and submitted as shown: below the minimum group size "fewer than N", never the number
    (a facilitator in the room could tell who has not answered yet)."""
    counts = services.response_counts([round_team.round_id]).get(round_team.id, services.Counts())
    return {"started": shown_count(counts.started), "submitted": shown_count(counts.submitted)}


@bp.get("/rounds/<int:round_id>/teams/<int:round_team_id>/study-day")
@login_required
def study_day(round_id, round_team_id):
    from spiegel.shared.qr import qr_code

    round_team = _study_day_team(round_id, round_team_id)
    link = join_url(round_team.code)
    qr = qr_code(link, title=_("QR code for team %(team)s", team=round_team.team.name), desc=link)
    return render_template("rounds/study_day.html", round=round_team.round, round_team=round_team, link=link, qr=qr,
                           site=site_address(), counts=_study_day_counts(round_team), status=round_team.round.status(utcnow()),
                           may_print_slips=can_facilitate(round_team))


@bp.route("/rounds/<int:round_id>/teams/<int:round_team_id>/slips", methods=["GET", "POST"])
@login_required
def slips(round_id, round_team_id):
    """Personal slips of a team, to print and cut: each code is shown this once and takes one response."""
    from spiegel.shared.qr import qr_code

    round_team = _study_day_team(round_id, round_team_id)
    if round_team.round.access != "personal" or not can_facilitate(round_team):
        abort(404)
    form = SlipsForm()
    if request.method == "GET":
        form.count.data = round_team.team.members or 10
    elif form.validate():
        slips = []
        for slip in services.make_slips(round_team, form.count.data):
            link = f"{join_url(round_team.code)}?slip={slip}"
            slips.append({"code": codes.display_slip_code(slip), "link": link,
                          "qr": qr_code(link, title=_("Personal code for team %(team)s", team=round_team.team.name))})
        with force_locale(round_team.round.default_language):
            return render_template("rounds/slips_sheet.html", round=round_team.round, round_team=round_team,
                                   slips=slips, site=site_address())
    return render_template("rounds/slips.html", round=round_team.round, round_team=round_team, form=form), \
        400 if form.errors else 200


@bp.get("/rounds/<int:round_id>/teams/<int:round_team_id>/study-day.json")
@login_required
def study_day_json(round_id, round_team_id):
    """The study day's counts as shown (live.js puts them in place): no small numbers, no answers."""
    round_team = _study_day_team(round_id, round_team_id)
    response = jsonify(teams={str(round_team.id): _study_day_counts(round_team)})
    response.headers["Cache-Control"] = "no-store"
    return response


# -- comparison, trend, exports ---------------------------------------------------------------------

@bp.get("/rounds/<int:round_id>/compare")
@login_required
def compare(round_id):
    round_ = round_or_404(round_id)
    heatmap = comparison.heatmap(round_, request.args.get("view", "groups"))
    others = db.session.scalars(select(Round).where(Round.school_id == round_.school_id)
                                .order_by(Round.opens_at.desc())).all()
    return render_template("rounds/compare.html", round=round_, heatmap=heatmap, rounds=others,
                           manage=can_manage_school(round_.school_id))


@bp.get("/schools/<int:school_id>/trend")
@login_required
def trend(school_id):
    school = school_or_404(school_id)
    team = None
    if (team_id := request.args.get("team", type=int)) is not None:
        team = db.session.get(Team, team_id) if valid_id(team_id) else None
        if team is None or team.school_id != school.id:
            abort(404)
    rounds = db.session.scalars(select(Round).where(Round.school_id == school.id, Round.opens_at <= utcnow())
                                .order_by(Round.opens_at)).all()
    data = comparison.trend(rounds, team, elements=pulse.focus_of(rounds, team) if team is not None else ())
    teams = db.session.scalars(select(Team).where(Team.school_id == school.id).order_by(Team.name)).all()
    return render_template("rounds/trend.html", school=school, trend=data, team=team, teams=teams,
                           chart=_trend_chart(data))


def _trend_chart(data: comparison.Trend):
    from spiegel.shared.i18n import localized
    from spiegel.shared.trend import Series, trend_lines

    if not data.points or not data.columns:
        return None
    series = []
    for column in data.columns:
        values = []
        for point in data.points:
            value = point.values.get(column.label)
            values.append(value.mean if value is not None else None)
        if any(v is not None for v in values):
            series.append(Series(localized(column.name), tuple(values)))
    if not series:
        return None
    who = data.team.name if data.team is not None else _("School mean")
    return trend_lines(series, x_labels=[p.round_name for p in data.points],
                       title=_("Trend across rounds: %(who)s", who=who),
                       desc=_("Scores of the condition groups and pillars per round, on a scale from 1 to 5. "
                              "The table below gives the same numbers."))


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _filename(round_: Round, extension: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d")
    return f"spiegel-round-{round_.id}-{stamp}.{extension}"


@bp.get("/rounds/<int:round_id>/export.csv")
@login_required
def export_csv(round_id):
    round_ = round_or_404(round_id)
    return _download(exports.to_csv(exports.aggregate_rows(round_)), "text/csv; charset=utf-8",
                     _filename(round_, "csv"))


@bp.get("/rounds/<int:round_id>/export.xlsx")
@login_required
def export_xlsx(round_id):
    round_ = round_or_404(round_id)
    notes = [round_.school.name, round_.name, round_.innovation_name,
             _("Aggregates only. Teams and units below the minimum group size of %(n)d show no numbers.",
               n=current_app.config["MIN_GROUP_SIZE"])]
    return _download(exports.to_xlsx(exports.aggregate_rows(round_), round_.name, notes),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _filename(round_, "xlsx"))


@bp.get("/instrument.json")
@login_required
def instrument():
    response = jsonify(exports.instrument_json())
    response.headers["Content-Disposition"] = 'attachment; filename="spiegel-instrument.json"'
    return response
