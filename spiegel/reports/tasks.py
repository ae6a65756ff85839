"""Printing many mirrors at once: the round batch (a background job of kind ``reports.round_zip``) and
the coach's command line (``flask spiegel report --all``) share :func:`render_many`.

The round is scored once; this process builds each team's HTML (fast) and a pool of worker processes
(two by default: both cores) turns them into PDFs, the slow part. The pool lives only as long as the
batch, so the memory WeasyPrint does not give back goes with it.
"""
from __future__ import annotations

import multiprocessing
import os
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from spiegel.extensions import db
from spiegel.jobs import JobContext, task
from spiegel.reports.services import pdf_filename, round_team_htmls
from spiegel.rounds.models import Round, RoundTeam

KIND = "reports.round_zip"
DEFAULT_WORKERS = 2


def render_many(round_: Round, round_teams: Sequence[RoundTeam], lang: str | None = None,
                workers: int | None = None) -> Iterator[tuple[RoundTeam, str, bytes]]:
    """(round team, file name, PDF) for every team, in completion order."""
    from spiegel.reports import pdf  # WeasyPrint loads once here, before the workers fork

    workers = max(1, min(workers or DEFAULT_WORKERS, os.cpu_count() or 1, len(round_teams) or 1))
    htmls = round_team_htmls(round_, round_teams, lang)
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


@task(KIND)
def round_zip(job: JobContext) -> str:
    """Every listed team's mirror of a round in one ZIP. Params: ``round_id``, ``round_team_ids``,
    optional ``lang`` (default: each team's language)."""
    round_, teams = round_teams_of(job.params["round_id"], job.params.get("round_team_ids"))
    job.set_total(len(teams))
    name = f"spiegel-round-{round_.id}-job-{job.id}.zip"
    target = job.path(name)
    partial = target.with_name(target.name + ".part")
    stamp = round_.closes_at.timetuple()[:6]  # from the data, not the clock: the same ZIP on every run
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        for done, (_, filename, data) in enumerate(render_many(round_, teams, job.params.get("lang")), start=1):
            archive.writestr(zipfile.ZipInfo(filename, date_time=stamp), data)
            job.set_progress(done)
    partial.replace(target)
    return name
