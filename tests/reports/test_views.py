"""The mirror page, its PDF, and printing a round as a ZIP: access, content, the job's progress."""
import re
from datetime import timedelta

import pytest

from spiegel.jobs import Job, run_job
from spiegel.reports.tasks import KIND
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from tests.conftest import fresh


@pytest.fixture
def no_process(monkeypatch):
    """Submitted jobs wait for the test to run them (nothing reaches the queue)."""
    monkeypatch.setattr("spiegel.shared.queue.enqueue", lambda job_id, **options: None)


def test_login_required(client, mirror_data):
    for path in (f"/mirror/{mirror_data.a.id}", f"/mirror/{mirror_data.a.id}.pdf",
                 f"/mirror/round/{mirror_data.current.id}"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_facilitator_sees_their_mirror_only(client, mirror_data, make_user, login):
    login(client, make_user("facilitator", team=mirror_data.a.team_id))
    page = client.get(f"/mirror/{mirror_data.a.id}")
    assert page.status_code == 200
    assert "Team Alfa" in page.text and 'id="network"' in page.text and 'id="items"' in page.text
    assert "Hoe lees je deze spiegel" in page.text  # the team's language (nl) by default
    assert "<svg" in page.text and "<title" in page.text and "<desc" in page.text
    assert not re.search(r"\sstyle=", page.text)  # the CSP forbids inline styles
    assert "&lt;script&gt;alert" in page.text and "<script>alert" not in page.text
    assert "reports.css" in page.text
    assert f"/mirror/{mirror_data.a.id}.pdf?lang=nl" in page.text
    assert client.get(f"/mirror/{mirror_data.b.id}").status_code == 404
    assert client.get("/mirror/999999").status_code == 404
    assert client.get(f"/mirror/round/{mirror_data.current.id}").status_code == 200  # their team only


def test_the_reader_may_choose_another_language(client, mirror_data, make_user, login):
    login(client, make_user("facilitator", team=mirror_data.a.team_id))
    client.get("/lang/fr")
    page = client.get(f"/mirror/{mirror_data.a.id}")
    assert "Comment lire ce miroir" in page.text and "?lang=fr" in page.text


def test_suppressed_team_page(client, mirror_data, make_user, login):
    login(client, make_user("school_leader", school=mirror_data.school.id))
    page = client.get(f"/mirror/{mirror_data.c.id}")
    assert page.status_code == 200
    assert "minder dan 3" in page.text and 'id="items"' not in page.text and 'id="overview"' not in page.text


@pytest.mark.pdf
def test_pdf_download(client, mirror_data, make_user, login):
    login(client, make_user("coach", team=mirror_data.b.team_id))
    response = client.get(f"/mirror/{mirror_data.b.id}.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert re.search(r'filename="spiegel-atheneum-noord-team-beta-afname-2026-en-\d+\.pdf"',
                     response.headers["Content-Disposition"])
    assert client.get(f"/mirror/{mirror_data.a.id}.pdf").status_code == 404


def _start_batch(client, round_id, lang="", **fields):
    page = client.get(f"/mirror/round/{round_id}")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    return client.post(f"/mirror/round/{round_id}", data={"csrf_token": token, "lang": lang, **fields})


def test_leader_prints_the_whole_round(client, mirror_data, make_user, login, no_process):
    login(client, make_user("school_leader", school=mirror_data.school.id))
    page = client.get(f"/mirror/round/{mirror_data.current.id}")
    assert all(name in page.text for name in ("Team Alfa", "Team Beta", "Team Gamma"))
    response = _start_batch(client, mirror_data.current.id, "fr")
    assert response.status_code == 302
    fresh()
    job = db.session.query(Job).one()
    assert response.headers["Location"].endswith(f"/mirror/jobs/{job.id}")
    assert job.kind == KIND and job.params["lang"] == "fr" and job.params["items"] is False
    assert sorted(job.params["round_team_ids"]) == sorted([mirror_data.a.id, mirror_data.b.id, mirror_data.c.id])
    progress = client.get(f"/mirror/jobs/{job.id}")
    assert progress.status_code == 200 and "<progress" in progress.text and "reports-job.js" in progress.text
    assert not re.search(r"\sstyle=", progress.text) and "<script>" not in progress.text.replace(
        '<script src=', '')
    status = client.get(f"/mirror/jobs/{job.id}.json").get_json()
    assert status["status"] == "queued" and status["download"] is None


def test_the_coach_chooses_the_item_appendix_in_the_batch(client, mirror_data, make_user, login, no_process):
    login(client, make_user("school_leader", school=mirror_data.school.id))
    page = client.get(f"/mirror/round/{mirror_data.current.id}")
    checkbox = re.search(r'<input[^>]*name="items"[^>]*>', page.text).group(0)
    assert 'type="checkbox"' in checkbox and "checked" not in checkbox  # off unless the coach chooses it
    assert "Met de resultaten per uitspraak (bijlage)" in page.text
    assert _start_batch(client, mirror_data.current.id, items="y").status_code == 302
    fresh()
    assert db.session.query(Job).one().params["items"] is True


def test_team_scoped_coach_batches_only_their_teams(client, mirror_data, make_user, login, no_process):
    leader = make_user("school_leader", school=mirror_data.school.id)
    coach = make_user("coach", team=mirror_data.b.team_id)
    login(client, coach)
    page = client.get(f"/mirror/round/{mirror_data.current.id}")
    assert "Team Beta" in page.text and "Team Alfa" not in page.text and "Team Gamma" not in page.text
    assert _start_batch(client, mirror_data.current.id).status_code == 302
    fresh()
    job = db.session.query(Job).one()
    assert job.params["round_team_ids"] == [mirror_data.b.id] and job.params["lang"] is None
    # someone else's job is out of reach
    other = Job(kind=KIND, params={"round_id": mirror_data.current.id, "round_team_ids": [mirror_data.b.id]},
                status="done", progress=1, total=1, user_id=leader.id, created=job.created, result="x.zip")
    db.session.add(other)
    db.session.commit()
    for path in (f"/mirror/jobs/{other.id}", f"/mirror/jobs/{other.id}.json", f"/mirror/jobs/{other.id}/download"):
        assert client.get(path).status_code == 404


def test_no_round_page_without_a_team_in_scope(client, mirror_data, make_user, login):
    from spiegel.org.models import School, Team

    elsewhere = Team(school=School(board=mirror_data.school.board, name="Elders"), name="Team X")
    db.session.add(elsewhere)
    db.session.commit()
    login(client, make_user("facilitator", team=elsewhere.id))
    assert client.get(f"/mirror/round/{mirror_data.current.id}").status_code == 404
    assert client.get("/mirror/round/999999").status_code == 404


@pytest.mark.pdf
def test_progress_and_download_when_done(client, mirror_data, make_user, login, no_process):
    coach = make_user("coach", team=mirror_data.b.team_id)
    login(client, coach)
    _start_batch(client, mirror_data.current.id)
    fresh()
    job = db.session.query(Job).one()
    assert run_job(job.id).status == "done"
    status = client.get(f"/mirror/jobs/{job.id}.json").get_json()
    assert status["status"] == "done" and status["percent"] == 100 and status["progress"] == status["total"] == 1
    assert status["download"].endswith(f"/mirror/jobs/{job.id}/download")
    download = client.get(status["download"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert download.data[:2] == b"PK"
    download.close()
    page = client.get(f"/mirror/jobs/{job.id}")
    assert status["download"] in page.text
    # scope is checked again: a coach who lost the team loses the job
    from spiegel.accounts.models import Membership

    db.session.query(Membership).filter_by(user_id=coach.id).delete()
    db.session.commit()
    assert client.get(f"/mirror/jobs/{job.id}/download").status_code in (302, 404)


def test_round_page_links_to_printing_all_mirrors(client, mirror_data, make_user, login):
    from tests.reports.conftest import NOW, _round

    login(client, make_user("school_leader", school=mirror_data.school.id))
    page = client.get(f"/rounds/{mirror_data.current.id}")
    assert page.status_code == 200
    link = re.search(r'<a class="button small" id="print-all-mirrors" href="([^"]+)">([^<]+)</a>', page.text)
    assert link and link.group(2) == "Alle spiegels afdrukken"  # the round's language
    assert link.group(1) == f"/mirror/round/{mirror_data.current.id}"
    assert client.get(link.group(1)).status_code == 200
    # a round without teams has nothing to print: no button (its printing page would be a 404)
    empty, _ = _round(mirror_data.school, "Leeg", NOW, NOW, [])
    db.session.commit()
    page = client.get(f"/rounds/{empty.id}")
    assert page.status_code == 200 and "print-all-mirrors" not in page.text
    assert client.get(f"/mirror/round/{empty.id}").status_code == 404


def test_a_stalled_print_job_goes_back_on_the_queue_then_shows_as_failed(client, mirror_data, make_user, login,
                                                                         no_process, app, web, monkeypatch):
    queued = []
    monkeypatch.setattr("spiegel.shared.queue.enqueue", lambda job_id, **options: queued.append(job_id))
    web.config["JOB_STALL_SECONDS"] = 60
    login(client, make_user("school_leader", school=mirror_data.school.id))
    _start_batch(client, mirror_data.current.id)
    fresh()
    job = db.session.query(Job).one()
    assert queued == [job.id]
    progress = client.get(f"/mirror/jobs/{job.id}")
    assert 'id="job-retry" hidden' in progress.text  # queued and within time: it waits
    assert client.get(f"/mirror/jobs/{job.id}.json").get_json()["status"] == "queued"
    # a worker took it, then died: no heartbeat for longer than JOB_STALL_SECONDS
    job.status, job.attempts, job.touched = "running", 1, utcnow() - timedelta(minutes=2)
    db.session.commit()
    assert client.get(f"/mirror/jobs/{job.id}.json").get_json()["status"] == "queued"
    assert queued == [job.id, job.id]  # back on the queue for another worker
    fresh()
    job = db.session.get(Job, job.id)
    job.status, job.attempts, job.touched = "running", 3, utcnow() - timedelta(minutes=2)
    db.session.commit()
    status = client.get(f"/mirror/jobs/{job.id}.json").get_json()  # the third run died too: it gives up
    assert status["status"] == "failed" and status["download"] is None and len(queued) == 2
    assert status["text"] == "Het afdrukken is gestopt: het afdrukproces loopt niet meer."
    page = client.get(f"/mirror/jobs/{job.id}")
    assert status["text"] in page.text and 'id="job-retry" hidden' not in page.text
    retry = re.search(r'<p id="job-retry">\s*<a class="button primary" href="([^"]+)">([^<]+)</a>', page.text)
    assert retry and retry.group(1) == f"/mirror/round/{mirror_data.current.id}" and retry.group(2) == "Opnieuw starten"
    assert _start_batch(client, mirror_data.current.id).status_code == 302  # and it can start again


@pytest.mark.pdf
def test_a_mirror_pdf_is_printed_by_the_queue_and_kept_while_its_data_stays(client, mirror_data, make_user, login,
                                                                          monkeypatch, web):
    from spiegel.reports import pdf

    renders = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html: renders.append(1) or real(html))
    login(client, make_user("coach", team=mirror_data.b.team_id))
    first = client.get(f"/mirror/{mirror_data.b.id}.pdf?lang=en")
    assert first.status_code == 200 and first.data.startswith(b"%PDF-") and len(renders) == 1
    again = client.get(f"/mirror/{mirror_data.b.id}.pdf?lang=en")
    assert again.data == first.data and len(renders) == 1  # unchanged: a download
    # a slow queue: the request waits briefly, then shows a progress page that opens the PDF when ready
    monkeypatch.setattr("spiegel.shared.queue.enqueue", lambda job_id, **options: None)
    web.config["MIRROR_WAIT_SECONDS"] = 0.3
    waiting = client.get(f"/mirror/{mirror_data.b.id}.pdf?lang=fr")
    assert waiting.status_code == 200 and waiting.mimetype == "text/html" and 'data-open="1"' in waiting.text
    assert "Impression du miroir" not in waiting.text  # the page is in the reader's language, not the PDF's
    fresh()
    job = db.session.query(Job).filter(Job.key.like(f"mirror-{mirror_data.b.id}-fr-%")).one()
    assert f"/mirror/jobs/{job.id}.json" in waiting.text
    assert client.get(f"/mirror/jobs/{job.id}.json").get_json()["download"] is None
    assert run_job(job.id).status == "done"
    status = client.get(f"/mirror/jobs/{job.id}.json").get_json()
    opened = client.get(status["download"])
    assert opened.mimetype == "application/pdf" and opened.data.startswith(b"%PDF-") and len(renders) == 2
    assert opened.headers["Content-Disposition"].startswith("inline;")
    # new data (another response sent): printed again
    import random

    from tests.reports.conftest import answer_team

    answer_team(mirror_data.b, ["teacher"] * 3, random.Random(2), level=2.0)
    db.session.commit()
    monkeypatch.undo()
    monkeypatch.setattr(pdf, "render_pdf", lambda html: renders.append(1) or real(html))
    changed = client.get(f"/mirror/{mirror_data.b.id}.pdf?lang=en")
    assert changed.status_code == 200 and changed.mimetype == "application/pdf"
    assert len(renders) == 3
