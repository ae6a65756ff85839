"""`flask spiegel run-job ID`: what a job's process runs."""
import click

from spiegel.jobs.runner import run_job


@click.command("run-job")
@click.argument("job_id", type=int)
def run_job_command(job_id: int):
    """Run a queued background job (started by the web app; not usually typed by hand)."""
    job = run_job(job_id)
    click.echo(f"job {job.id} ({job.kind}): {job.status}")
    if job.error:
        raise SystemExit(1)
