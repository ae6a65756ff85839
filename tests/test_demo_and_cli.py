from sqlalchemy import func, select

from spiegel.org.models import Board, School
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, Response


def test_demo_loads_schools_rounds_and_varied_answers(runner, app):
    result = runner.invoke(args=["spiegel", "demo"])
    assert result.exit_code == 0, result.output
    schools = db.session.scalars(select(School)).all()
    assert len(schools) >= 2
    now = utcnow()
    open_rounds = [r for r in db.session.scalars(select(Round)) if r.status(now) == "open"]
    assert open_rounds
    sizes = {}
    for round_ in open_rounds:
        for rt in round_.round_teams:
            sizes[rt.id] = db.session.scalar(select(func.count()).select_from(Response).where(
                Response.round_team_id == rt.id, Response.submitted_on.is_not(None)))
    biggest_school = max(schools, key=lambda s: len(s.teams))
    assert len(biggest_school.teams) >= 5
    below = [n for n in sizes.values() if n < app.config["MIN_GROUP_SIZE"]]
    assert len(below) == 1 and len(sizes) - len(below) > len(sizes) / 2
    # Every open team's code is printed.
    for code in db.session.scalars(select(RoundTeam.code).join(Round).where(Round.id.in_([r.id for r in open_rounds]))):
        assert code in result.output
    # Teams differ: mean answer per team is not the same everywhere.
    means = db.session.execute(select(Response.round_team_id, func.avg(Answer.value)).join(Answer)
                               .group_by(Response.round_team_id)).all()
    values = sorted(round(m, 2) for _, m in means)
    assert values[-1] - values[0] > 0.3


def test_demo_is_not_loaded_twice(runner, app):
    runner.invoke(args=["spiegel", "demo"])
    again = runner.invoke(args=["spiegel", "demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output
    twice = runner.invoke(args=["spiegel", "demo"])
    assert "already loaded" in twice.output
    assert db.session.scalar(select(func.count()).select_from(Board)) == 1


def test_minimum_group_size_cannot_go_below_three():
    from spiegel import create_app

    app = create_app({"MIN_GROUP_SIZE": 1, "DATABASE_URL": "sqlite://"})
    assert app.config["MIN_GROUP_SIZE"] == 3


def test_environment_overrides_defaults(monkeypatch):
    from spiegel import create_app

    monkeypatch.setenv("SPIEGEL_MIN_GROUP_SIZE", "5")
    monkeypatch.setenv("SPIEGEL_DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    app = create_app()
    assert app.config["MIN_GROUP_SIZE"] == 5
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/elsewhere.db"


def test_demo_accounts_can_log_in_with_their_scope(runner, app, client):
    from spiegel.accounts.access import viewable_team_ids
    from spiegel.accounts.models import User
    from spiegel.demo import DEMO_PASSWORD

    result = runner.invoke(args=["spiegel", "demo"])
    assert "leider@demo.spiegel.test" in result.output and DEMO_PASSWORD in result.output
    leader = db.session.scalar(select(User).where(User.email == "leider@demo.spiegel.test"))
    school = db.session.scalar(select(School).where(School.name == "Atheneum Zuiderpark"))
    assert viewable_team_ids(leader) == {t.id for t in school.teams}
    facilitator = db.session.scalar(select(User).where(User.email == "begeleider@demo.spiegel.test"))
    assert len(viewable_team_ids(facilitator)) == 1
