"""No staff page sends more SQL statements when the installation grows: every page is measured on the
test world, then again after more schools with teams, rounds and answers (on another board), more teams
in the measured round and school, and more schools in a coach's scope, and must send exactly as many
statements (it may page, never loop per row).

One page scores one round per thing it shows, through the results service, and so grows with its own
content only: the trend with the school's rounds (it does not grow here, where the installation grows
around it). The view across schools reads every round it shows in a fixed number of statements, and
must not grow when its board gets another school."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from spiegel.accounts.models import Membership
from spiegel.org.models import Board, School, Team
from spiegel.rounds.models import RoundTeam
from spiegel.shared.extensions import db
from spiegel.survey import codes
from tests.rounds.conftest import add_responses, make_round, staff

# (role, url): every staff page, as the role that sees most of it.
PAGES = [
    ("admin", "/dashboard"),
    ("admin", "/dashboard?q=noord"),
    ("coach", "/dashboard"),
    ("leader", "/dashboard"),
    ("facilitator", "/dashboard"),
    ("board", "/dashboard"),
    ("admin", "/schools/{sid}"),
    ("coach", "/schools/{sid}"),
    ("admin", "/org/"),
    ("leader", "/org/"),
    ("admin", "/org/boards/{bid}"),
    ("admin", "/org/schools/{sid}"),
    ("admin", "/org/teams/{tid}"),
    ("admin", "/org/schools/{sid}/delete"),
    ("admin", "/schools/{sid}/rounds/new"),
    ("admin", "/rounds/{rid}"),
    ("admin", "/rounds/{rid}/edit"),
    ("admin", "/rounds/{rid}/delete"),
    ("admin", "/rounds/{rid}/close"),
    ("admin", "/rounds/{rid}/posters"),
    ("admin", "/rounds/{rid}/posters/{rtid}"),
    ("admin", "/rounds/{rid}/live"),
    ("coach", "/rounds/{rid}/live"),
    ("admin", "/rounds/{rid}/live.json"),
    ("facilitator", "/rounds/{rid}/teams/{rtid}/study-day"),
    ("facilitator", "/rounds/{rid}/teams/{rtid}/study-day.json"),
    ("admin", "/rounds/{rid}/compare"),
    ("admin", "/rounds/{rid}/compare?view=elements"),
    ("admin", "/rounds/{rid}/compare?view=pillars"),
    ("admin", "/schools/{sid}/trend"),
    ("admin", "/schools/{sid}/trend?team={tid}"),
    ("admin", "/rounds/{rid}/export.csv"),
    ("admin", "/rounds/{rid}/export.xlsx"),
    ("admin", "/mirror/{rtid}"),
    ("facilitator", "/mirror/{rtid}"),
    ("admin", "/mirror/round/{rid}"),
    ("facilitator", "/plan/{rtid}"),
    ("admin", "/boards/{bid}/results"),
    ("board", "/boards/{bid}/results"),
    ("board", "/boards/{bid}/results?view=pillars"),
    ("admin", "/admin/users"),
    ("admin", "/instrument.json"),
]


@contextmanager
def counting():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def measure(clients, values) -> dict[str, int]:
    counts = {}
    for role, url in PAGES:
        path = url.format(**values)
        assert clients[role].get(path).status_code == 200, (role, path)  # warm: caches, lazy imports
        with counting() as statements:
            response = clients[role].get(path)
        assert response.status_code == 200, (role, path)
        counts[f"{role} {url}"] = len(statements)
    return counts


def grow(world, coach, tag: str) -> None:
    """Three more schools with teams, rounds and answers (two on another board, one on the measured
    board, so that the view across its schools shows one more); three more teams in the measured round
    and school; the coach given the new schools."""
    board = Board(name=f"Groei {tag}")
    schools = [School(board=board if i else world.board, name=f"Groeischool {tag}{i}") for i in range(3)]
    db.session.add_all([board, *schools])
    db.session.commit()
    for school in schools:
        teams = [Team(school=school, name=f"Groeiteam {tag}{i}") for i in range(3)]
        for round_ in (make_round(school, teams, name="Vroeger", opens=-90, closes=-60),
                       make_round(school, teams, name="Nu")):
            for round_team in round_.round_teams:
                add_responses(round_team, 3, value=3)
        coach.memberships.append(Membership(role="coach", school_id=school.id))
    extra = [Team(school=world.own, name=f"Extra {tag}{i}") for i in range(3)]
    db.session.add_all(extra)
    for team in extra:
        world.own_round.round_teams.append(RoundTeam(team=team, code=codes.new_team_code()))
    db.session.commit()
    for round_team in world.own_round.round_teams[-3:]:
        add_responses(round_team, 3, value=3)


@pytest.fixture
def clients(world, web, login):
    coach = staff("coach", school=world.own)
    coach.memberships.append(Membership(role="coach", school_id=world.other.id))
    db.session.commit()
    world.users["coach"] = coach
    result = {}
    for role in ("admin", "leader", "facilitator", "board", "coach"):
        result[role] = web.test_client()
        login(result[role], world.users[role])
    return result


def test_no_staff_page_sends_more_statements_when_the_installation_grows(world, clients):
    own_rt = world.rt(world.own_round, "Alfa")
    values = {"sid": world.own.id, "bid": world.board.id, "tid": own_rt.team_id, "rid": world.own_round.id,
              "rtid": own_rt.id}
    # Grown once first, so that both sizes hold every kind of row (a school with an earlier round on
    # the measured board, say): a page may skip a query for nothing, never send one per row.
    grow(world, world.users["coach"], "a")
    before = measure(clients, values)
    grow(world, world.users["coach"], "b")
    after = measure(clients, values)
    grown = {page: f"{before[page]} → {after[page]}" for page in before if after[page] != before[page]}
    assert not grown, f"statements per request grew with the installation: {grown}"


def test_the_counter_sees_per_row_queries(world, clients):
    """The oracle works: a page that lazy-loads each team's name is caught."""
    from spiegel.rounds.models import Round

    round_id, teams = world.own_round.id, len(world.own_round.round_teams)

    def names():
        round_ = db.session.get(Round, round_id)
        return [rt.team.name for rt in round_.round_teams]

    db.session.expunge_all()
    with counting() as statements:
        names()
    assert len(statements) == 2 + teams
