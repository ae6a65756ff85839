"""`flask spiegel worker`: the queue's consumer, what runs the background jobs."""
import click
from flask import current_app


@click.command("worker")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes: how many jobs (PDF renders) run at once (default: QUEUE_WORKERS).")
def worker_command(workers: int | None):
    """Run the background jobs of the queue (PDF batches, mirrors) until stopped (Ctrl-C)."""
    import logging

    from spiegel.shared import queue

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s")
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    app = current_app._get_current_object()
    workers = workers or int(app.config.get("QUEUE_WORKERS", 2))
    click.echo(f"Queue {queue.queue_name(app)}: {workers} worker(s).")
    queue.run_consumer(app, workers)
