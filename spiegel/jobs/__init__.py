"""Background jobs: a generic runner that features hand tasks to (see :mod:`spiegel.jobs.runner`)."""
from spiegel.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from spiegel.jobs.runner import (STALLED, JobContext, fail_if_stalled, jobs_folder, remove_old_results, result_path,
                                 run_job, submit, task)

__all__ = ["DONE", "FAILED", "QUEUED", "RUNNING", "STALLED", "Job", "JobContext", "fail_if_stalled", "jobs_folder",
           "remove_old_results", "result_path", "run_job", "submit", "task"]
