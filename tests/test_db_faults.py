"""Database faults on a study day (issue 16): a dropped connection is retried once, and a dropped
connection, a full disk or a read-only database never answers 500: the respondent's page comes back
with their answers filled in (503), staff pages answer a calm 503, /healthz reports the fault.

Faults are made for real where the database can make them (a connection closed or terminated by the
server in the middle of the request, a read-only connection), and otherwise raised where the driver
raises them (the exception each driver raises for a full disk)."""
import re
import sqlite3

import psycopg
import pytest
from sqlalchemy import func, select, text

from spiegel.shared.db import request_connection
from spiegel.shared.extensions import db
from spiegel.survey import services
from spiegel.survey.models import Answer, Response
from tests.conftest import fresh
from tests.survey_helpers import Respondent, csrf_token, page_values, shown_page


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def kill(connection) -> None:
    """Drop the request's connection as a database restart or a network cut would."""
    if connection.dialect.name == "postgresql":
        pid = connection.connection.dbapi_connection.info.backend_pid
        with db.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.commit()
    else:
        connection.connection.dbapi_connection.close()


def make_read_only(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET default_transaction_read_only = on")
    else:
        connection.exec_driver_sql("PRAGMA query_only = ON")


def before_save(monkeypatch, action):
    """Run action(request connection) in the page request, after the team was found and before the
    answers are saved."""
    parse_page = services.parse_page

    def parse_then_act(*args, **kwargs):
        action(request_connection())
        return parse_page(*args, **kwargs)

    monkeypatch.setattr(services, "parse_page", parse_then_act)


def on_retry(monkeypatch, action):
    """Run action(the new request connection) when a save is retried."""
    from spiegel.shared import dbfaults

    discard = dbfaults.discard_request_connection

    def discard_then_act():
        discard()
        action(request_connection())

    monkeypatch.setattr(dbfaults, "discard_request_connection", discard_then_act)


def fail_writes(monkeypatch, web, error, times=1, when=("INSERT", "UPDATE", "DELETE")):
    """Make the next `times` writes (statements starting with one of `when`) raise the driver's
    `error()`, where the driver raises it; SQLAlchemy wraps it as it would a real one."""
    calls = {"failed": 0}

    def should_fail(statement) -> bool:
        sql = str(statement).lstrip().upper()
        if calls["failed"] < times and (sql.startswith(when) or (sql.startswith("WITH") and "UPDATE" in when)):
            calls["failed"] += 1
            return True
        return False

    if is_postgresql():
        for method in ("execute", "executemany"):
            original = getattr(psycopg.Cursor, method)

            def failing(self, query, *args, _original=original, **kwargs):
                if should_fail(query):
                    raise error()
                return _original(self, query, *args, **kwargs)

            monkeypatch.setattr(psycopg.Cursor, method, failing)
    else:
        with web.app_context():
            dialects = {id(engine.dialect): engine.dialect for engine in db.engines.values()}
        for dialect in dialects.values():
            for method in ("do_execute", "do_executemany"):
                original = getattr(dialect, method)

                def failing(cursor, statement, *args, _original=original, **kwargs):
                    if should_fail(statement):
                        raise error()
                    return _original(cursor, statement, *args, **kwargs)

                monkeypatch.setattr(dialect, method, failing)
    return calls


def disk_full():
    if is_postgresql():
        return psycopg.errors.DiskFull('could not extend file "base/16384/16402": No space left on device')
    return sqlite3.OperationalError("database or disk is full")


def read_only():
    if is_postgresql():
        return psycopg.errors.ReadOnlySqlTransaction("cannot execute UPDATE in a read-only transaction")
    return sqlite3.OperationalError("attempt to write a readonly database")


@pytest.fixture
def respondent(client, make_round_team):
    person = Respondent(client, make_round_team())
    person.start()
    person.answer_page(0, page_values(person.pages()[0], 0))  # the phase; page 1 has statements
    return person


def post_page(person, number=1):
    page = person.get(f"/t/{person.code}/p/{number}")
    values = page_values(person.pages()[number], number)
    response = person.post(f"/t/{person.code}/p/{number}", {"csrf_token": csrf_token(page.text), **values})
    return response, values


def saved_answers() -> int:
    fresh()
    return db.session.scalar(select(func.count()).select_from(Answer))


def saved_page() -> int:
    return db.session.scalar(select(Response.page))


def assert_kept(response, person, values, number=1):
    """The 503 page: the same page again, every posted answer chosen, the message, Retry-After."""
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert f'<form id="page-form" method="post" action="/t/{person.code}/p/{number}"' in response.text
    assert "Your answers are kept" in response.text or "Je antwoorden zijn bewaard" in response.text
    for name, value in values.items():
        if name.startswith("open-"):
            assert f">{value}</textarea>" in response.text
        else:
            assert f'name="{name}" value="{value}" checked' in response.text, name


def test_a_connection_dropped_during_a_page_save_is_retried_and_saves(respondent, monkeypatch):
    before_save(monkeypatch, kill)
    response, values = post_page(respondent)
    assert shown_page(response) == f"/t/{respondent.code}/p/2"
    assert saved_answers() == sum(1 for name in values if name.startswith("item-")) > 0
    assert saved_page() == 2


def test_a_connection_dropped_twice_answers_503_with_the_answers_kept(respondent, monkeypatch):
    before_save(monkeypatch, kill)
    on_retry(monkeypatch, kill)
    response, values = post_page(respondent)
    assert_kept(response, respondent, values)
    assert saved_answers() == 0 and saved_page() == 1
    # The device carries on: pressing again (now without faults) saves the page.
    monkeypatch.undo()
    again, _values = post_page(respondent)
    assert shown_page(again) == f"/t/{respondent.code}/p/2"


@pytest.mark.parametrize("error", [disk_full, read_only])
def test_a_page_save_on_a_full_or_read_only_database_answers_503_with_the_answers_kept(respondent, monkeypatch, web,
                                                                                       error):
    calls = fail_writes(monkeypatch, web, error)
    response, values = post_page(respondent)
    assert calls["failed"] == 1  # not retried: only a dropped connection is
    assert_kept(response, respondent, values)
    assert saved_answers() == 0 and saved_page() == 1


def test_a_page_save_failing_after_its_answers_were_written_leaves_nothing_half_saved(respondent, monkeypatch, web):
    # SQLite writes the answers, then the move to the next page; PostgreSQL does both in one statement.
    fail_writes(monkeypatch, web, disk_full, when=("UPDATE",))
    response, values = post_page(respondent)
    assert_kept(response, respondent, values)
    assert saved_answers() == 0 and saved_page() == 1
    assert saved_page() == 1


def test_a_real_read_only_database_answers_503_with_the_answers_kept(respondent, monkeypatch):
    before_save(monkeypatch, make_read_only)
    response, values = post_page(respondent)
    assert_kept(response, respondent, values)
    assert saved_answers() == 0 and saved_page() == 1


@pytest.mark.parametrize("error", [disk_full, read_only])
def test_start_on_a_database_that_cannot_write_answers_503_keeping_the_role(client, make_round_team, monkeypatch,
                                                                            web, error):
    round_team = make_round_team()
    page = client.get(f"/t/{round_team.code}")
    fail_writes(monkeypatch, web, error)
    response = client.post(f"/t/{round_team.code}/start", data={"csrf_token": csrf_token(page.text), "role": "leader"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert re.search(r'<input checked[^>]*value="leader"', response.text)
    assert "Je antwoorden zijn bewaard" in response.text
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_resume_on_a_database_that_cannot_write_answers_503_keeping_the_code(client, make_round_team, monkeypatch, web):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    resume = client.get_cookie(f"spiegel_{round_team.code}").value.partition(".")[2]
    other = Respondent(client.application.test_client(), round_team)
    page = other.get(f"/t/{round_team.code}")
    # The resume code is found (a read), then moved to this device (a write), which fails.
    fail_writes(monkeypatch, web, read_only)
    response = other.post(f"/t/{round_team.code}/resume", {"csrf_token": csrf_token(page.text), "resume_code": resume})
    assert response.status_code == 503
    assert f'value="{resume}"' in response.text and "Je antwoorden zijn bewaard" in response.text


def test_submitting_on_a_read_only_database_answers_503_on_the_review_page(respondent, monkeypatch, web):
    review = respondent.get(f"/t/{respondent.code}/review")
    fail_writes(monkeypatch, web, read_only)
    response = respondent.post(f"/t/{respondent.code}/review", {"csrf_token": csrf_token(review.text), "action": "submit"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert 'value="submit"' in response.text and "Je antwoorden zijn bewaard" in response.text
    fresh()
    assert db.session.scalar(select(Response.submitted_on)) is None


def test_a_staff_page_on_a_database_that_cannot_write_answers_a_calm_503(client, monkeypatch, web, make_user):
    user = make_user("admin")
    page = client.get("/login")
    fail_writes(monkeypatch, web, disk_full)
    # A wrong password is counted (a write) in the shared rate-limit table.
    response = client.post("/login", data={"csrf_token": csrf_token(page.text), "email": user.email,
                                           "password": "wrong password"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Er kan nu niets worden opgeslagen" in response.text


def test_healthz_reports_a_database_that_cannot_take_a_write(client, monkeypatch, web):
    assert client.get("/healthz").status_code == 200
    fail_writes(monkeypatch, web, read_only)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "read_only"}


def test_healthz_reports_a_real_read_only_database(client, web):
    from sqlalchemy import event

    with web.app_context():
        engine = db.engine
    listener = lambda dbapi_connection, _record: make_read_only_raw(dbapi_connection)  # noqa: E731
    event.listen(engine, "connect", listener)
    try:
        with web.app_context():
            engine.dispose()
        response = client.get("/healthz")
    finally:
        event.remove(engine, "connect", listener)
    assert response.status_code == 503
    assert response.json["database"] == "read_only"


def make_read_only_raw(dbapi_connection) -> None:
    cursor = dbapi_connection.cursor()
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor.execute("PRAGMA query_only = ON")
    else:
        cursor.execute("SET default_transaction_read_only = on")
        dbapi_connection.commit()  # a SET in a transaction that rolls back would be undone
    cursor.close()
