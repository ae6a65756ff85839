"""Two schools of one board, each with teams, a round and submitted answers; staff of every role.

"Noord" is the school the scoped users belong to ("own"); "Zuiderlicht" is the other school, with
names and codes that must never show up on the scoped users' pages."""
import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from spiegel.instrument import load_instrument
from spiegel.org.models import Board, School, Team
from spiegel.results.profiles import release_early
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey import codes
from spiegel.survey.models import Answer, OpenAnswer, Response
from tests.conftest import PASSWORD
from tests.survey_helpers import csrf_token

_serial = itertools.count(1)


def add_responses(round_team, count, value=4, role="teacher", submitted=True, phase="IMP", values=None,
                  open_text=None):
    """``count`` responses answering every item of the round (that the role is asked) with ``value``
    (or values[item_id]), optionally an open answer per module. Answers go in as one bulk insert."""
    modules = round_team.round.instrument_modules()
    items = [item.id for module in modules for item in module.items() if item.asked_of(role)]
    questions = [m.open_questions[0].id for m in modules if open_text and m.open_questions]
    responses = []
    for _ in range(count):
        serial = next(_serial)
        responses.append(Response(round_team=round_team, role=role, language="nl", phase=phase,
                                  token_hash=f"t{serial:063d}", resume_hash=f"r{serial:063d}",
                                  submitted_on=date.today() if submitted else None))
    db.session.add_all(responses)
    db.session.flush()
    answers = [{"response_id": r.id, "item_id": item, "value": (values or {}).get(item, value)}
               for r in responses for item in items]
    db.session.execute(insert(Answer), answers)
    if questions:
        db.session.execute(insert(OpenAnswer), [{"response_id": r.id, "question_id": q, "text": open_text}
                                                for r in responses for q in questions])
    db.session.commit()


def release(*rounds):
    """Release every team's results now, as a facilitator or leader may before the round closes."""
    for round_ in rounds:
        for round_team in round_.round_teams:
            release_early(round_team)


def make_round(school, teams, name="Afname 2026", opens=-1, closes=30, language="nl", modules=None):
    now = utcnow().replace(microsecond=0)
    current = [m for m in load_instrument().current() if modules is None or m.id in modules]
    round_ = Round(school=school, name=name, modules=[m.id for m in current],
                   instrument_versions={m.id: m.version for m in current}, innovation_name="Samen evalueren",
                   opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes),
                   default_language=language)
    for team in teams:
        round_.round_teams.append(RoundTeam(team=team, code=codes.new_team_code()))
    db.session.add(round_)
    db.session.commit()
    return round_


@dataclass
class World:
    board: Board  # holds both schools
    own: School
    other: School
    own_teams: list
    other_teams: list
    own_round: Round
    other_round: Round
    users: dict
    other_board: Board | None = None  # a board without the users' schools

    def rt(self, round_, name):
        return next(rt for rt in round_.round_teams if rt.team.name == name)


OTHER_SCHOOL = "Zuiderlicht College"
OTHER_TEAMS = ["Geheimteam Zuid", "Verborgen Vakgroep"]
OTHER_ROUND = "Zuidronde Geheim"


_HASH: list[str] = []


def staff(role, school=None, team=None, board=None):
    """An account with the test password; the password hash is computed once (scrypt is slow)."""
    from werkzeug.security import generate_password_hash

    from spiegel.accounts.models import Membership, User

    if not _HASH:
        _HASH.append(generate_password_hash(PASSWORD))
    user = User(email=f"{role}{next(_serial)}@example.org", password_hash=_HASH[0],
                memberships=[Membership(role=role, school_id=getattr(school, "id", None),
                                        team_id=getattr(team, "id", None), board_id=getattr(board, "id", None))])
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def world(app):
    board = Board(name="Scholengroep Test")
    own = School(board=board, name="Noord Lyceum")
    other = School(board=board, name=OTHER_SCHOOL)
    own_teams = [Team(school=own, name=n) for n in ("Alfa", "Beta", "Gamma")]
    other_teams = [Team(school=other, name=n) for n in OTHER_TEAMS]
    other_board = School(board=Board(name="Andere Scholengroep"), name="Elders Atheneum").board
    db.session.add_all([board, other_board])
    db.session.commit()
    own_round = make_round(own, own_teams)
    other_round = make_round(other, other_teams, name=OTHER_ROUND)
    world = World(board, own, other, own_teams, other_teams, own_round, other_round, {}, other_board)
    add_responses(world.rt(own_round, "Alfa"), 4, value=4)
    add_responses(world.rt(own_round, "Beta"), 3, value=2)
    add_responses(world.rt(own_round, "Gamma"), 2, value=5)  # below the minimum
    add_responses(world.rt(other_round, "Geheimteam Zuid"), 5, value=1)
    add_responses(world.rt(other_round, "Verborgen Vakgroep"), 4, value=3)
    release(own_round, other_round)  # the rounds are open: their facilitators released the results
    world.users = {
        "admin": staff("admin"),
        "leader": staff("school_leader", school=own),
        "school_coach": staff("coach", school=own),
        "team_coach": staff("coach", team=own_teams[0]),
        "facilitator": staff("facilitator", team=own_teams[0]),
        "board": staff("board", board=board),
    }
    return world


def token(client, path="/dashboard"):
    """A CSRF token of the client's session (every staff page has one in its log-out form)."""
    return csrf_token(client.get(path).text)


def post(client, url, data=None, page="/dashboard"):
    return client.post(url, data={"csrf_token": token(client, page), **(data or {})})
