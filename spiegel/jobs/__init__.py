"""Background jobs: a generic runner that features hand tasks to (see :mod:`spiegel.jobs.runner`)."""
from spiegel.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from spiegel.jobs.runner import JobContext, jobs_folder, result_path, run_job, submit, task

__all__ = ["DONE", "FAILED", "QUEUED", "RUNNING", "Job", "JobContext", "jobs_folder", "result_path", "run_job",
           "submit", "task"]
