"""The task queue under the features: Huey, with an embedded default and a distributed mode.

- ``QUEUE_URL`` unset (the default): a SQLite queue file in the instance folder, for one machine.
  ``QUEUE_URL = "sqlite:////path/queue.db"`` names another file; ``"redis://host:6379/0"`` puts the
  queue in Redis, shared by the web and worker processes of every machine of the installation.
- The queue carries only job ids (see :mod:`spiegel.jobs`): what a job does, its progress and its
  result live in the database, which every machine shares.
- The queue's name (``QUEUE_NAME``, default derived from the installation's secret key, which all of
  its machines share) keeps two installations on one Redis apart.
- ``flask spiegel worker`` runs the consumer: ``--workers`` processes (the bound on concurrent
  renders), each task under a hard time limit (SIGALRM in the worker process).
- ``QUEUE_IMMEDIATE`` (tests only) runs each task at once, in the process that submits it.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab

EXTENSION = "spiegel_queue"


def init_queue(app: Flask, run_job: Callable[[int, int], None], recover: Callable[[], None],
               setup: Callable[[], None]) -> None:
    """Create the app's Huey and register the one task it runs (``run_job(job_id, retries_left)``
    inside an app context), the periodic check for jobs whose worker died (``recover()``), and what
    every worker process does once before its first job (``setup()``)."""
    huey = _make_huey(app)

    @huey.on_startup()
    def start_worker() -> None:
        with app.app_context():
            setup()

    @huey.task(context=True, name="spiegel.run_job")
    def execute(job_id: int, task=None) -> None:
        with app.app_context():
            run_job(job_id, task.retries if task is not None else 0)

    @huey.periodic_task(crontab(minute="*"), name="spiegel.recover_stalled")
    def recover_stalled() -> None:
        with app.app_context():
            recover()

    app.extensions[EXTENSION] = (huey, execute)


def queue_name(app: Flask) -> str:
    """``QUEUE_NAME``, else one derived from the secret key: the same on every machine of one
    installation, different between installations (and not revealing the key)."""
    if app.config.get("QUEUE_NAME"):
        return str(app.config["QUEUE_NAME"])
    return "spiegel-" + hashlib.sha256(str(app.config["SECRET_KEY"]).encode()).hexdigest()[:12]


def _make_huey(app: Flask) -> Huey:
    name = queue_name(app)
    url = app.config.get("QUEUE_URL") or ""
    immediate = bool(app.config.get("QUEUE_IMMEDIATE"))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, immediate=immediate, results=False)
    if url and not url.startswith("sqlite:///"):
        raise RuntimeError(f"SPIEGEL_QUEUE_URL must start with redis:// or sqlite:///, not {url.split(':')[0]}:")
    filename = url.removeprefix("sqlite:///") if url else str(Path(app.instance_path) / "queue.db")
    return SqliteHuey(name, filename=filename, immediate=immediate, results=False)


def huey(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions[EXTENSION][0]


def enqueue(job_id: int, *, retries: int = 0, retry_delay: float = 5, time_limit: float | None = None,
            delay: float | None = None) -> None:
    """Put a job on the queue; ``retries``: how often Huey runs it again after it raised;
    ``time_limit``: seconds after which the worker stops it."""
    execute = current_app.extensions[EXTENSION][1]
    options = {"retries": retries, "retry_delay": retry_delay, "timeout": time_limit or None}
    if delay:
        options["delay"] = delay
    huey().enqueue(execute.s(job_id, **options))


def run_consumer(app: Flask, workers: int) -> None:
    """Run the queue's consumer in this process until it is stopped: ``workers`` worker processes."""
    from spiegel.shared.extensions import db

    with app.app_context():  # the workers are forked: no pooled connection may cross the fork
        for engine in db.engines.values():
            engine.dispose()
    consumer = huey(app).create_consumer(workers=workers, worker_type="process", periodic=True,
                                         check_worker_health=True, health_check_interval=5)
    consumer.run()
