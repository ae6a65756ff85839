"""Fixtures for the security tests: web apps with chosen settings on the test database, and a small
world of teams with respondents to attack."""
from dataclasses import dataclass

import pytest

from spiegel import create_app
from spiegel.extensions import db
from tests.survey_helpers import Respondent


@pytest.fixture
def make_web(database_url, app):
    """make_web(**config) → a separate app instance (a "web worker") on the test database."""
    made = []

    def make(**config):
        web = create_app({"DATABASE_URL": database_url, "TESTING": True, "SERVER_NAME": "localhost", **config})
        made.append(web)
        return web

    yield make
    for web in made:
        with web.app_context():
            db.engine.dispose()


@pytest.fixture
def fuzz_web(make_web):
    """Rate limits off, so that random input reaches the code behind them."""
    return make_web(RATE_LIMIT_ENABLED=False)


@dataclass
class World:
    team_a: object
    team_b: object
    closed: object
    person_a: Respondent  # started in team A, has a cookie
    person_b: Respondent  # started in team B
    resume_a: str
    resume_b: str


def started(client, round_team, role="teacher") -> tuple[Respondent, str]:
    person = Respondent(client, round_team, role=role)
    person.start()
    cookie = client.get_cookie(f"spiegel_{round_team.code}")
    return person, cookie.value.partition(".")[2]


@pytest.fixture
def world(make_round_team, fuzz_web):
    team_a = make_round_team(team="Team A")
    team_b = make_round_team(team="Team B")
    closed = make_round_team(status="closed", team="Team C")
    person_a, resume_a = started(fuzz_web.test_client(), team_a)
    person_b, resume_b = started(fuzz_web.test_client(), team_b, role="leader")
    return World(team_a, team_b, closed, person_a, person_b, resume_a, resume_b)
