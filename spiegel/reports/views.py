"""The team mirror on screen and as PDF, and printing a round's mirrors as one ZIP.

Thin views: access through spiegel.accounts.access, data from spiegel.reports.services; PDFs are
printed on the task queue (spiegel.reports.tasks through spiegel.jobs), never in a web worker.
"""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from spiegel.accounts.access import (
    can_facilitate,
    can_view_team,
    is_admin,
    login_required,
    round_team_or_404,
)
from spiegel.jobs import (
    STALLED,
    TIMED_OUT,
    Job,
    recover_if_stalled,
    stored_result,
    submit,
    wait_for,
)
from spiegel.reports import services
from spiegel.reports.forms import BatchForm
from spiegel.reports.tasks import KIND, MIRROR, request_mirror, round_teams_of
from spiegel.results import profiles as results
from spiegel.rounds.models import RoundTeam
from spiegel.rounds.services import response_counts
from spiegel.shared.extensions import db
from spiegel.shared.i18n import current_language

bp = Blueprint("reports", __name__)


@bp.get("/mirror/<int:round_team_id>")
@login_required
def mirror(round_team_id: int):
    round_team = round_team_or_404(round_team_id)
    g.round_language = round_team.round.default_language  # the team's language unless the reader chose one
    if not results.refresh_releases([round_team.id]):
        return _not_released(round_team)
    report = services.team_report(round_team, current_language(), medium="web")
    return render_template("reports/mirror.html", r=report, medium="web", round_team=round_team)


@bp.get("/mirror/<int:round_team_id>.pdf")
@login_required
def mirror_pdf(round_team_id: int):
    round_team = round_team_or_404(round_team_id)
    if not results.refresh_releases([round_team.id]):
        return redirect(url_for(".mirror", round_team_id=round_team.id))  # which says when it comes
    job = request_mirror(round_team, request.args.get("lang"), items=request.args.get("items") == "1",
                         user_id=current_user.id)
    # A mirror printed before for the same data is ready at once; a new one usually within a few seconds.
    job = wait_for(job, current_app.config["MIRROR_WAIT_SECONDS"])
    result = stored_result(job)
    if result is not None:
        return _send(result)
    return render_template("reports/job.html", job=job, status=_status(job), round_id=None, single=True)


def _send(result, attachment: bool = False) -> Response:
    disposition = "attachment" if attachment else "inline"
    return Response(result.data, mimetype=result.mimetype,
                    headers={"Content-Disposition": f'{disposition}; filename="{result.filename}"',
                             "Cache-Control": "private, no-cache"})


def _not_released(round_team: RoundTeam):
    """While the round is open a team's results are not shown: only how many have answered."""
    counts = response_counts([round_team.round_id]).get(round_team.id)
    return render_template("reports/not_released.html", round_team=round_team, counts=counts,
                           minimum=current_app.config["MIN_GROUP_SIZE"], may_release=can_facilitate(round_team))


@bp.post("/mirror/<int:round_team_id>/release")
@login_required
def release(round_team_id: int):
    round_team = round_team_or_404(round_team_id)
    if not can_facilitate(round_team):
        abort(404)
    results.release_early(round_team)
    flash(_("The team's results are released. They change only when at least %(minimum)d new responses have come in.",
            minimum=current_app.config["MIN_GROUP_SIZE"]))
    return redirect(url_for(".mirror", round_team_id=round_team.id))


def _round_or_404(round_id: int):
    """The round and the teams of it the user may see; 404 when there are none (a team-scoped coach
    sees only their own teams of the round)."""
    try:
        round_, teams = round_teams_of(round_id)
    except LookupError:
        abort(404)
    teams = [rt for rt in teams if can_view_team(rt.team_id)]
    if not teams:
        abort(404)
    return round_, teams


@bp.route("/mirror/round/<int:round_id>", methods=["GET", "POST"])
@login_required
def round_mirrors(round_id: int):
    round_, teams = _round_or_404(round_id)
    form = BatchForm()
    if form.validate_on_submit():
        job = submit(KIND, user_id=current_user.id, round_id=round_.id, round_team_ids=[rt.id for rt in teams],
                     lang=form.lang.data or None, items=bool(form.items.data))
        return redirect(url_for(".job", job_id=job.id))
    jobs = db.session.scalars(select(Job).where(Job.kind == KIND, Job.user_id == current_user.id)
                              .order_by(Job.id.desc()).limit(20)).all()
    jobs = [recover_if_stalled(job) for job in jobs if job.params.get("round_id") == round_.id][:5]
    return render_template("reports/round.html", round=round_, teams=teams, form=form, jobs=jobs,
                           status_labels=_status_texts())


def _job_or_404(job_id: int) -> Job:
    """A report batch of the current user, or a team's mirror (shared by whoever may see the team),
    still within their scope (every team in it)."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind not in (KIND, MIRROR):
        abort(404)
    if job.kind == KIND and job.user_id != current_user.id and not is_admin():
        abort(404)
    ids = job.params.get("round_team_ids") or []
    team_ids = db.session.scalars(select(RoundTeam.team_id).where(RoundTeam.id.in_(ids))).all()
    if not all(can_view_team(team_id) for team_id in team_ids):
        abort(404)
    return recover_if_stalled(job)  # a job whose worker died goes back on the queue instead of waiting for ever


@bp.get("/mirror/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    job = _job_or_404(job_id)
    return render_template("reports/job.html", job=job, status=_status(job), round_id=job.params.get("round_id"),
                           single=job.kind == MIRROR)


@bp.get("/mirror/jobs/<int:job_id>.json")
@login_required
def job_status(job_id: int):
    return jsonify(_status(_job_or_404(job_id)))


def _status(job: Job) -> dict:
    ready = job.done and stored_result(job) is not None
    if job.error == STALLED:
        text = _("Printing stopped: the printing process is no longer running.")
    elif job.error == TIMED_OUT:
        text = _("Printing took too long and was stopped. Please try again, or ask the administrator.")
    else:
        text = _status_texts().get(job.status, job.status)
    detail = _("%(done)s of %(total)s reports", done=job.progress, total=job.total) \
        if job.total and job.kind == KIND else ""
    return {
        "status": job.status, "progress": job.progress, "total": job.total, "percent": job.percent,
        "text": text, "detail": detail,
        "download": url_for(".job_download", job_id=job.id) if ready else None,
    }


def _status_texts() -> dict[str, str]:
    return {"queued": _("Waiting to start…"), "running": _("Printing the mirrors…"), "done": _("Ready."),
            "failed": _("Printing failed. Please try again, or ask the administrator.")}


@bp.get("/mirror/jobs/<int:job_id>/download")
@login_required
def job_download(job_id: int):
    result = stored_result(_job_or_404(job_id))
    if result is None:
        abort(404)
    return _send(result, attachment=result.mimetype == "application/zip")
