"""Rounds keep the instrument version they were created with: a round on version 1 still scores and
renders its mirror with version 1's items after version 2 became current (issue 17)."""
import random
from datetime import date, timedelta

from flask_babel import force_locale

from spiegel.instrument import load_instrument
from spiegel.org.models import Board, School, Team
from spiegel.reports.context import build_report
from spiegel.rounds.models import Round, RoundTeam
from spiegel.scoring import ResponseData, score_team
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, Response
from tests.reports.conftest import NOW

V1 = {"sustainability": 1, "policy": 1}


def _v1_round(versions):
    rng = random.Random(5)
    school = School(board=Board(name="Board"), name="School Versies")
    team = Team(school=school, name="Team Een")
    round_ = Round(school=school, name="Afname op versie 1", modules=list(versions), instrument_versions=versions,
                   innovation_name="Co-teaching", innovation_description="", opens_at=NOW - timedelta(days=40),
                   closes_at=NOW - timedelta(days=10), default_language="nl")
    round_team = RoundTeam(round=round_, team=team, code="VERS1")
    db.session.add(round_)
    db.session.commit()
    given = []
    for serial, role in enumerate(["teacher"] * 5 + ["leader"] * 3):
        response = Response(round_team=round_team, role=role, language="nl", phase="IMP",
                            token_hash=f"v{serial:063d}", resume_hash=f"w{serial:063d}", submitted_on=date(2026, 1, 5))
        answers = {}
        for module in round_.instrument_modules():
            for item in module.items():
                if item.asked_of(role):
                    answers[item.id] = rng.randint(1, 5)
                    response.answers.append(Answer(item_id=item.id, value=answers[item.id]))
        given.append(ResponseData(role, answers, "IMP"))
        db.session.add(response)
    db.session.commit()
    return round_team, given


def test_version_2_is_current_and_version_1_still_loads():
    instrument = load_instrument()
    assert {m.id: m.version for m in instrument.current()}["sustainability"] == 2
    assert {m.id: m.version for m in instrument.current()}["policy"] == 2
    v1 = instrument.module("sustainability", 1)
    assert "R3.1" in {item.id for item in v1.items()}
    assert "R3.1" not in {item.id for item in instrument.module("sustainability").items()}


def test_a_version_1_round_renders_its_mirror_with_version_1(app):
    round_team, given = _v1_round(V1)
    modules = round_team.round.instrument_modules()
    assert [m.version for m in modules] == [1, 1]
    with force_locale("nl"):
        report = build_report(round_team.id, "nl")
    assert not report.suppressed
    assert [version for _, version in report.method.modules] == [1, 1]
    items = {item.id: item for group in report.items for _, _, shown in group.elements for item in shown}
    v1_items = {item.id: item for module in modules for item in module.items()}
    assert set(items) == set(v1_items)
    assert items["R3.1"].text == v1_items["R3.1"].text["nl"]
    assert "R3.5" not in items
    # The scores are those of version 1's items, exactly as scoring them directly gives.
    expected = score_team(modules, given).profile
    shown = {view.id: view.score.mean for view in report.overview}
    assert shown == {group_id: expected.groups[group_id].score.mean for group_id in shown}
    pillar_items = {item.id for item in report.items[-1].elements[0][2]}
    assert pillar_items == {"BV1.1", "BV1.2"}
