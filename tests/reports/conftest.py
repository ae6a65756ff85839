"""A school with a previous and a current round: team A (12 respondents, teachers and leaders, a
previous round, open answers), team B (5 teachers only, no previous round) and team C (2 respondents:
below the minimum group size)."""
import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from spiegel.instrument import load_instrument
from spiegel.org.models import Board, School, Team
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, OpenAnswer, Response

NOW = datetime(2026, 3, 2, 9, 0)
SCRIPT = "<script>alert('x')</script> & meer tijd"
_serial = itertools.count()


@dataclass
class MirrorData:
    school: School
    previous: Round
    current: Round
    a: RoundTeam
    b: RoundTeam
    c: RoundTeam
    a_before: RoundTeam


def _round(school, name, opens_at, closes_at, teams, language="nl"):
    modules = load_instrument().current()
    round_ = Round(school=school, name=name, modules=[m.id for m in modules],
                   instrument_versions={m.id: m.version for m in modules}, innovation_name="Evalueren om te leren",
                   innovation_description="Formatief evalueren in alle vakken.", opens_at=opens_at,
                   closes_at=closes_at, default_language=language)
    result = {team.name: RoundTeam(round=round_, team=team, code=f"R{next(_serial):05d}") for team in teams}
    db.session.add(round_)
    return round_, result


def answer_team(round_team, roles, rng, level=3.0, phase="IMP", open_answers=()):
    modules = load_instrument().current()
    texts = list(open_answers)
    for index, role in enumerate(roles):
        serial = next(_serial)
        response = Response(round_team=round_team, role=role, language="nl", phase=phase,
                            token_hash=f"t{serial:063d}", resume_hash=f"r{serial:063d}", submitted_on=date(2026, 3, 2))
        lift = 1.2 if role == "leader" else 0.0
        for module in modules:
            for item in module.items():
                if not item.asked_of(role):
                    continue
                if rng.random() < 0.05:
                    value = None
                else:
                    # Each element its own level, so bands, patterns and priorities vary.
                    shift = (sum(map(ord, item.element_id)) % 7 - 3) * 0.45
                    value = min(5, max(1, round(level + shift + lift + rng.gauss(0, 0.7))))
                    if item.reverse:
                        value = 6 - value
                response.answers.append(Answer(item_id=item.id, value=value))
        if index < len(texts):
            response.open_answers.append(OpenAnswer(question_id="sustainability.open1", text=texts[index]))
        db.session.add(response)


@pytest.fixture
def mirror_data(app):
    rng = random.Random(11)
    school = School(board=Board(name="Board"), name="Atheneum Noord")
    a, b, c = Team(school=school, name="Team Alfa"), Team(school=school, name="Team Beta"), \
        Team(school=school, name="Team Gamma")
    previous, before = _round(school, "Afname 2025", NOW - timedelta(days=400), NOW - timedelta(days=370), [a])
    current, now = _round(school, "Afname 2026", NOW - timedelta(days=1), NOW + timedelta(days=30), [a, b, c])
    db.session.commit()
    answer_team(before["Team Alfa"], ["teacher"] * 6 + ["leader"] * 3, rng, level=2.6)
    answer_team(now["Team Alfa"], ["teacher"] * 8 + ["leader"] * 4, rng, level=3.1, phase="BOR",
                open_answers=["Zo blijft het niet duren.", SCRIPT, "Alles goed, maar te weinig tijd."])
    answer_team(now["Team Beta"], ["teacher"] * 5, rng, level=3.4, phase="INI",
                open_answers=["Een enkel antwoord."])
    answer_team(now["Team Gamma"], ["teacher"] * 2, rng, level=3.0)
    db.session.commit()
    return MirrorData(school, previous, current, now["Team Alfa"], now["Team Beta"], now["Team Gamma"],
                      before["Team Alfa"])
