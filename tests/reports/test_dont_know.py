"""A high "don't know" share on an element is a finding in the mirror: a conversation point (issue 17)."""
from datetime import date, timedelta

from flask_babel import force_locale

from spiegel.instrument import load_instrument
from spiegel.org.models import Board, School, Team
from spiegel.reports.context import build_report
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, Response
from tests.reports.conftest import NOW


def _team(unknown):
    """Four teachers answer 3 everywhere; ``unknown`` maps an element id to how many of them answer
    "don't know" on all its items instead."""
    modules = load_instrument().current()
    school = School(board=Board(name="Board"), name="School Weet Niet")
    team = Team(school=school, name="Team Twijfel")
    round_ = Round(school=school, name="Afname", modules=[m.id for m in modules],
                   instrument_versions={m.id: m.version for m in modules}, innovation_name="Leesplan",
                   innovation_description="", opens_at=NOW - timedelta(days=40), closes_at=NOW - timedelta(days=10),
                   default_language="nl")
    round_team = RoundTeam(round=round_, team=team, code="WEETN")
    db.session.add(round_)
    db.session.commit()
    for serial in range(4):
        response = Response(round_team=round_team, role="teacher", language="nl", phase="IMP",
                            token_hash=f"d{serial:063d}", resume_hash=f"e{serial:063d}", submitted_on=date(2026, 1, 5))
        for module in modules:
            for item in module.items():
                if item.asked_of("teacher"):
                    value = None if serial < unknown.get(item.element_id, 0) else 3
                    response.answers.append(Answer(item_id=item.id, value=value))
        db.session.add(response)
    db.session.commit()
    with force_locale("nl"):
        return build_report(round_team.id, "nl")


def test_a_high_dont_know_share_is_a_conversation_point(app):
    report = _team({"R10": 2, "P1": 1})
    unknown = [p for p in report.prompts if "weet" in p.text.lower() or "don't know" in p.text]
    assert [p.source for p in unknown] == ["Kort- en langdurende partnerschappen"]
    assert "50" in unknown[0].text


def test_a_share_just_under_the_threshold_is_no_finding(app):
    # One of four on two items: 25 %, under 30 %.
    report = _team({"P1": 1})
    assert not [p for p in report.prompts if p.source == "Diepgaand begrip van de vernieuwing"]
