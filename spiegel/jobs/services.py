"""Background jobs on the task queue (:mod:`spiegel.shared.queue`): the web request stores a job and returns
at once; a queue worker, on any machine, does the work and reports progress in the database.

- Features register task functions by kind with :func:`task` (``@task("reports.round_zip")``), with a
  hard time limit and a number of retries after an error. This module knows nothing about what they do.
- :func:`submit` stores a :class:`~spiegel.jobs.models.Job` and puts its id on the queue. A job with a
  ``key`` is done once per key: submitting it again returns the queued, running or done job.
- :func:`run_job` (what a worker runs) claims the job (only one worker can), runs the task with a
  :class:`JobContext` and records how it ended. The task reports progress and stores its result
  (:meth:`JobContext.store`) in the database, where every web machine can serve it.
- A worker that dies (killed, its machine gone) takes its queue message with it. While a job runs, its
  worker leaves a heartbeat in the job's row; :func:`recover_if_stalled` puts a queued or running job
  without a heartbeat for ``JOB_STALL_SECONDS`` back on the queue, up to ``JOB_MAX_ATTEMPTS`` runs,
  then ends it as failed (:data:`STALLED`). The job pages check it, and so does every worker once a
  minute.
- :func:`remove_old_results` deletes results made more than ``JOB_RESULTS_MAX_AGE_HOURS`` ago (each
  new job does it, and ``flask spiegel purge``).
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from huey.exceptions import TaskTimeout
from sqlalchemy import delete, select, update

from spiegel.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job, StoredResult
from spiegel.shared import queue
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskSpec:
    fn: Callable[[JobContext], None]
    time_limit: float
    retries: int


TASKS: dict[str, TaskSpec] = {}
WORKER_SETUP: list[Callable[[], None]] = []
# Job.error of a job whose worker stopped without ending it, too often (see recover_if_stalled).
STALLED = "stalled: the job's worker stopped"
TIMED_OUT = "timeout"


def task(kind: str, *, time_limit: float = 600, retries: int = 1) -> Callable:
    """Register a task function for a job kind: ``time_limit`` seconds (hard: the worker stops it),
    ``retries``: how often it runs again after it raised an error."""

    def register(fn):
        TASKS[kind] = TaskSpec(fn, time_limit, retries)
        return fn

    return register


def worker_setup(fn: Callable[[], None]) -> Callable[[], None]:
    """Register what every queue worker process does once before its first job (e.g. load fonts)."""
    WORKER_SETUP.append(fn)
    return fn


def set_up_worker() -> None:
    for fn in WORKER_SETUP:
        fn()


def _setting(name: str, default: float) -> float:
    return float(current_app.config.get(name, default))


class JobContext:
    """What a task sees: its parameters, progress reporting, and where its result goes."""

    def __init__(self, job: Job):
        self.id = job.id
        self.kind = job.kind
        self.key = job.key
        self.params = dict(job.params or {})

    def _set(self, **values) -> None:
        # Its own connection and transaction: the task's session and objects stay untouched.
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.id).values(touched=utcnow(), **values))

    def set_total(self, total: int) -> None:
        self._set(total=total, progress=0)

    def set_progress(self, done: int) -> None:
        self._set(progress=done)

    def store(self, filename: str, data: bytes, mimetype: str) -> str:
        """Store the job's result (under the job's key, else ``job-ID``); returns the key."""
        key = self.key or f"job-{self.id}"
        store_result(key, filename, data, mimetype)
        return key


def store_result(key: str, filename: str, data: bytes, mimetype: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(delete(StoredResult).where(StoredResult.key == key))
        connection.execute(StoredResult.__table__.insert().values(key=key, filename=filename, mimetype=mimetype,
                                                                  data=data, created=utcnow()))


def stored_result(job: Job) -> StoredResult | None:
    """The job's result, when it is done and the result is still kept."""
    if job.status != DONE or not job.result:
        return None
    return db.session.scalar(select(StoredResult).where(StoredResult.key == job.result))


# -- submitting -----------------------------------------------------------------------------------

def submit(kind: str, *, user_id: int | None = None, key: str | None = None, start_now: bool = True,
           **params) -> Job:
    """Store a job and (unless ``start_now`` is false) put it on the queue. Raises KeyError for an
    unknown kind; ``params`` must be JSON-serialisable. With a ``key``, an earlier job of that key that
    has not failed (and whose result is still kept) is returned instead. Old results are removed first."""
    import json

    if kind not in TASKS:
        raise KeyError(f"no task registered for {kind!r}")
    json.dumps(params)  # fail here, not in the worker
    remove_old_results()
    if key is not None:
        existing = db.session.scalar(select(Job).where(Job.key == key, Job.status != FAILED).order_by(Job.id.desc())
                                     .limit(1))
        if existing is not None and (existing.status != DONE or stored_result(existing) is not None):
            return recover_if_stalled(existing)
    now = utcnow()
    job = Job(kind=kind, params=params, key=key, status=QUEUED, progress=0, total=0, user_id=user_id, created=now,
              touched=now)
    db.session.add(job)
    db.session.commit()
    if start_now:
        _enqueue(job)
    return job


def _enqueue(job: Job, delay: float | None = None) -> None:
    spec = TASKS[job.kind]
    queue.enqueue(job.id, retries=spec.retries, retry_delay=_setting("JOB_RETRY_DELAY_SECONDS", 5),
                  time_limit=spec.time_limit, delay=delay)


def wait_for(job: Job, seconds: float, interval: float = 0.2) -> Job:
    """Wait up to ``seconds`` for the job to end; returns it, reloaded."""
    deadline = time.monotonic() + seconds
    while not job.finished_or_failed and time.monotonic() < deadline:
        time.sleep(interval)
        db.session.rollback()  # see what the worker committed meanwhile
        job = db.session.get(Job, job.id)
    return job


# -- running --------------------------------------------------------------------------------------

def worker_name() -> str:
    return f"{socket.gethostname()} {os.getpid()}"[:100]


def claim(job_id: int) -> bool:
    """Take a queued job for this process; false when it is running elsewhere or has ended."""
    with db.engine.begin() as connection:
        taken = connection.execute(update(Job).where(Job.id == job_id, Job.status == QUEUED).values(
            status=RUNNING, touched=utcnow(), attempts=Job.attempts + 1, worker=worker_name(), error=None))
    return taken.rowcount == 1


def run_job(job_id: int, retries_left: int = 0) -> Job | None:
    """Run a queued job in this process and record how it ended; returns the job (reloaded), or None
    when another worker has it or it has ended already (a second message for the same job).

    A task that raises goes back to the queue while Huey still has ``retries_left`` for it (the
    exception goes up to Huey, which runs it again after JOB_RETRY_DELAY_SECONDS); a task that
    overran its time limit, or has no retries left, ends as failed."""
    if db.session.get(Job, job_id) is None:
        log.warning("job %s is gone", job_id)
        return None
    if not claim(job_id):
        return None
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    context = JobContext(job)
    spec = TASKS.get(job.kind)
    beat = Heartbeat(job_id, _setting("JOB_STALL_SECONDS", 600) / 4)
    beat.start()
    try:
        if spec is None:
            raise KeyError(f"no task registered for {job.kind!r}")
        spec.fn(context)
    except TaskTimeout:
        db.session.rollback()
        log.error("job %s (%s) stopped after its time limit", job_id, job.kind)
        _finish(job_id, status=FAILED, error=TIMED_OUT)
    except Exception as error:  # any failure ends the job (or this attempt), with its reason
        db.session.rollback()
        log.error("job %s (%s) failed:\n%s", job_id, context.kind, traceback.format_exc())
        reason = f"{type(error).__name__}: {error}"[:2000]
        if retries_left > 0:
            with db.engine.begin() as connection:
                connection.execute(update(Job).where(Job.id == job_id).values(status=QUEUED, error=reason,
                                                                               touched=utcnow()))
            raise
        _finish(job_id, status=FAILED, error=reason)
    else:
        _finish(job_id, status=DONE, result=context.key or f"job-{job_id}", progress=Job.total)
    finally:
        beat.stop()
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _finish(job_id: int, **values) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(finished=utcnow(), touched=utcnow(), **values))


class Heartbeat:
    """Touches the job's row every ``interval`` seconds from a thread while the task runs, so that a
    long render is not taken for a dead worker."""

    def __init__(self, job_id: int, interval: float):
        self.job_id, self.interval = job_id, max(0.5, interval)
        self.engine = db.engine
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                with self.engine.begin() as connection:
                    connection.execute(update(Job).where(Job.id == self.job_id, Job.status == RUNNING)
                                       .values(touched=utcnow()))
            except Exception:  # a missed beat is not worth stopping the work for
                log.warning("heartbeat of job %s failed", self.job_id, exc_info=True)


# -- stalled jobs ---------------------------------------------------------------------------------

def is_stalled(job: Job, now: datetime | None = None) -> bool:
    """A queued or running job that has shown no sign of life for ``JOB_STALL_SECONDS``."""
    if job.status not in (QUEUED, RUNNING):
        return False
    now = now or utcnow()
    last = job.touched or job.created
    return now - last > timedelta(seconds=_setting("JOB_STALL_SECONDS", 600))


def recover_if_stalled(job: Job, now: datetime | None = None) -> Job:
    """Put a stalled job back on the queue (or end it as failed after ``JOB_MAX_ATTEMPTS`` runs).
    Returns the job, reloaded when it changed. Only one process wins the change."""
    if not is_stalled(job, now):
        return job
    attempts_left = job.attempts < int(_setting("JOB_MAX_ATTEMPTS", 3))
    values = {"status": QUEUED, "touched": utcnow()} if attempts_left else \
        {"status": FAILED, "error": STALLED, "finished": utcnow()}
    with db.engine.begin() as connection:  # only if nobody changed it meanwhile
        changed = connection.execute(update(Job).where(Job.id == job.id, Job.status == job.status,
                                                       Job.touched == job.touched).values(**values)).rowcount
    if changed:
        log.warning("job %s (%s) stalled on %s: %s", job.id, job.kind, job.worker,
                    "queued again" if attempts_left else "failed")
        if attempts_left:
            _enqueue(job)
    db.session.refresh(job)
    return job


def recover_stalled() -> int:
    """Check every queued or running job (what the workers run once a minute). Returns how many were
    stalled."""
    jobs = db.session.scalars(select(Job).where(Job.status.in_((QUEUED, RUNNING)))).all()
    stalled = [job for job in jobs if is_stalled(job)]
    for job in stalled:
        recover_if_stalled(job)
    return len(stalled)


# -- old results ----------------------------------------------------------------------------------

def remove_old_results(now: datetime | None = None) -> int:
    """Delete the results made more than ``JOB_RESULTS_MAX_AGE_HOURS`` ago and forget them in their
    jobs (the job rows stay as history). Returns how many results were deleted."""
    cutoff = (now or utcnow()) - timedelta(hours=_setting("JOB_RESULTS_MAX_AGE_HOURS", 168))
    old = select(StoredResult.key).where(StoredResult.created < cutoff)
    db.session.execute(update(Job).where(Job.result.in_(old)).values(result=None))
    removed = db.session.execute(delete(StoredResult).where(StoredResult.created < cutoff)).rowcount
    db.session.commit()
    if removed:
        log.info("removed %d old job results", removed)
    return removed
