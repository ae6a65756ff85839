"""Fixtures for the plan tests: a round-team with scored answers, and a logged-in facilitator."""
import itertools
from datetime import date, timedelta

import pytest

from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, Response

_serial = itertools.count()

# Levels per element for a team with clear priorities: I3 and S1 are bottlenecks, P2 needs attention,
# R3 strong ties are weak (R3b low) in a team that says it is embedding (BOR).
LOW = {"I3": 1, "S1": 2, "P2": 3}


def level(item) -> int:
    if item.element_id in LOW:
        value = LOW[item.element_id]
    elif item.element_id == "R3":
        value = 2 if item.facet == "b" else 4
    else:
        value = 4
    return 6 - value if item.reverse else value


@pytest.fixture
def answer_team():
    """answer_team(round_team, n=4, value=level, phase="BOR", role="teacher"): n submitted responses that
    answer every item asked of the role."""

    def answer(round_team, n=4, value=level, phase="BOR", role="teacher"):
        modules = round_team.round.instrument_modules()
        for _ in range(n):
            serial = next(_serial)
            response = Response(round_team=round_team, role=role, language="nl", phase=phase,
                                token_hash=f"p{serial:063d}", resume_hash=f"q{serial:063d}",
                                submitted_on=date.today())
            response.answers = [Answer(item_id=item.id, value=value(item)) for module in modules
                                for item in module.items() if item.asked_of(role)]
            db.session.add(response)
        db.session.commit()
        return round_team

    return answer


@pytest.fixture
def scored_team(make_round_team, answer_team):
    """A closed round-team with four answers (shown profile, clear priorities)."""
    return answer_team(make_round_team(status="closed"))


@pytest.fixture
def facilitator(make_user, login, client):
    """facilitator(round_team, language="en") → a user with the facilitator role for the team, logged in on
    ``client``, who chose the language (the plan pages otherwise follow the round's language, nl here)."""

    def make(round_team, language="en"):
        user = make_user("facilitator", team=round_team.team)
        login(client, user)
        client.get(f"/lang/{language}")
        return user

    return make


def monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())
