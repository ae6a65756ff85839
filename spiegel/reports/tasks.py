"""Mirrors printed on the queue: one team's mirror PDF (a job of kind ``reports.mirror``, kept per data
version) and the round batch (``reports.round_zip``: one mirror job per team, packed in a ZIP). The
coach's command line (``flask spiegel report --all``) prints with :func:`render_many` instead.

In :func:`render_many` the round is scored once; this process builds each team's HTML (fast) and a pool of worker processes
(two by default: both cores) turns them into PDFs, the slow part. The pool lives only as long as the
batch, so the memory WeasyPrint does not give back goes with it.
"""
from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import time
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from spiegel.jobs import (
    DONE,
    Job,
    JobContext,
    recover_if_stalled,
    run_job,
    stored_result,
    submit,
    task,
    worker_setup,
)
from spiegel.plans.models import Plan
from spiegel.reports.services import (
    pdf_filename,
    report_language,
    round_team_htmls,
    team_pdf_file,
)
from spiegel.results.profiles import refresh_releases
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db
from spiegel.survey.models import Response

KIND = "reports.round_zip"
MIRROR = "reports.mirror"
# Hard time limits (seconds): one mirror takes a few seconds, a round of 60 teams a few minutes.
MIRROR_TIME_LIMIT = 300
BATCH_TIME_LIMIT = 3600
DEFAULT_WORKERS = 2


def render_many(round_: Round, round_teams: Sequence[RoundTeam], lang: str | None = None,
                workers: int | None = None, items: bool = False) -> Iterator[tuple[RoundTeam, str, bytes]]:
    """(round team, file name, PDF) for every team, in completion order; ``items``: each with the
    appendix of results per statement."""
    from spiegel.reports import (
        pdf,  # WeasyPrint loads once here, before the workers fork
    )

    workers = max(1, min(workers or DEFAULT_WORKERS, os.cpu_count() or 1, len(round_teams) or 1))
    htmls = round_team_htmls(round_, round_teams, lang, items=items)
    if workers == 1:
        for round_team, report, html in htmls:
            yield round_team, pdf_filename(report), pdf.render_pdf(html)
        return
    # fork: the workers start with WeasyPrint already imported and only ever receive HTML strings
    # (they touch neither the database nor the app).
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=pdf.warm_up) as pool:
        pending = {}
        for round_team, report, html in htmls:
            pending[pool.submit(pdf.render_pdf, html)] = (round_team, pdf_filename(report))
            # Hand back what is ready while the rest renders; never more than a few queued HTMLs.
            if len(pending) >= 2 * workers:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    round_team, name = pending.pop(future)
                    yield round_team, name, future.result()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                round_team, name = pending.pop(future)
                yield round_team, name, future.result()


@worker_setup
def warm_up_renderer() -> None:
    """A queue worker loads WeasyPrint, its fonts and the print stylesheet before its first mirror."""
    from spiegel.reports import pdf

    pdf.warm_up()


def round_teams_of(round_id: int, round_team_ids: Sequence[int] | None = None) -> tuple[Round, list[RoundTeam]]:
    """The round and its teams (all, or the given ones), by team name."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"no round {round_id}")
    wanted = set(round_team_ids) if round_team_ids is not None else None
    # The teams with their names in one query (a page lists them all).
    round_teams = db.session.scalars(select(RoundTeam).options(joinedload(RoundTeam.team))
                                     .where(RoundTeam.round_id == round_.id)).all()
    teams = [rt for rt in round_teams if wanted is None or rt.id in wanted]
    teams.sort(key=lambda rt: (rt.team.name.casefold(), rt.id))
    return round_, teams


def data_version(round_team: RoundTeam) -> str:
    """A short hash of everything a team's mirror is made of: the responses of its school's rounds (its
    own, the comparison with the other teams, the previous rounds) and which are shown, the round's and
    team's names and texts, its plans, and the anonymity minimum. Call it after
    ``refresh_releases`` (which may release more responses)."""
    round_ = round_team.round
    # The school's sent responses (every round: previous rounds are compared), and which of this round's
    # are released (shown).
    responses = db.session.execute(
        select(func.count(Response.id), func.max(Response.id), func.max(RoundTeam.released_at),
               func.count(Response.id).filter(Response.released.is_(True), RoundTeam.round_id == round_.id))
        .join(RoundTeam, RoundTeam.id == Response.round_team_id).join(Round, Round.id == RoundTeam.round_id)
        .where(Round.school_id == round_.school_id, Response.submitted_on.is_not(None))).one()
    plans = db.session.execute(
        select(Plan.round_team_id, Plan.updated_at).join(RoundTeam, RoundTeam.id == Plan.round_team_id)
        .where(RoundTeam.team_id == round_team.team_id).order_by(Plan.round_team_id)).all()
    parts = [tuple(responses), round_.id, round_.name, round_.innovation_name, round_.innovation_description,
             round_.closes_at, round_.modules, round_.instrument_versions, round_team.released_at,
             round_team.team.name, round_.school.name, [tuple(row) for row in plans],
             current_app.config["MIN_GROUP_SIZE"]]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def mirror_key(round_team: RoundTeam, lang: str, items: bool) -> str:
    return f"mirror-{round_team.id}-{lang}-{int(items)}-{data_version(round_team)}"


def request_mirror(round_team: RoundTeam, lang: str | None = None, items: bool = False,
                   user_id: int | None = None) -> Job:
    """The job of a team's mirror PDF for the current data: the done one when nothing changed since,
    else a queued (or running) one."""
    # What the mirror will show (scoring releases the whole round's snapshots), so what its version must say.
    refresh_releases(db.session.scalars(select(RoundTeam.id).where(RoundTeam.round_id == round_team.round_id)))
    lang = report_language(round_team, lang)
    return submit(MIRROR, key=mirror_key(round_team, lang, items), user_id=user_id, round_team_id=round_team.id,
                  round_team_ids=[round_team.id], lang=lang, items=items)


@task(MIRROR, time_limit=MIRROR_TIME_LIMIT)
def render_mirror(job: JobContext) -> None:
    """One team's mirror as PDF. Params: ``round_team_id``, ``lang``, ``items``."""
    round_team = db.session.get(RoundTeam, job.params["round_team_id"])
    if round_team is None:
        raise LookupError(f"no round team {job.params['round_team_id']}")
    job.set_total(1)
    filename, data = team_pdf_file(round_team, job.params.get("lang"), items=bool(job.params.get("items")))
    job.store(filename, data, "application/pdf")


@task(KIND, time_limit=BATCH_TIME_LIMIT)
def round_zip(job: JobContext) -> None:
    """Every listed team's mirror of a round in one ZIP. Params: ``round_id``, ``round_team_ids``,
    optional ``lang`` (default: each team's language) and ``items`` (with the appendix of results per
    statement; the coach's choice, default without).

    Each mirror is a job of its own on the queue (a mirror already printed for the same data is
    reused), so that every worker helps; this job renders whichever mirrors no other worker has
    taken yet, waits for the others, then packs the ZIP."""
    round_, teams = round_teams_of(job.params["round_id"], job.params.get("round_team_ids"))
    released = refresh_releases(rt.id for rt in teams)
    teams = [rt for rt in teams if rt.id in released]  # not printed while the round is open
    parts = [request_mirror(rt, job.params.get("lang"), items=bool(job.params.get("items"))) for rt in teams]
    job.set_total(len(parts))
    part_ids = [part.id for part in parts]
    while True:
        for part_id in reversed(part_ids):  # from the end: the other workers take the queue from the start
            if run_job(part_id) is not None:  # None: the part is done, or another worker has it
                job.set_progress(db.session.scalar(select(func.count(Job.id)).where(Job.id.in_(part_ids),
                                                                                     Job.status == DONE)))
        db.session.expire_all()
        states = [recover_if_stalled(db.session.get(Job, part_id)) for part_id in part_ids]
        failed = [state for state in states if state.failed]
        if failed:
            raise RuntimeError(f"the mirror of round team {failed[0].params.get('round_team_id')} failed: "
                               f"{failed[0].error}")
        done = sum(state.done for state in states)
        job.set_progress(done)
        if done == len(states):
            break
        time.sleep(0.3)
    stamp = round_.closes_at.timetuple()[:6]  # from the data, not the clock: the same ZIP on every run
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for state in states:
            result = stored_result(state)
            if result is None:
                raise RuntimeError(f"the mirror of round team {state.params.get('round_team_id')} was removed")
            archive.writestr(zipfile.ZipInfo(result.filename, date_time=stamp), result.data)
    job.store(f"spiegel-round-{round_.id}-job-{job.id}.zip", buffer.getvalue(), "application/zip")
