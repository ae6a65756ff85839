"""db.execute_first, the respondent flow's statements: on PostgreSQL they run on the driver's cursor,
and must give what SQLAlchemy gives, values and errors alike. Each test runs in its own app context,
as a request does, so that the request's connection goes back to the pool at its end."""
import pytest
from sqlalchemy import bindparam, insert, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from spiegel.shared.db import execute_first, request_connection
from spiegel.shared.extensions import db
from spiegel.shared.hashing import digest
from spiegel.survey import codes, services
from spiegel.survey.models import Answer


def test_it_returns_the_values_sqlalchemy_returns(app, make_round_team):
    round_team = make_round_team()
    opens_at, code = round_team.round.opens_at, round_team.code
    with app.app_context():
        team, _ = services.find_round_team(code)
        _respondent, token, _resume = services.start_response(team, "teacher", "fr")
        statement, params = services._round_team_by_code(), {"code": code, "token_hash": digest(token)}
        row = execute_first(statement, params)
        with db.engine.connect() as connection:
            assert tuple(row) == tuple(connection.execute(statement, params).first())
    # JSON as Python lists and dicts, times as datetimes: not the text SQLite and the wire carry.
    assert isinstance(row[5], list) and isinstance(row[6], dict) and row[9] == opens_at
    assert row[14:16] == ("teacher", "fr")  # after the round's access mode


def test_a_statement_without_rows_returns_none(app, make_round_team):
    round_team_id = make_round_team().id
    with app.app_context():
        assert execute_first(text("UPDATE round_team SET code = code WHERE id = :id"), {"id": round_team_id}) is None


def test_errors_are_sqlalchemys_and_a_dropped_connection_leaves_the_pool(app):
    no_such_response = insert(Answer.__table__).values(response_id=bindparam("response_id"), item_id="I1.1", value=3)
    with app.app_context():
        with pytest.raises(IntegrityError):
            execute_first(no_such_response, {"response_id": 2_000_000})
        connection = request_connection()
        connection.rollback()
        dbapi_connection = connection.connection.dbapi_connection
        if connection.dialect.name == "postgresql":  # the server ends it, as on a restart or failover
            with db.engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dbapi_connection.info.backend_pid})
        else:
            dbapi_connection.close()
        with pytest.raises(DBAPIError):
            execute_first(text("SELECT 1"), {})
        assert connection.invalidated  # not handed to the next request


def test_the_respondent_flow_commits_each_statement_on_postgresql_and_the_orm_keeps_its_transactions(app, make_round_team):
    round_team_id, old_code = (round_team := make_round_team()).id, round_team.code
    rename = text("UPDATE round_team SET code = :code WHERE id = :id")
    code_now = text("SELECT code FROM round_team WHERE id = :id")
    first, second = codes.new_team_code(), codes.new_team_code()
    with app.app_context():
        execute_first(rename, {"code": first, "id": round_team_id})
        with db.engine.connect() as other:
            seen = other.scalar(code_now, {"id": round_team_id})
        on_postgresql = db.engine.dialect.name == "postgresql"
        # PostgreSQL: in autocommit, seen at once; SQLite: not before save_page's own commit.
        assert seen == (first if on_postgresql else old_code)
        request_connection().rollback()
    with app.app_context():
        db.session.execute(rename, {"code": second, "id": round_team_id})
        with db.engine.connect() as other:
            assert other.scalar(code_now, {"id": round_team_id}) == (first if on_postgresql else old_code)
        db.session.rollback()
