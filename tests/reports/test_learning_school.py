"""The optional module "De lerende school" (LS1-LS7, issue 17): a round that chooses it scores and shows
the seven lines like the pillars (mirror web and PDF, comparison, exports); a round without it, on
version 1 or 2, renders exactly as it did before the module existed."""
import random
import shutil
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import delete

from spiegel.instrument import load_instrument
from spiegel.instrument.loader import DATA_DIR
from spiegel.org.models import Board, School, Team
from spiegel.reports import services
from spiegel.reports.context import build_report
from spiegel.rounds import models as round_models
from spiegel.rounds.comparison import heatmap
from spiegel.rounds.exports import aggregate_rows
from spiegel.rounds.models import Round, RoundTeam, ScoredRound
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, Response
from tests.reports.conftest import NOW

ALL = {"sustainability": 2, "policy": 2, "learning_school": 1}


def _round(versions, name="Afname lerende school"):
    rng = random.Random(7)
    school = School(board=Board(name="Board"), name="School " + name)
    team = Team(school=school, name="Team Een")
    round_ = Round(school=school, name=name, modules=list(versions), instrument_versions=versions,
                   innovation_name="Co-teaching", innovation_description="", opens_at=NOW - timedelta(days=40),
                   closes_at=NOW - timedelta(days=10), default_language="nl")
    round_team = RoundTeam(round=round_, team=team, code="LS" + str(abs(hash(name)) % 10000))
    db.session.add(round_)
    db.session.commit()
    for serial, role in enumerate(["teacher"] * 6 + ["leader"] * 3):
        response = Response(round_team=round_team, role=role, language="nl", phase="IMP",
                            token_hash=f"{name[:3]}{serial:061d}", resume_hash=f"x{name[:3]}{serial:060d}",
                            submitted_on=date(2026, 1, 5))
        for module in round_.instrument_modules():
            for item in module.items():
                if item.asked_of(role):
                    response.answers.append(Answer(item_id=item.id, value=rng.randint(1, 5)))
        db.session.add(response)
    db.session.commit()
    return round_team


def test_the_module_is_optional_short_and_cited():
    instrument = load_instrument()
    module = instrument.module("learning_school")
    assert module.optional and not any(m.optional for m in instrument.current())
    assert [m.id for m in instrument.current(optional=True)] == ["sustainability", "policy", "learning_school"]
    assert [e.id for e in module.elements()] == [f"LS{i}" for i in range(1, 8)]
    assert len(list(module.items())) == 14
    assert all(item.source.startswith("001:") for item in module.items())
    # All three modules together: 94 statements for a leader, within the loader's limit.
    assert sum(len(list(m.items())) for m in instrument.current(optional=True)) == 94


def test_a_round_with_the_learning_school_shows_it_like_the_pillars(app):
    round_team = _round(ALL)
    with force_locale("en"):
        report = build_report(round_team.id, "en")
        html = services.render_report_html(report)
    assert [s.id for s in report.sections][-2:] == ["BV", "LS"]
    assert "Seven lines of the learning school" in report.overview_chart  # one row at a glance, like BV
    section = next(s for s in report.sections if s.id == "LS")
    assert section.kind == "pillars" and len(section.elements) == 7
    for element in load_instrument().module("learning_school").elements():
        assert element.name["en"] in html, element.id
    assert "Seven lines of the learning school" in html
    assert "Smits &amp; Larock (2021)" in html or "Smits & Larock (2021)" in html  # the method names the source of the seven lines
    table = heatmap(round_team.round, "pillars")
    assert [c.label for c in table.columns][-7:] == [f"LS{i}" for i in range(1, 8)]
    assert table.rows[0].cells[-1].score.shown
    with force_locale("en"):
        rows = aggregate_rows(round_team.round)
    assert {f"LS{i}" for i in range(1, 8)} <= {cell for row in rows for cell in row}


def _no_learning_school(tmp_path):
    for path in DATA_DIR.glob("*.yaml"):
        if path.name != "learning_school.yaml":
            shutil.copy(path, tmp_path / path.name)
    return load_instrument(tmp_path)


@pytest.mark.parametrize("versions", [{"sustainability": 1, "policy": 1}, {"sustainability": 2, "policy": 2}])
def test_rounds_without_the_module_render_as_before_it_existed(app, tmp_path, monkeypatch, versions):
    round_team = _round(versions, name=f"Zonder v{versions['policy']}")
    with force_locale("nl"):
        now = services.render_report_html(build_report(round_team.id, "nl"))
    assert "LS1" not in now and "lerende school" not in now.lower() and "Smits" not in now
    before = _no_learning_school(tmp_path)
    monkeypatch.setattr(round_models, "load_instrument", lambda: before)
    db.session.execute(delete(ScoredRound))  # score again, with the instrument as it was
    db.session.commit()
    with force_locale("nl"):
        then = services.render_report_html(build_report(round_team.id, "nl"))
    assert now == then
