"""Rounds from the leader's side: create (with validation), change, open, close, reopen — and what a
respondent with the team code meets in each state (not yet open, open, closed, reopened)."""
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from spiegel.instrument import load_instrument
from spiegel.rounds import services
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey import codes
from tests.conftest import fresh
from tests.rounds.conftest import add_responses, make_round, post

TODAY = date.today()


def round_form(world, **overrides):
    data = {"name": "Afname voorjaar", "innovation_name": "Formatief evalueren",
            "innovation_description": "Feedback die leerlingen verder helpt.",
            "opens_on": TODAY.isoformat(), "closes_on": (TODAY + timedelta(days=14)).isoformat(),
            "default_language": "fr", "modules": ["sustainability", "policy"],
            "teams": [str(t.id) for t in world.own_teams[:2]], "sprint_count": "4", "sprint_weeks": "5"}
    data.update(overrides)
    return data


def rounds_count():
    fresh()
    return db.session.scalar(select(func.count()).select_from(Round))


@pytest.fixture
def leader(world, client, login):
    login(client, world.users["leader"])
    client.get("/lang/en")
    return client


def test_leader_creates_a_round_with_a_code_per_team(world, leader):
    response = post(leader, f"/schools/{world.own.id}/rounds/new", round_form(world),
                    page=f"/schools/{world.own.id}/rounds/new")
    assert response.status_code == 302, response.text
    fresh()
    round_ = db.session.scalar(select(Round).where(Round.name == "Afname voorjaar"))
    current = {m.id: m.version for m in load_instrument().current()}
    assert round_.modules == ["sustainability", "policy"] and round_.instrument_versions == current
    assert round_.default_language == "fr" and (round_.sprint_count, round_.sprint_weeks) == (4, 5)
    assert round_.innovation_description == "Feedback die leerlingen verder helpt."
    assert round_.status(utcnow()) == "open"
    assert round_.opens_at <= utcnow() < round_.closes_at
    assert (round_.closes_at - round_.opens_at) > timedelta(days=14)  # to the end of the closing day
    team_codes = [rt.code for rt in round_.round_teams]
    assert sorted(rt.team.name for rt in round_.round_teams) == ["Alfa", "Beta"]
    assert all(codes.normalize_team_code(c) == c for c in team_codes) and len(set(team_codes)) == 2
    assert response.headers["Location"].endswith(f"/rounds/{round_.id}")
    page = leader.get(f"/rounds/{round_.id}")
    assert all(code in page.text for code in team_codes)
    assert f"http://localhost/t/{team_codes[0]}" in page.text  # absolute join link


@pytest.mark.parametrize("overrides, message", [
    ({"closes_on": (TODAY - timedelta(days=1)).isoformat()}, "cannot close before it opens"),
    ({"opens_on": (TODAY - timedelta(days=20)).isoformat(), "closes_on": (TODAY - timedelta(days=2)).isoformat()},
     "closing date has already passed"),
    ({"teams": []}, "Choose at least one team"),
    ({"modules": []}, "Choose at least one module"),
    ({"modules": ["sustainability", "astrology"]}, "not a valid choice"),
    ({"teams": ["999999"]}, "not a valid choice"),
    ({"teams": ["abc"]}, "Invalid choice"),
    ({"sprint_count": "0"}, "Please type a number"),
    ({"sprint_count": "9"}, "between 1 and 6"),
    ({"sprint_weeks": "52"}, "between 2 and 12"),
    ({"name": ""}, "Please type a name"),
    ({"innovation_name": ""}, "name the innovation"),
    ({"opens_on": "31-02-2026"}, "Please choose a date"),
    ({"default_language": "de"}, "Not a valid choice"),
])
def test_invalid_rounds_are_refused_with_a_message_and_nothing_saved(world, leader, overrides, message):
    before = rounds_count()
    response = post(leader, f"/schools/{world.own.id}/rounds/new", round_form(world, **overrides),
                    page=f"/schools/{world.own.id}/rounds/new")
    assert response.status_code == 400
    assert message.lower() in response.text.replace("&#39;", "'").lower()
    assert rounds_count() == before


def test_another_schools_team_cannot_join_a_round(world, leader):
    before = rounds_count()
    data = round_form(world, teams=[str(world.own_teams[0].id), str(world.other_teams[0].id)])
    response = post(leader, f"/schools/{world.own.id}/rounds/new", data, page=f"/schools/{world.own.id}/rounds/new")
    assert response.status_code == 400
    assert rounds_count() == before


def test_validation_messages_in_dutch_and_french(world, leader):
    for lang, phrase in (("nl", "minstens één team"), ("fr", "au moins une équipe")):
        leader.get(f"/lang/{lang}")
        response = post(leader, f"/schools/{world.own.id}/rounds/new", round_form(world, teams=[]),
                        page=f"/schools/{world.own.id}/rounds/new")
        assert response.status_code == 400 and phrase in response.text, lang


def test_archived_teams_are_not_offered(world, leader):
    world.own_teams[2].archived = True
    db.session.commit()
    page = leader.get(f"/schools/{world.own.id}/rounds/new")
    assert "Alfa" in page.text and "Gamma" not in page.text
    before = rounds_count()
    data = round_form(world, teams=[str(world.own_teams[2].id)])
    assert post(leader, f"/schools/{world.own.id}/rounds/new", data).status_code == 400
    assert rounds_count() == before


def test_a_code_collision_draws_again(world, monkeypatch):
    taken = world.own_round.round_teams[0].code
    drawn = iter([taken, taken, "ABCDEFG", "HJKMNPQ"])
    monkeypatch.setattr(codes, "new_team_code", lambda: next(drawn))
    data = services.RoundData("R", "I", "", utcnow(), utcnow() + timedelta(days=3), "nl", ["policy"],
                              [t.id for t in world.own_teams[:2]])
    round_ = services.create_round(world.own, data)
    assert sorted(rt.code for rt in round_.round_teams) == ["ABCDEFG", "HJKMNPQ"]


def test_a_collision_at_commit_retries_the_whole_round(world, monkeypatch):
    """Two workers drawing the same code at once: the unique constraint refuses one, which retries."""
    taken = world.other_round.round_teams[0].code
    real = services._fresh_code
    calls = {"n": 0}

    def racing(batch):
        calls["n"] += 1
        return taken if calls["n"] == 1 else real(batch)  # the first draw "wins the race" elsewhere

    monkeypatch.setattr(services, "_fresh_code", racing)
    data = services.RoundData("R", "I", "", utcnow(), utcnow() + timedelta(days=3), "nl", ["policy"],
                              [world.own_teams[0].id])
    round_ = services.create_round(world.own, data)
    fresh()
    assert db.session.get(Round, round_.id).round_teams[0].code != taken
    assert db.session.scalar(select(func.count()).select_from(RoundTeam).where(RoundTeam.code == taken)) == 1


def status_of(client, code):
    response = client.get(f"/t/{code}")
    return response.status_code, response.text


def test_respondent_meets_not_yet_open_open_closed_and_reopened(world, leader, web):
    round_ = make_round(world.own, [world.own_teams[0]], name="Later", opens=3, closes=20, language="en")
    code = round_.round_teams[0].code
    respondent = web.test_client()
    respondent.get("/lang/en")
    status, text = status_of(respondent, code)
    assert status == 403 and "has not opened yet" in text

    assert post(leader, f"/rounds/{round_.id}/open", page=f"/rounds/{round_.id}").status_code == 302
    status, text = status_of(respondent, code)
    assert status == 200
    fresh()
    assert db.session.get(Round, round_.id).status(utcnow()) == "open"

    assert post(leader, f"/rounds/{round_.id}/close", page=f"/rounds/{round_.id}").status_code == 302
    status, text = status_of(respondent, code)
    assert status == 403 and "closed" in text
    fresh()
    closed = db.session.get(Round, round_.id)
    assert closed.closes_at <= utcnow() and closed.status(utcnow()) == "closed"

    past = post(leader, f"/rounds/{round_.id}/reopen", {"closes_on": (TODAY - timedelta(days=1)).isoformat()},
                page=f"/rounds/{round_.id}")
    assert past.status_code == 400 and "from today on" in past.text
    again = post(leader, f"/rounds/{round_.id}/reopen", {"closes_on": (TODAY + timedelta(days=7)).isoformat()},
                 page=f"/rounds/{round_.id}")
    assert again.status_code == 302
    status, text = status_of(respondent, code)
    assert status == 200
    fresh()
    reopened = db.session.get(Round, round_.id)
    assert reopened.round_teams[0].code == code  # the posters stay valid
    assert reopened.closes_at.date() >= TODAY + timedelta(days=6)

    # Reopening a round that is open is refused, without a server error.
    assert post(leader, f"/rounds/{round_.id}/reopen", {"closes_on": (TODAY + timedelta(days=9)).isoformat()},
                page=f"/rounds/{round_.id}").status_code == 400


def test_closing_a_round_that_has_not_opened_closes_it(world, leader):
    round_ = make_round(world.own, [world.own_teams[0]], name="Later", opens=3, closes=20)
    assert post(leader, f"/rounds/{round_.id}/close").status_code == 302
    fresh()
    assert db.session.get(Round, round_.id).status(utcnow()) == "closed"
    # Opening a closed round "now" is not possible: it needs a new closing date (reopen).
    assert post(leader, f"/rounds/{round_.id}/open").status_code == 302
    fresh()
    assert db.session.get(Round, round_.id).status(utcnow()) == "closed"


def test_service_rules_for_the_window():
    now = datetime(2026, 5, 1, 12)
    round_ = Round(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=5))
    with pytest.raises(services.RoundError):
        services.reopen(round_, now + timedelta(days=9), now=now)  # not closed
    with pytest.raises(services.RoundError):
        services._check_window(now, now)


def test_edit_keeps_answered_teams_and_modules(world, leader):
    round_ = world.own_round
    base = round_form(world, name="Afname 2026 (bijgewerkt)", teams=[str(t.id) for t in world.own_teams],
                      modules=["sustainability", "policy"], opens_on=(TODAY - timedelta(days=1)).isoformat())
    # Alfa has answers: it cannot leave.
    without_alfa = dict(base, teams=[str(t.id) for t in world.own_teams[1:]])
    response = post(leader, f"/rounds/{round_.id}/edit", without_alfa, page=f"/rounds/{round_.id}/edit")
    assert response.status_code == 400 and "already answered cannot leave" in response.text
    fewer_modules = dict(base, modules=["policy"])
    response = post(leader, f"/rounds/{round_.id}/edit", fewer_modules, page=f"/rounds/{round_.id}/edit")
    assert response.status_code == 400 and "modules cannot change" in response.text
    fresh()
    assert db.session.get(Round, round_.id).name == "Afname 2026"  # nothing half-saved

    response = post(leader, f"/rounds/{round_.id}/edit", base, page=f"/rounds/{round_.id}/edit")
    assert response.status_code == 302
    fresh()
    edited = db.session.get(Round, round_.id)
    assert edited.name == "Afname 2026 (bijgewerkt)" and edited.default_language == "fr"


def test_edit_adds_and_removes_unanswered_teams(world, leader):
    round_ = make_round(world.own, [world.own_teams[0], world.own_teams[1]], name="Klein")
    add_responses(round_.round_teams[0], 1)
    old_codes = {rt.team_id: rt.code for rt in round_.round_teams}
    data = round_form(world, name="Klein", opens_on=(TODAY - timedelta(days=1)).isoformat(),
                      teams=[str(world.own_teams[0].id), str(world.own_teams[2].id)])
    assert post(leader, f"/rounds/{round_.id}/edit", data, page=f"/rounds/{round_.id}/edit").status_code == 302
    fresh()
    edited = db.session.get(Round, round_.id)
    now = {rt.team_id: rt.code for rt in edited.round_teams}
    assert set(now) == {world.own_teams[0].id, world.own_teams[2].id}
    assert now[world.own_teams[0].id] == old_codes[world.own_teams[0].id]


def test_edit_form_shows_the_round(world, leader):
    page = leader.get(f"/rounds/{world.own_round.id}/edit")
    assert page.status_code == 200 and 'value="Afname 2026"' in page.text
    assert 'value="Samen evalueren"' in page.text


def test_the_learning_school_is_offered_but_not_chosen_by_default(world, leader):
    page = leader.get(f"/schools/{world.own.id}/rounds/new").text
    def checked(value):
        return re.search(rf'<input[^>]*checked[^>]*value="{value}"|<input[^>]*value="{value}"[^>]*checked',
                                          page)
    assert "The learning school (optional, 14 statements)" in page
    assert checked("sustainability") and checked("policy") and not checked("learning_school")
    response = post(leader, f"/schools/{world.own.id}/rounds/new",
                    round_form(world, modules=["sustainability", "policy", "learning_school"]),
                    page=f"/schools/{world.own.id}/rounds/new")
    assert response.status_code == 302, response.text
    fresh()
    round_ = db.session.scalar(select(Round).where(Round.name == "Afname voorjaar"))
    assert round_.modules == ["sustainability", "policy", "learning_school"]
    assert round_.instrument_versions["learning_school"] == 1
    assert [m.id for m in round_.instrument_modules()][-1] == "learning_school"
