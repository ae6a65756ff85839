"""db.request_connection, the respondent flow's Core connection (in autocommit on PostgreSQL). Each
test runs in its own app context, as a request does, so that the request's connection goes back to the
pool at its end."""
import pytest
from sqlalchemy import bindparam, insert, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from spiegel.shared.db import request_connection
from spiegel.shared.extensions import db
from spiegel.survey import codes
from spiegel.survey.models import Answer


def test_errors_are_sqlalchemys_and_a_dropped_connection_leaves_the_pool(app):
    no_such_response = insert(Answer.__table__).values(response_id=bindparam("response_id"), item_id="I1.1", value=3)
    with app.app_context():
        with pytest.raises(IntegrityError):
            request_connection().execute(no_such_response, {"response_id": 2_000_000})
        connection = request_connection()
        connection.rollback()
        dbapi_connection = connection.connection.dbapi_connection
        if connection.dialect.name == "postgresql":  # the server ends it, as on a restart or failover
            with db.engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dbapi_connection.info.backend_pid})
        else:
            dbapi_connection.close()
        with pytest.raises(DBAPIError):
            request_connection().execute(text("SELECT 1"))
        assert connection.invalidated  # not handed to the next request


def test_the_respondent_flow_commits_each_statement_on_postgresql_and_the_orm_keeps_its_transactions(app, make_round_team):
    round_team_id, old_code = (round_team := make_round_team()).id, round_team.code
    rename = text("UPDATE round_team SET code = :code WHERE id = :id")
    code_now = text("SELECT code FROM round_team WHERE id = :id")
    first, second = codes.new_team_code(), codes.new_team_code()
    with app.app_context():
        request_connection().execute(rename, {"code": first, "id": round_team_id})
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
