"""Background jobs on the task queue (spiegel.jobs, spiegel.shared.queue) and the report tasks on top of them."""
import signal
import time
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from spiegel.jobs import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    STALLED,
    TIMED_OUT,
    Job,
    StoredResult,
    recover_stalled,
    run_job,
    services,
    stored_result,
    submit,
    task,
)
from spiegel.shared import queue
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from tests.conftest import fresh
from tests.reports.test_pdf import needs_poppler, pages, pdf_text


@task("test.count")
def count_task(job):
    job.set_total(job.params["n"])
    for done in range(1, job.params["n"] + 1):
        job.set_progress(done)
    job.store("count.txt", str(job.params["n"]).encode(), "text/plain")


@task("test.fail")
def failing_task(job):
    job.set_total(2)
    job.set_progress(1)
    raise RuntimeError("the printer is on fire")


@task("test.sleep", time_limit=0.5)
def sleeping_task(job):
    time.sleep(job.params["seconds"])
    job.store("late.txt", b"late", "text/plain")


@pytest.fixture
def enqueued(monkeypatch):
    """The job ids put on the queue (which then carries nothing: the test runs the jobs)."""
    ids = []
    monkeypatch.setattr(queue, "enqueue", lambda job_id, **options: ids.append((job_id, options)))
    return ids


def test_submit_puts_the_job_on_the_queue_and_a_worker_runs_it(app, enqueued):
    job = submit("test.count", user_id=7, n=3)
    assert (job.status, job.params, job.user_id, job.progress) == (QUEUED, {"n": 3}, 7, 0)
    assert [job_id for job_id, _ in enqueued] == [job.id]
    assert enqueued[0][1]["time_limit"] == 600 and enqueued[0][1]["retries"] == 1
    finished = run_job(job.id)
    assert finished.status == DONE and finished.progress == finished.total == 3 and finished.percent == 100
    assert finished.attempts == 1 and finished.worker and finished.finished is not None
    result = stored_result(finished)
    assert (result.key, result.filename, result.data, result.mimetype) == (f"job-{job.id}", "count.txt", b"3",
                                                                           "text/plain")
    assert run_job(job.id) is None  # a second message for the same job does nothing


def test_the_real_queue_carries_the_job_to_its_task(app, monkeypatch):
    """Immediate mode (the tests' queue) runs the job through Huey at once."""
    job = submit("test.count", n=2)
    fresh()
    assert db.session.get(Job, job.id).status == DONE


def test_a_failing_task_is_retried_then_ends_failed_with_its_reason(app, enqueued):
    job = submit("test.fail", start_now=False)
    with pytest.raises(RuntimeError):
        run_job(job.id, retries_left=1)  # Huey runs it again later
    fresh()
    again = db.session.get(Job, job.id)
    assert again.status == QUEUED and "the printer is on fire" in again.error
    finished = run_job(job.id, retries_left=0)
    assert finished.status == FAILED and finished.failed and finished.result is None and finished.attempts == 2
    assert "the printer is on fire" in finished.error and finished.progress == 1
    assert stored_result(finished) is None


def test_a_task_over_its_time_limit_is_stopped(app):
    """The worker's hard limit (SIGALRM in a process worker), as the consumer sets it up."""
    from huey.consumer import ProcessEnvironment

    huey = queue.huey(app)
    monkey = ProcessEnvironment(signal.SIGINT, signal.SIGTERM).timeout
    huey._timeout_handler = monkey
    try:
        started = time.monotonic()
        job = submit("test.sleep", seconds=5)
        assert time.monotonic() - started < 3
    finally:
        huey._timeout_handler = None
    fresh()
    job = db.session.get(Job, job.id)
    assert job.status == FAILED and job.error == TIMED_OUT and stored_result(job) is None


def test_unknown_kinds_and_bad_params_are_refused(app, enqueued):
    with pytest.raises(KeyError):
        submit("test.nothing")
    with pytest.raises(TypeError):
        submit("test.count", n=object())
    assert db.session.query(Job).count() == 0 and enqueued == []


def test_a_keyed_job_is_done_once_per_key(app, enqueued):
    first = submit("test.count", key="count-3", n=3)
    assert submit("test.count", key="count-3", n=3).id == first.id  # queued: the same job
    run_job(first.id)
    fresh()
    assert submit("test.count", key="count-3", n=3).id == first.id  # done: its result is served
    assert stored_result(db.session.get(Job, first.id)).key == "count-3"
    other = submit("test.count", key="count-4", n=4)
    assert other.id != first.id
    failed = submit("test.fail", key="fail")
    run_job(failed.id)
    fresh()
    assert submit("test.fail", key="fail").id != failed.id  # a failed one is tried again
    db.session.execute(StoredResult.__table__.delete())
    db.session.commit()
    assert submit("test.count", key="count-3", n=3).id != first.id  # so is one whose result is gone
    assert len(enqueued) == 5


def _running(job, seconds_ago, attempts=1):
    job.status, job.attempts = RUNNING, attempts
    job.touched = utcnow() - timedelta(seconds=seconds_ago)
    db.session.commit()
    return job


def test_a_job_whose_worker_died_goes_back_on_the_queue(app, enqueued):
    app.config.update(JOB_STALL_SECONDS=60, JOB_MAX_ATTEMPTS=2)
    job = submit("test.count", n=2)
    assert not services.is_stalled(job)
    _running(job, seconds_ago=30)
    assert services.recover_if_stalled(job).status == RUNNING  # alive: it had a heartbeat 30 s ago
    _running(job, seconds_ago=90)
    assert recover_stalled() == 1
    fresh()
    job = db.session.get(Job, job.id)
    assert job.status == QUEUED and [job_id for job_id, _ in enqueued] == [job.id, job.id]
    assert run_job(job.id).status == DONE  # another worker finishes it
    # after JOB_MAX_ATTEMPTS runs it gives up
    other = _running(submit("test.count", n=1), seconds_ago=90, attempts=2)
    failed = services.recover_if_stalled(other)
    assert failed.status == FAILED and failed.error == STALLED and failed.finished is not None
    assert recover_stalled() == 0 and len(enqueued) == 3  # ended jobs stay as they are
    # a job queued long ago whose message was lost goes back on the queue too
    lost = submit("test.count", n=1)
    lost.touched = lost.created = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert services.recover_if_stalled(lost).status == QUEUED and enqueued[-1][0] == lost.id and len(enqueued) == 5


@task("test.heartbeat")
def heartbeat_task(job):
    before = db.session.scalar(select(Job.touched).where(Job.id == job.id))
    time.sleep(1.5)
    db.session.rollback()
    after = db.session.scalar(select(Job.touched).where(Job.id == job.id))
    job.store("beats.txt", f"{before.isoformat()} {after.isoformat()}".encode(), "text/plain")


def test_a_running_job_shows_a_heartbeat(app, enqueued):
    app.config["JOB_STALL_SECONDS"] = 2  # a beat every half second
    job = submit("test.heartbeat")
    finished = run_job(job.id)
    before, after = stored_result(finished).data.decode().split()
    assert after > before  # touched while the task slept, without any progress report


def _result(key, hours_ago):
    created = utcnow() - timedelta(hours=hours_ago)
    job = Job(kind="test.count", params={"n": 1}, status=DONE, progress=1, total=1, created=created,
              finished=created, result=key)
    db.session.add_all([job, StoredResult(key=key, filename=f"{key}.zip", mimetype="application/zip", data=b"PK",
                                          created=created)])
    db.session.commit()
    return job


def test_old_results_are_deleted(app, runner, enqueued):
    app.config["JOB_RESULTS_MAX_AGE_HOURS"] = 24
    old, old_mirror, recent = _result("job-old", 30), _result("mirror-1-nl-0-abc", 48), _result("job-recent", 2)
    assert services.remove_old_results() == 2
    fresh()
    assert db.session.get(Job, old.id).result is None and stored_result(db.session.get(Job, old.id)) is None
    assert db.session.get(Job, old_mirror.id).result is None
    assert stored_result(db.session.get(Job, recent.id)).data == b"PK"
    # starting a new job cleans up too, and so does `flask spiegel purge`
    app.config["JOB_RESULTS_MAX_AGE_HOURS"] = 1
    submit("test.count", n=1)
    assert stored_result(db.session.get(Job, recent.id)) is None
    _result("job-another", 3)
    output = runner.invoke(args=["spiegel", "purge"]).output
    assert "Deleted 1 results of background jobs" in output
    assert db.session.query(StoredResult).count() == 0
    assert "background jobs" not in runner.invoke(args=["spiegel", "purge", "--dry-run"]).output


@pytest.mark.pdf
def test_round_zip_is_one_mirror_job_per_team_and_reuses_printed_mirrors(mirror_data, enqueued, monkeypatch):
    from spiegel.reports import pdf
    from spiegel.reports.tasks import KIND, MIRROR, request_mirror

    renders = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html: renders.append(1) or real(html))
    ids = [mirror_data.a.id, mirror_data.b.id, mirror_data.c.id]
    job = submit(KIND, round_id=mirror_data.current.id, round_team_ids=ids, lang="en")
    finished = run_job(job.id)  # no other worker: it prints every mirror itself
    assert finished.status == DONE, finished.error
    assert finished.total == finished.progress == 3 and len(renders) == 3
    parts = db.session.scalars(select(Job).where(Job.kind == MIRROR).order_by(Job.id)).all()
    assert len(parts) == 3 and all(part.status == DONE for part in parts)
    assert {part.params["round_team_id"] for part in parts} == set(ids)
    with zipfile.ZipFile(__import__("io").BytesIO(stored_result(finished).data)) as archive:
        names = archive.namelist()
        assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
        assert any("team-alfa" in name for name in names) and any("team-gamma" in name for name in names)
        assert all(archive.read(name).startswith(b"%PDF-") for name in names)
        assert {info.date_time[:3] for info in archive.infolist()} == {mirror_data.current.closes_at.timetuple()[:3]}
    again = run_job(submit(KIND, round_id=mirror_data.current.id, round_team_ids=ids, lang="en").id)
    assert again.status == DONE and len(renders) == 3  # nothing changed: nothing printed again
    single = request_mirror(mirror_data.b, "en")
    assert single.status == DONE and stored_result(single).data.startswith(b"%PDF-") and len(renders) == 3
    assert request_mirror(mirror_data.b, "nl").status == QUEUED  # another language is another mirror


@pytest.mark.pdf
@needs_poppler
def test_round_zip_with_the_item_appendix_when_asked(mirror_data, enqueued, tmp_path):
    from spiegel.reports.tasks import KIND

    found = {}
    for items in (False, True):
        job = submit(KIND, round_id=mirror_data.current.id, round_team_ids=[mirror_data.b.id], lang="en",
                     items=items)
        finished = run_job(job.id)
        assert finished.status == DONE, finished.error
        with zipfile.ZipFile(__import__("io").BytesIO(stored_result(finished).data)) as archive:
            path = tmp_path / f"{items}.pdf"
            path.write_bytes(archive.read(archive.namelist()[0]))
        found[items] = (pages(path), "Appendix: results per statement" in pdf_text(path))
    assert found[False][1] is False and found[True][1] is True
    assert found[True][0] > found[False][0], found


def test_the_queue_is_named_after_the_installation(app):
    from spiegel import create_app

    one = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "one"})
    same = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "one"})
    two = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "two"})
    named = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "two", "QUEUE_NAME": "board"})
    assert queue.huey(one).name == queue.huey(same).name != queue.huey(two).name
    assert "one" not in queue.huey(one).name and queue.huey(named).name == "board"
    with pytest.raises(RuntimeError, match="SPIEGEL_QUEUE_URL"):
        create_app({"DATABASE_URL": app.config["DATABASE_URL"], "QUEUE_URL": "amqp://x"})


def test_a_queue_worker_loads_the_renderer_before_its_first_mirror(app):
    """Huey runs its startup hooks in every worker process it forks: there WeasyPrint, the fonts and
    the print stylesheet are loaded and what is loaded is frozen out of the garbage collector's passes
    (a forked child here, as the consumer's workers are; the test process stays untouched)."""
    import multiprocessing

    def worker(pipe):
        import gc
        import sys

        for hook in queue.huey(app)._startup.values():
            hook()
        from spiegel.reports import pdf

        pipe.send((gc.get_freeze_count(), "weasyprint" in sys.modules, pdf._stylesheet is not None))

    parent, child = multiprocessing.get_context("fork").Pipe()
    process = multiprocessing.get_context("fork").Process(target=worker, args=(child,))
    process.start()
    frozen, loaded, stylesheet = parent.recv()
    process.join(30)
    assert loaded and stylesheet
    assert frozen > 10_000  # the app's and WeasyPrint's objects
