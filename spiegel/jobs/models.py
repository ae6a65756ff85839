"""A background job: what to do (``kind`` + ``params``), how far it got, and where its result is;
and the stored results themselves (in the database, so that every web machine can serve them)."""
from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spiegel.shared.extensions import db

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"


class Job(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    # The key of its StoredResult, set when the job is done.
    result: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    # Who asked for it. Deliberately no foreign key: jobs are a generic mechanism below accounts, and
    # views check the requester's scope again before showing progress or a download.
    user_id: Mapped[int | None] = mapped_column(index=True)
    created: Mapped[datetime]
    finished: Mapped[datetime | None]
    # A job with a key is done once per key (e.g. a mirror per data version): asking again while it
    # is queued, running or done returns the same job. Its result is stored under that key.
    key: Mapped[str | None] = mapped_column(String(200), index=True)
    # The last sign of life of the worker running it (a heartbeat while it runs); a job without one
    # for JOB_STALL_SECONDS goes back on the queue (spiegel.jobs.services.recover_if_stalled).
    touched: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # "host pid" of the worker process that runs (or last ran) it.
    worker: Mapped[str | None] = mapped_column(String(100))

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    @property
    def finished_or_failed(self) -> bool:
        return self.status in (DONE, FAILED)

    @property
    def percent(self) -> int:
        if self.status == DONE:
            return 100
        return int(100 * self.progress / self.total) if self.total else 0


class StoredResult(db.Model):
    """A job's output file (a PDF, a ZIP), kept until JOB_RESULTS_MAX_AGE_HOURS after it was made."""
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created: Mapped[datetime] = mapped_column(index=True)
