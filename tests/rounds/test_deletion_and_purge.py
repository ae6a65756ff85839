"""Deleting a round after a confirmation that names what goes; purging old rounds' raw responses."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from spiegel.org.models import Team
from spiegel.rounds.models import Round, RoundTeam
from spiegel.rounds.services import months_before, purge_expired
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, OpenAnswer, Response
from tests.conftest import fresh
from tests.rounds.conftest import add_responses, make_round, post


def count(model, *where):
    fresh()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def responses_of(round_id):
    return select(Response.id).join(RoundTeam, Response.round_team_id == RoundTeam.id).where(
        RoundTeam.round_id == round_id)


def test_deleting_a_round_names_what_goes_and_removes_it_for_good(world, client, login):
    add_responses(world.rt(world.own_round, "Alfa"), 1, open_text="Graag meer overleg", submitted=False)
    round_id = world.own_round.id
    login(client, world.users["leader"])
    client.get("/lang/en")
    page = client.get(f"/rounds/{round_id}/delete")
    assert "Afname 2026" in page.text and "10 responses" in page.text and "3 teams" in page.text
    other_answers = count(Answer, Answer.response_id.in_(responses_of(world.other_round.id)))

    refused = post(client, f"/rounds/{round_id}/delete", {"confirm": "Afname"}, page=f"/rounds/{round_id}/delete")
    assert refused.status_code == 400
    assert count(Round, Round.id == round_id) == 1

    done = post(client, f"/rounds/{round_id}/delete", {"confirm": "afname 2026"}, page=f"/rounds/{round_id}/delete")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/org/schools/{world.own.id}")
    assert count(Round, Round.id == round_id) == 0
    assert count(RoundTeam, RoundTeam.round_id == round_id) == 0
    assert count(Response) == 9  # only the other school's
    assert count(Answer, Answer.response_id.not_in(responses_of(world.other_round.id))) == 0
    assert count(OpenAnswer) == 0
    assert count(Answer) == other_answers
    assert count(Team, Team.school_id == world.own.id) == 3  # the teams stay


def test_months_before():
    assert months_before(datetime(2026, 3, 31, 8), 1) == datetime(2026, 2, 28, 8)
    assert months_before(datetime(2024, 3, 31), 1) == datetime(2024, 2, 29)
    assert months_before(datetime(2026, 1, 15), 24) == datetime(2024, 1, 15)
    assert months_before(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


@pytest.fixture
def aged(world):
    """Rounds of the own school closed 30 and 10 months ago, with answers and open answers."""
    teams = world.own_teams
    old = make_round(world.own, teams[:1], name="Afname 2023", opens=-31 * 30, closes=-30 * 31)
    recent = make_round(world.own, teams[:1], name="Afname 2025", opens=-11 * 31, closes=-10 * 31)
    add_responses(old.round_teams[0], 3, open_text="Oud antwoord")
    add_responses(recent.round_teams[0], 4, open_text="Recent antwoord")
    return old.id, recent.id


def test_purge_command_dry_run_then_real(aged, runner, world):
    old, recent = aged
    before = {m: count(m) for m in (Response, Answer, OpenAnswer)}
    dry = runner.invoke(args=["spiegel", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would delete 3 responses of round 'Afname 2023'" in dry.output
    assert "Afname 2025" not in dry.output
    assert {m: count(m) for m in before} == before

    real = runner.invoke(args=["spiegel", "purge"])
    assert real.exit_code == 0, real.output
    assert "Deleted 3 responses" in real.output
    assert count(Response, Response.id.in_(responses_of(old))) == 0
    assert count(Answer, Answer.response_id.in_(responses_of(old))) == 0
    assert count(Response, Response.id.in_(responses_of(recent))) == 4
    assert count(OpenAnswer) == before[OpenAnswer] - 3 * 2  # one per module and respondent
    assert count(Round, Round.id == old) == 1 and count(RoundTeam, RoundTeam.round_id == old) == 1  # round stays
    assert count(Response, Response.id.in_(responses_of(world.own_round.id))) == 9  # open round untouched

    again = runner.invoke(args=["spiegel", "purge"])
    assert "Nothing to purge" in again.output

    shorter = runner.invoke(args=["spiegel", "purge", "--months", "6"])
    assert "Deleted 4 responses of round 'Afname 2025'" in shorter.output
    assert count(Response, Response.id.in_(responses_of(recent))) == 0


def test_retention_setting_is_used(aged, app, runner):
    app.config["RETENTION_MONTHS"] = 40
    assert "Nothing to purge" in runner.invoke(args=["spiegel", "purge"]).output
    app.config["RETENTION_MONTHS"] = 6
    assert "2 rounds" in runner.invoke(args=["spiegel", "purge", "--dry-run"]).output


def test_purge_refuses_a_retention_below_one_month(app):
    with pytest.raises(ValueError):
        purge_expired(0)
    assert purge_expired(1, now=datetime(2000, 1, 1)) == []
