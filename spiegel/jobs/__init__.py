"""Background jobs: features hand tasks to the queue through this seam (see :mod:`spiegel.jobs.services`)."""
from spiegel.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job, StoredResult
from spiegel.jobs.services import (
    STALLED,
    TIMED_OUT,
    JobContext,
    recover_if_stalled,
    recover_stalled,
    remove_old_results,
    run_job,
    stored_result,
    submit,
    task,
    wait_for,
    worker_setup,
)

__all__ = ["DONE", "FAILED", "QUEUED", "RUNNING", "STALLED", "TIMED_OUT", "Job", "JobContext", "StoredResult",
           "recover_if_stalled", "recover_stalled", "remove_old_results", "run_job", "stored_result", "submit",
           "task", "wait_for", "worker_setup"]


def init_jobs(app) -> None:
    """Give the app its queue, running :func:`run_job` for each job id it carries (each worker process
    first runs what :func:`worker_setup` registered)."""
    from spiegel.jobs.services import set_up_worker
    from spiegel.shared import queue

    queue.init_queue(app, run_job=run_job, recover=recover_stalled, setup=set_up_worker)
