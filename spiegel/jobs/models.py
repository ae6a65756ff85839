"""A background job: what to do (``kind`` + ``params``), how far it got, and where its result is."""
from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spiegel.extensions import db

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)


class Job(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    # A file name inside the jobs folder (never a path), set when the job is done.
    result: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    # Who asked for it. Deliberately no foreign key: jobs are a generic mechanism below accounts, and
    # views check the requester's scope again before showing progress or a download.
    user_id: Mapped[int | None] = mapped_column(index=True)
    created: Mapped[datetime]
    finished: Mapped[datetime | None]

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
