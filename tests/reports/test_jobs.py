"""The generic job runner (spiegel.jobs) and the report batch task on top of it."""
import json
import os
import time
import zipfile

import pytest

from spiegel.extensions import db
from spiegel.jobs import DONE, FAILED, QUEUED, Job, result_path, run_job, submit, task
from spiegel.jobs import runner
from tests.conftest import fresh
from tests.reports.test_pdf import needs_poppler, pages, pdf_text


@task("test.count")
def count_task(job):
    job.set_total(job.params["n"])
    for done in range(1, job.params["n"] + 1):
        job.set_progress(done)
    path = job.path("count.txt")
    path.write_text(str(job.params["n"]))
    return path.name


@task("test.fail")
def failing_task(job):
    job.set_total(2)
    job.set_progress(1)
    raise RuntimeError("the printer is on fire")


def test_submit_and_run_a_task(app, jobs_dir):
    job = submit("test.count", start_now=False, user_id=7, n=3)
    assert (job.status, job.params, job.user_id, job.progress) == (QUEUED, {"n": 3}, 7, 0)
    finished = run_job(job.id)
    assert finished.status == DONE and finished.progress == finished.total == 3 and finished.percent == 100
    assert finished.result == "count.txt" and finished.finished is not None
    assert result_path(finished) == jobs_dir / "count.txt" and (jobs_dir / "count.txt").read_text() == "3"


def test_a_failing_task_ends_failed_with_its_reason(app, jobs_dir):
    job = submit("test.fail", start_now=False)
    finished = run_job(job.id)
    assert finished.status == FAILED and finished.failed and finished.result is None
    assert "the printer is on fire" in finished.error and finished.progress == 1
    assert result_path(finished) is None
    with pytest.raises(RuntimeError):
        run_job(job.id)  # a job runs once


def test_unknown_kinds_and_bad_params_are_refused(app, jobs_dir):
    with pytest.raises(KeyError):
        submit("test.nothing", start_now=False)
    with pytest.raises(TypeError):
        submit("test.count", start_now=False, n=object())
    assert db.session.query(Job).count() == 0


def test_results_stay_inside_the_jobs_folder(app, jobs_dir):
    job = submit("test.count", start_now=False, n=1)
    context = runner.JobContext(job, jobs_dir)
    for name in ("../escape.txt", "a/b.txt", "", ".."):
        with pytest.raises(ValueError):
            context.path(name)


def test_job_environment_passes_the_database_and_settings(app, jobs_dir):
    env = runner.job_environment()
    assert json.loads(env["SPIEGEL_DATABASE_URL"]) == app.config["DATABASE_URL"]
    assert json.loads(env["SPIEGEL_JOBS_DIR"]) == str(jobs_dir)
    assert env.get("SPIEGEL_SECRET_KEY") == os.environ.get("SPIEGEL_SECRET_KEY")  # never added


@pytest.mark.pdf
def test_round_zip_task_prints_every_team(mirror_data, jobs_dir):
    from spiegel.reports.tasks import KIND

    ids = [mirror_data.a.id, mirror_data.c.id]
    job = submit(KIND, start_now=False, round_id=mirror_data.current.id, round_team_ids=ids, lang="en")
    finished = run_job(job.id)
    assert finished.status == DONE, finished.error
    assert finished.total == finished.progress == 2
    with zipfile.ZipFile(result_path(finished)) as archive:
        names = archive.namelist()
        assert len(names) == 2 and all(name.endswith(".pdf") for name in names)
        assert any("team-alfa" in name for name in names) and any("team-gamma" in name for name in names)
        assert all(archive.read(name).startswith(b"%PDF-") for name in names)
        assert {info.date_time[:3] for info in archive.infolist()} == {mirror_data.current.closes_at.timetuple()[:3]}


@pytest.mark.pdf
@needs_poppler
def test_round_zip_with_the_item_appendix_when_asked(mirror_data, jobs_dir, tmp_path):
    from spiegel.reports.tasks import KIND

    found = {}
    for items in (False, True):
        job = submit(KIND, start_now=False, round_id=mirror_data.current.id, round_team_ids=[mirror_data.b.id],
                     lang="en", items=items)
        finished = run_job(job.id)
        assert finished.status == DONE, finished.error
        with zipfile.ZipFile(result_path(finished)) as archive:
            path = tmp_path / f"{items}.pdf"
            path.write_bytes(archive.read(archive.namelist()[0]))
        found[items] = (pages(path), "Appendix: results per statement" in pdf_text(path))
    assert found[False][1] is False and found[True][1] is True
    assert found[True][0] > found[False][0] + 2, found


@pytest.mark.pdf
@pytest.mark.slow
def test_submit_starts_a_separate_process(mirror_data, jobs_dir):
    """The real thing: `flask spiegel run-job` in its own process, on the same database."""
    from spiegel.reports.tasks import KIND

    job = submit(KIND, round_id=mirror_data.current.id, round_team_ids=[mirror_data.c.id])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        fresh()
        db.session.expire_all()
        current = db.session.get(Job, job.id)
        if current.status in (DONE, FAILED):
            break
        time.sleep(0.5)
    assert current.status == DONE, (current.error, (jobs_dir / f"job-{job.id}.log").read_text())
    assert result_path(current).is_file()
    for process in runner._children:
        process.wait(timeout=30)
    runner._reap()


def _dead_pid() -> int:
    """The id of a process that has ended (and been collected)."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _running(job):
    job.status = "running"
    db.session.commit()
    return job


def test_a_job_whose_process_died_ends_failed(app, jobs_dir):
    job = _running(submit("test.count", start_now=False, n=2))
    runner.signal_alive(job.id, jobs_dir)  # this process: alive
    assert not runner.is_stalled(job) and runner.fail_if_stalled(job).status == "running"
    runner.signal_alive(job.id, jobs_dir, _dead_pid())
    assert runner.is_stalled(job)
    failed = runner.fail_if_stalled(job)
    assert failed.status == FAILED and failed.error == runner.STALLED and failed.finished is not None
    assert not (jobs_dir / f"job-{job.id}.alive").exists()
    done = submit("test.count", start_now=False, n=1)
    run_job(done.id)
    fresh()
    assert runner.fail_if_stalled(db.session.get(Job, done.id)).status == DONE  # ended jobs stay as they are


def test_a_job_without_progress_for_too_long_ends_failed(app, jobs_dir):
    app.config["JOB_STALL_SECONDS"] = 60
    job = _running(submit("test.count", start_now=False, n=2))
    job.created = runner.utcnow() - runner.timedelta(minutes=5)
    db.session.commit()
    runner.signal_alive(job.id, jobs_dir)  # alive and just reported progress
    assert not runner.is_stalled(job)
    long_ago = time.time() - 120
    os.utime(jobs_dir / f"job-{job.id}.alive", (long_ago, long_ago))
    assert runner.is_stalled(job)
    assert not runner.is_stalled(job, now=job.created + runner.timedelta(seconds=30))
    queued = submit("test.count", start_now=False, n=1)  # its process never started
    assert not runner.is_stalled(queued)
    assert runner.is_stalled(queued, now=queued.created + runner.timedelta(seconds=61))
    assert runner.fail_if_stalled(job).status == FAILED


def _finished_job(jobs_dir, hours_ago, status=DONE):
    jobs_dir.mkdir(parents=True, exist_ok=True)
    finished = runner.utcnow() - runner.timedelta(hours=hours_ago)
    job = Job(kind="test.count", params={"n": 1}, status=status, progress=1, total=1, created=finished,
              finished=finished)
    db.session.add(job)
    db.session.flush()
    job.result = f"result-{job.id}.zip"
    db.session.commit()
    (jobs_dir / job.result).write_bytes(b"PK")
    (jobs_dir / f"job-{job.id}.log").write_text("log")
    return job


@pytest.fixture
def runner_cli(app):
    return app.test_cli_runner()


def test_old_job_files_are_deleted(app, jobs_dir, runner_cli):
    app.config["JOB_RESULTS_MAX_AGE_HOURS"] = 24
    old, recent = _finished_job(jobs_dir, 30), _finished_job(jobs_dir, 2)
    old_failed = _finished_job(jobs_dir, 48, status=FAILED)
    removed = runner.remove_old_results()
    assert sorted(removed) == sorted([f"result-{old.id}.zip", f"job-{old.id}.log", f"result-{old_failed.id}.zip",
                                      f"job-{old_failed.id}.log"])
    fresh()
    assert db.session.get(Job, old.id).result is None and result_path(db.session.get(Job, old.id)) is None
    assert result_path(db.session.get(Job, recent.id)) == jobs_dir / f"result-{recent.id}.zip"
    assert (jobs_dir / f"job-{recent.id}.log").is_file()
    # starting a new job cleans up too, and so does `flask spiegel purge`
    app.config["JOB_RESULTS_MAX_AGE_HOURS"] = 1
    submit("test.count", start_now=False, n=1)
    assert not (jobs_dir / f"result-{recent.id}.zip").exists()
    another = _finished_job(jobs_dir, 3)
    output = runner_cli.invoke(args=["spiegel", "purge"]).output
    assert "Deleted 2 files of background jobs" in output
    assert not (jobs_dir / f"result-{another.id}.zip").exists()
    assert "background jobs" not in runner_cli.invoke(args=["spiegel", "purge", "--dry-run"]).output
