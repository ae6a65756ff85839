"""An installation that spans machines: two web processes (gunicorn, each with its own instance folder,
as two machines would have) and two queue workers on one database and one queue.

A leader starts a round's batch through one web process and downloads it through the other; the
worker running the batch is killed half-way and the batch still arrives (its job goes back on the
queue, the other worker finishes it, reusing the mirrors already printed).

CI runs it on PostgreSQL and Redis with SPIEGEL_INTEGRATION=1 (then a missing server is an error, not
a reason to run elsewhere); otherwise it runs the same scenario on the test database and the embedded
SQLite queue.
"""
import http.cookiejar
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from spiegel import ROOT
from spiegel.jobs import Job
from spiegel.org.models import Board, School, Team
from spiegel.shared.extensions import db
from tests.conftest import PASSWORD, fresh
from tests.rounds.conftest import add_responses, make_round, release, staff

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TEAMS = 8


def _queue_url(database_url: str, tmp_path: Path) -> str:
    queue_url = os.environ.get("SPIEGEL_QUEUE_URL", "")
    if os.environ.get("SPIEGEL_INTEGRATION") == "1":
        if not database_url.startswith("postgresql") or not queue_url.startswith("redis://"):
            pytest.fail("SPIEGEL_INTEGRATION=1 needs SPIEGEL_DATABASE_URL=postgresql+psycopg://… and "
                        f"SPIEGEL_QUEUE_URL=redis://… (got {database_url.split(':')[0]!r} and "
                        f"{queue_url.split(':')[0] or 'nothing'!r})")
        import redis

        try:
            redis.Redis.from_url(queue_url, socket_timeout=3).ping()
        except redis.RedisError as error:
            pytest.fail(f"SPIEGEL_INTEGRATION=1 but Redis at {queue_url} does not answer: {error}")
    return queue_url or f"sqlite:///{tmp_path / 'queue.db'}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Machine:
    """The processes of one machine: a web server and/or a queue worker, with their own instance folder."""

    def __init__(self, name: str, env: dict, tmp_path: Path):
        self.env = {**env, "SPIEGEL_INSTANCE_PATH": str(tmp_path / name)}
        self.log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115  (the processes' log while they run)
        self.processes: list[subprocess.Popen] = []

    def start(self, *command: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-m", *command], cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                   stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def web(self) -> str:
        port = _free_port()
        self.start("gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app")
        return f"http://127.0.0.1:{port}"

    def worker(self) -> subprocess.Popen:
        return self.start("flask", "--app", "wsgi", "spiegel", "worker", "--workers", "1")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.log.close()


class Browser:
    """One person's browser: a cookie jar (sent to either web process alike), no automatic redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  self._NoRedirect)

    def open(self, url: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(url, body, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx
            return error.code, dict(error.headers), error.read()
        return response.status, dict(response.headers), response.read()

    def token(self, url: str) -> str:
        status, _, body = self.open(url)
        assert status == 200, (url, status)
        return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()


def _wait_up(url: str, processes, deadline: float) -> None:
    while time.monotonic() < deadline:
        assert all(p.poll() is None for p in processes), "a process of the installation stopped"
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # not listening yet, or still starting
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


def _job(job_id: int) -> Job:
    fresh()
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_a_batch_crosses_machines_and_survives_a_killed_worker(app, database_url, tmp_path):
    started = time.monotonic()
    board = Board(name="Scholengroep")
    school = School(board=board, name="Lyceum Noord")
    teams = [Team(school=school, name=f"Team {n}") for n in range(1, TEAMS + 1)]
    db.session.add(board)
    db.session.commit()
    round_ = make_round(school, teams)
    for round_team in round_.round_teams:
        add_responses(round_team, 3, value=4)
    release(round_)
    leader = staff("school_leader", school=school)
    round_id = round_.id

    env = {**os.environ, "SPIEGEL_DATABASE_URL": database_url, "SPIEGEL_QUEUE_URL": _queue_url(database_url, tmp_path),
           # every machine shares the secret and the queue (a fresh name: nothing left from earlier runs)
           "SPIEGEL_SECRET_KEY": secrets.token_hex(16), "SPIEGEL_QUEUE_NAME": f"spiegel-test-{secrets.token_hex(4)}",
           "SPIEGEL_QUEUE_IMMEDIATE": "false", "SPIEGEL_JOB_STALL_SECONDS": "4"}
    machines = [Machine(name, env, tmp_path) for name in ("one", "two")]
    try:
        web_one, web_two = machines[0].web(), machines[1].web()
        workers = [machine.worker() for machine in machines]
        deadline = time.monotonic() + 60
        for url in (web_one, web_two):
            _wait_up(url, [p for m in machines for p in m.processes], deadline)

        browser = Browser()
        token = browser.token(web_one + "/login")
        status, headers, _ = browser.open(web_one + "/login", {"csrf_token": token, "email": leader.email,
                                                               "password": PASSWORD})
        assert status == 302, "log-in failed"
        token = browser.token(f"{web_one}/mirror/round/{round_id}")
        status, headers, _ = browser.open(f"{web_one}/mirror/round/{round_id}", {"csrf_token": token, "lang": "en"})
        assert status == 302 and re.search(r"/mirror/jobs/(\d+)$", headers["Location"]), (status, headers)
        job_id = int(re.search(r"/mirror/jobs/(\d+)$", headers["Location"]).group(1))

        # The batch is under way on one of the workers: kill that worker (its whole machine's consumer).
        killed = None
        while killed is None:
            assert time.monotonic() - started < 90, "the batch did not start"
            job = _job(job_id)
            if job.status == "running" and job.worker and job.progress >= 1:
                assert job.progress < job.total, "the batch finished before the worker could be killed"
                pid = int(job.worker.split()[1])
                parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                killed = next(w for w in workers if w.pid in (pid, parent))
                os.killpg(killed.pid, signal.SIGKILL)
                killed.wait(timeout=10)
            time.sleep(0.1)
        survivor = next(w for w in workers if w is not killed)

        # The other machine's web process follows it (the same session cookie: the shared secret).
        state = {}
        while time.monotonic() - started < 110:
            status, _, body = browser.open(f"{web_two}/mirror/jobs/{job_id}.json")
            assert status == 200, (status, body[:200])
            state = json.loads(body)
            if state["status"] in ("done", "failed"):
                break
            assert survivor.poll() is None, "the surviving worker stopped"
            time.sleep(0.5)
        assert state.get("status") == "done", (state, _job(job_id).error)
        status, headers, body = browser.open(web_two + state["download"])
        assert status == 200 and headers["Content-Type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = archive.namelist()
            assert len(names) == TEAMS and all(archive.read(name).startswith(b"%PDF-") for name in names)
        job = _job(job_id)
        assert job.attempts == 2 and job.worker != f"{socket.gethostname()} {killed.pid}"  # run again elsewhere
        assert time.monotonic() - started < 120
    finally:
        for machine in machines:
            machine.stop()
