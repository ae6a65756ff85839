"""Fixtures for the security tests: web apps with chosen settings on the test database, and a small
world of teams with respondents to attack."""
from dataclasses import dataclass

import pytest

from spiegel import create_app
from spiegel.shared.extensions import db
from tests.conftest import dispose_engines
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
            dispose_engines()


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


# -- the staff side: two schools, staff of every role, plans and report jobs ------------------------


@dataclass
class StaffWorld:
    """School "Noord" (own: the scoped users belong to it) and "Zuiderlicht" (other: its ids must
    answer 404/403 to Noord's staff and its names never appear on their pages)."""

    ids: dict            # {"own": {...}, "other": {...}}: ids per URL placeholder
    users: dict          # role → User
    clients: dict        # role → logged-in test client (on fuzz_web)
    tokens: dict         # role → CSRF token of that client's session
    secrets: list        # the other school's names and team codes
    action_ids: list     # library actions
    element_ids: list    # focus choices of the own round
    web: object

    def client(self, role):
        return self.clients[role]


@pytest.fixture
def staff_world(app, fuzz_web, login, monkeypatch):
    from spiegel import jobs as runner
    from spiegel.org.models import Board, School, Team
    from spiegel.plans import services as plans
    from spiegel.plans.library import load_library
    from spiegel.reports.tasks import KIND
    from tests.rounds.conftest import add_responses, make_round, release, staff
    from tests.survey_helpers import csrf_token

    board = Board(name="Scholengroep Test")
    own, other = School(board=board, name="Noord Lyceum"), School(board=board, name="Zuiderlicht College")
    alfa, beta = Team(school=own, name="Alfa"), Team(school=own, name="Beta")
    zuid = Team(school=other, name="Geheimteam Zuid")
    db.session.add(board)
    db.session.commit()
    own_round = make_round(own, [alfa, beta], name="Afname 2026")
    other_round = make_round(other, [zuid], name="Zuidronde Geheim")
    own_rt = next(rt for rt in own_round.round_teams if rt.team is alfa)
    other_rt = other_round.round_teams[0]
    add_responses(own_rt, 3, value=4, open_text="Meer tijd samen")
    add_responses(next(rt for rt in own_round.round_teams if rt.team is beta), 2, value=2)
    add_responses(other_rt, 3, value=1, open_text="Geheim antwoord Zuid")
    release(own_round, other_round)
    actions = {}
    for round_team in (own_rt, other_rt):
        plan = plans.create_plan(round_team, generate=False, language="nl")
        plans.add_action(plan.sprints[0], action_id=None, own_text="Samen lessen voorbereiden", owner="team")
        plans.add_action(plan.sprints[0], action_id=None, own_text="Lesbezoek bij elkaar", owner="team")
        actions[round_team.id] = plan.sprints[0].actions[0].id
    users = {
        "admin": staff("admin"),
        "leader": staff("school_leader", school=own),
        "coach": staff("coach", school=own),
        "facilitator": staff("facilitator", team=alfa),
        "other_leader": staff("school_leader", school=other),
        "victim": staff("coach", team=beta),  # an account the administrator's forms may change
    }
    own_job = runner.submit(KIND, user_id=users["leader"].id, start_now=False, round_id=own_round.id,
                            round_team_ids=[rt.id for rt in own_round.round_teams], lang=None)
    other_job = runner.submit(KIND, user_id=users["other_leader"].id, start_now=False, round_id=other_round.id,
                              round_team_ids=[other_rt.id], lang=None)
    ids = {
        "own": {"bid": board.id, "sid": own.id, "tid": alfa.id, "rid": own_round.id, "rtid": own_rt.id,
                "paid": actions[own_rt.id], "n": 1, "jid": own_job.id, "uid": users["victim"].id},
        "other": {"bid": board.id, "sid": other.id, "tid": zuid.id, "rid": other_round.id, "rtid": other_rt.id,
                  "paid": actions[other_rt.id], "n": 1, "jid": other_job.id, "uid": users["victim"].id},
    }
    clients, tokens = {"anonymous": fuzz_web.test_client()}, {}
    tokens["anonymous"] = csrf_token(clients["anonymous"].get("/login").text)
    for role in ("admin", "leader", "coach", "facilitator"):
        clients[role] = fuzz_web.test_client()
        login(clients[role], users[role])
        tokens[role] = csrf_token(clients[role].get("/dashboard").text)
    secrets = ["Zuiderlicht", "Geheimteam Zuid", "Zuidronde Geheim", "Geheim antwoord", other_rt.code]
    element_ids = [e.id for e in plans.focus_choices(own_round)]
    return StaffWorld(ids, users, clients, tokens, secrets, [a.id for a in load_library()][:6], element_ids,
                      fuzz_web)
