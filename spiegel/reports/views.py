"""The team mirror on screen and as PDF, and printing a round's mirrors as one ZIP (a background job).

Thin views: access through spiegel.accounts.access, data from spiegel.reports.services, the batch
from spiegel.reports.tasks via the generic job runner.
"""
from flask import (Blueprint, Response, abort, current_app, flash, g, jsonify, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from spiegel.accounts.access import can_facilitate, can_view_team, is_admin, login_required, round_team_or_404
from spiegel.extensions import db
from spiegel.i18n import current_language
from spiegel.jobs import STALLED, Job, fail_if_stalled, result_path, submit
from spiegel.reports import services
from spiegel.reports.forms import BatchForm
from spiegel.reports.tasks import KIND, round_teams_of
from spiegel.rounds import profiles as results
from spiegel.rounds.models import RoundTeam
from spiegel.rounds.services import response_counts

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
    filename, data = services.team_pdf_file(round_team, request.args.get("lang"), items=request.args.get("items") == "1")
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private"})


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
                     lang=form.lang.data or None)
        return redirect(url_for(".job", job_id=job.id))
    jobs = db.session.scalars(select(Job).where(Job.kind == KIND, Job.user_id == current_user.id)
                              .order_by(Job.id.desc()).limit(20)).all()
    jobs = [fail_if_stalled(job) for job in jobs if job.params.get("round_id") == round_.id][:5]
    return render_template("reports/round.html", round=round_, teams=teams, form=form, jobs=jobs,
                           status_labels=_status_texts())


def _job_or_404(job_id: int) -> Job:
    """A report batch of the current user, still within their scope (every team in it)."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != KIND or (job.user_id != current_user.id and not is_admin()):
        abort(404)
    ids = job.params.get("round_team_ids") or []
    team_ids = db.session.scalars(select(RoundTeam.team_id).where(RoundTeam.id.in_(ids))).all()
    if not all(can_view_team(team_id) for team_id in team_ids):
        abort(404)
    return fail_if_stalled(job)  # a job whose process died ends as failed instead of waiting for ever


@bp.get("/mirror/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    job = _job_or_404(job_id)
    round_id = job.params.get("round_id")
    return render_template("reports/job.html", job=job, status=_status(job), round_id=round_id)


@bp.get("/mirror/jobs/<int:job_id>.json")
@login_required
def job_status(job_id: int):
    return jsonify(_status(_job_or_404(job_id)))


def _status(job: Job) -> dict:
    ready = result_path(job) is not None
    text = _("Printing stopped: the printing process is no longer running.") if job.error == STALLED \
        else _status_texts().get(job.status, job.status)
    return {
        "status": job.status, "progress": job.progress, "total": job.total, "percent": job.percent,
        "text": text,
        "detail": _("%(done)s of %(total)s reports", done=job.progress, total=job.total) if job.total else "",
        "download": url_for(".job_download", job_id=job.id) if ready else None,
    }


def _status_texts() -> dict[str, str]:
    return {"queued": _("Waiting to start…"), "running": _("Printing the mirrors…"), "done": _("Ready."),
            "failed": _("Printing failed. Please try again, or ask the administrator.")}


@bp.get("/mirror/jobs/<int:job_id>/download")
@login_required
def job_download(job_id: int):
    job = _job_or_404(job_id)
    path = result_path(job)
    if path is None:
        abort(404)
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name, max_age=0)
