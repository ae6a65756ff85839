"""A small, generic background-job runner: the web request stores a job and returns at once; a
separate process does the work and reports progress in the database.

- Features register task functions by kind with :func:`task` (``@task("reports.round_zip")``). The
  runner knows nothing about what they do.
- :func:`submit` stores a :class:`~spiegel.jobs.models.Job` and starts ``flask spiegel run-job ID`` as a
  detached process (own session, same environment and database), so the work survives the request
  and the web worker's memory does not grow with it.
- :func:`run_job` (what that process calls) runs the task with a :class:`JobContext`: the task sets a
  total, advances the progress (each update its own short transaction) and writes its result file
  into the jobs folder (``JOBS_DIR``, default ``instance/jobs/``); it returns the file's name.

- A job whose process died does not spin for ever: the process leaves a sign of life in the jobs
  folder (``job-ID.alive``: host and process id, touched at every progress report), and
  :func:`fail_if_stalled` ends a queued or running job as failed (error :data:`STALLED`) when that
  process is gone, or when the job has shown no sign of life for ``JOB_STALL_SECONDS``.
- :func:`remove_old_results` deletes the files of jobs finished longer than ``JOB_RESULTS_MAX_AGE_HOURS``
  ago (each new job does it, and ``flask spiegel purge``).

For an installation that outgrows one machine, :func:`start` is the one place to hand the job id to
an existing queue (RQ, Celery) instead of a local process (PRODUCT.md "Scale").
"""
from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from spiegel import ROOT
from spiegel.extensions import db
from spiegel.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job

log = logging.getLogger(__name__)

Task = Callable[["JobContext"], "str | None"]
TASKS: dict[str, Task] = {}
# Config keys never handed to the job process through its environment (derived, or secret and read
# from the instance folder anyway).
PRIVATE_KEYS = {"SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "BABEL_TRANSLATION_DIRECTORIES"}
_children: list[subprocess.Popen] = []
# Job.error of a job whose process stopped without ending it (see fail_if_stalled).
STALLED = "stalled: the job's process stopped or stopped reporting progress"
DEFAULT_STALL_SECONDS = 600
DEFAULT_RESULTS_MAX_AGE_HOURS = 7 * 24


def task(kind: str) -> Callable[[Task], Task]:
    """Register a task function for a job kind."""

    def register(fn: Task) -> Task:
        TASKS[kind] = fn
        return fn

    return register


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def jobs_folder() -> Path:
    folder = Path(current_app.config.get("JOBS_DIR") or Path(current_app.instance_path) / "jobs")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def result_path(job: Job) -> Path | None:
    """The job's result file, when it is done and the file is still there."""
    if job.status != DONE or not job.result or Path(job.result).name != job.result:
        return None
    path = jobs_folder() / job.result
    return path if path.is_file() else None


class JobContext:
    """What a task sees: its parameters, progress reporting, and where to write its result."""

    def __init__(self, job: Job, folder: Path):
        self.id = job.id
        self.kind = job.kind
        self.params = dict(job.params or {})
        self.folder = folder

    def _set(self, **values) -> None:
        # Its own connection and transaction: the task's session and objects stay untouched.
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.id).values(**values))
        signal_alive(self.id, self.folder)

    def set_total(self, total: int) -> None:
        self._set(total=total, progress=0)

    def set_progress(self, done: int) -> None:
        self._set(progress=done)

    def path(self, name: str) -> Path:
        """A file in the jobs folder for this job's output; ``name`` is a plain file name."""
        if Path(name).name != name or name in ("", ".", ".."):
            raise ValueError(f"not a plain file name: {name!r}")
        return self.folder / name


def submit(kind: str, *, user_id: int | None = None, start_now: bool = True, **params) -> Job:
    """Store a job and (unless ``start_now`` is false) start its process. Raises KeyError for an
    unknown kind. ``params`` must be JSON-serialisable. Old jobs' files are removed first."""
    if kind not in TASKS:
        raise KeyError(f"no task registered for {kind!r}")
    json.dumps(params)  # fail here, not in the job process
    remove_old_results()
    job = Job(kind=kind, params=params, status=QUEUED, progress=0, total=0, user_id=user_id, created=utcnow())
    db.session.add(job)
    db.session.commit()
    if start_now:
        start(job.id)
    return job


def job_environment() -> dict[str, str]:
    """The environment of a job process: this process's, plus every plain setting this app was given
    that differs from the defaults (tests pass their database this way), as ``SPIEGEL_*``."""
    from spiegel import config as defaults

    env = dict(os.environ)
    for key, value in current_app.config.items():
        if not key.isupper() or key in PRIVATE_KEYS:
            continue
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            continue
        if value is None or getattr(defaults, key, object()) == value:
            continue
        env[f"SPIEGEL_{key}"] = json.dumps(value)
    env.setdefault("SPIEGEL_DATABASE_URL", json.dumps(current_app.config["DATABASE_URL"]))
    return env


def start(job_id: int) -> subprocess.Popen:
    """Start the job's process, detached from the web request (its own session; output to a log
    file next to the results)."""
    _reap()
    folder = jobs_folder()
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "spiegel", "run-job", str(job_id)]
    with open(folder / f"job-{job_id}.log", "ab") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=job_environment(), stdin=subprocess.DEVNULL,
                                   stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
                                   close_fds=True)
    _children.append(process)
    signal_alive(job_id, folder, process.pid)  # a process that dies before it starts the job shows too
    return process


def _reap() -> None:
    """Collect finished job processes started by this process (no zombies left behind)."""
    for process in list(_children):
        if process.poll() is not None:
            _children.remove(process)


def run_job(job_id: int) -> Job:
    """Run a queued job in this process and record how it ended. Returns the job (reloaded)."""
    job = db.session.get(Job, job_id)
    if job is None:
        raise LookupError(f"no job {job_id}")
    if job.status != QUEUED:
        raise RuntimeError(f"job {job_id} is {job.status}, not queued")
    job.status = RUNNING
    db.session.commit()
    signal_alive(job.id, jobs_folder())
    context = JobContext(job, jobs_folder())
    fn = TASKS.get(job.kind)
    try:
        if fn is None:
            raise KeyError(f"no task registered for {job.kind!r}")
        result = fn(context)
    except Exception as error:  # noqa: BLE001 - any failure ends the job as failed, with its reason
        db.session.rollback()
        log.error("job %s (%s) failed:\n%s", job_id, context.kind, traceback.format_exc())
        _finish(job_id, status=FAILED, error=f"{type(error).__name__}: {error}"[:2000])
    else:
        _finish(job_id, status=DONE, result=result, progress=Job.total)
    _alive_path(job_id, jobs_folder()).unlink(missing_ok=True)
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _finish(job_id: int, **values) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(finished=utcnow(), **values))


# -- stalled jobs ---------------------------------------------------------------------------------

def _alive_path(job_id: int, folder: Path) -> Path:
    return folder / f"job-{job_id}.alive"


def signal_alive(job_id: int, folder: Path, pid: int | None = None) -> None:
    """Record that a process (this one by default) works on the job, now: ``host pid`` in
    ``job-ID.alive``, whose modification time is the job's last sign of life."""
    _alive_path(job_id, folder).write_text(f"{socket.gethostname()} {pid or os.getpid()}")


def _process_gone(pid: int) -> bool:
    """Whether no live process has this id on this machine (a zombie, finished but not yet collected
    by its parent, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's process: it exists
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):  # no /proc (not Linux): trust os.kill
        return False
    return state in ("Z", "X")


def is_stalled(job: Job, now: datetime | None = None) -> bool:
    """A queued or running job whose process is gone (on this machine), or that has shown no sign of
    life (created, started, progress) for ``JOB_STALL_SECONDS``."""
    if job.status not in (QUEUED, RUNNING):
        return False
    now = now or utcnow()
    limit = timedelta(seconds=float(current_app.config.get("JOB_STALL_SECONDS", DEFAULT_STALL_SECONDS)))
    alive = _alive_path(job.id, jobs_folder())
    try:
        host, pid = alive.read_text().split()
        touched = datetime.fromtimestamp(alive.stat().st_mtime, timezone.utc).replace(tzinfo=None)
    except (OSError, ValueError):
        host, pid, touched = None, None, job.created
    if host == socket.gethostname() and pid.isdigit() and _process_gone(int(pid)):
        return True
    return now - max(touched, job.created) > limit


def fail_if_stalled(job: Job) -> Job:
    """End a stalled job as failed (error :data:`STALLED`), so that its page stops waiting and offers
    to start again. Returns the job, reloaded when it changed."""
    _reap()
    if not is_stalled(job):
        return job
    with db.engine.begin() as connection:  # only if it has not ended meanwhile
        connection.execute(update(Job).where(Job.id == job.id, Job.status.in_((QUEUED, RUNNING)))
                           .values(status=FAILED, error=STALLED, finished=utcnow()))
    log.warning("job %s (%s) stalled: marked as failed", job.id, job.kind)
    _alive_path(job.id, jobs_folder()).unlink(missing_ok=True)
    db.session.refresh(job)
    return job


# -- old results ----------------------------------------------------------------------------------

def remove_old_results(now: datetime | None = None) -> list[str]:
    """Delete the files (result, log) of jobs that finished more than ``JOB_RESULTS_MAX_AGE_HOURS``
    ago and forget their result; the job rows stay as history. Returns the names of the deleted
    files."""
    now = now or utcnow()
    hours = float(current_app.config.get("JOB_RESULTS_MAX_AGE_HOURS", DEFAULT_RESULTS_MAX_AGE_HOURS))
    cutoff = now - timedelta(hours=hours)
    folder = jobs_folder()
    old = db.session.scalars(select(Job).where(Job.status.in_((DONE, FAILED)), Job.finished < cutoff)).all()
    removed = []
    for job in old:
        names = [f"job-{job.id}.log", _alive_path(job.id, folder).name]
        if job.result and Path(job.result).name == job.result:
            names += [job.result, job.result + ".part"]
        for name in names:
            path = folder / name
            if path.is_file():
                path.unlink()
                removed.append(name)
        job.result = None
    db.session.commit()
    if removed:
        log.info("removed %d old job files", len(removed))
    return removed
