"""Boards → schools → teams in the browser: create, rename, archive; deleting a school for good."""
from sqlalchemy import func, select

from spiegel.accounts.models import Membership
from spiegel.org.models import Board, School, Team
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, OpenAnswer, Response
from tests.conftest import fresh
from tests.rounds.conftest import add_responses, post


def test_admin_creates_board_school_and_teams(world, client, login):
    login(client, world.users["admin"])
    client.get("/lang/en")
    created = post(client, "/org/boards", {"board-name": "  Scholengroep   Noorderlicht "}, page="/org/")
    assert created.status_code == 302
    fresh()
    board = db.session.scalar(select(Board).where(Board.name == "Scholengroep Noorderlicht"))
    assert board is not None
    school = post(client, f"/org/boards/{board.id}", {"action": "add-school", "school-name": "De Meander"})
    assert school.status_code == 302
    fresh()
    school = db.session.scalar(select(School).where(School.name == "De Meander"))
    assert school.board_id == board.id
    teams = post(client, f"/org/schools/{school.id}", {"action": "add-teams",
                                                       "teams-names": "Kleuters\n\n  Lager 1  \nZorg\n"})
    assert teams.status_code == 302
    fresh()
    assert sorted(db.session.scalars(select(Team.name).where(Team.school_id == school.id))) == \
        ["Kleuters", "Lager 1", "Zorg"]
    page = client.get(f"/org/schools/{school.id}")
    assert all(name in page.text for name in ("Kleuters", "Lager 1", "Zorg", "Scholengroep Noorderlicht"))


def test_names_are_validated(world, client, login):
    login(client, world.users["admin"])
    client.get("/lang/en")
    assert post(client, "/org/boards", {"board-name": "   "}, page="/org/").status_code == 400
    assert post(client, "/org/boards", {"board-name": "x" * 201}, page="/org/").status_code == 400
    school = world.own
    duplicate = post(client, f"/org/schools/{school.id}", {"action": "add-teams", "teams-names": "alfa"})
    assert duplicate.status_code == 400 and "already has a team called alfa" in duplicate.text
    twice = post(client, f"/org/schools/{school.id}", {"action": "add-teams", "teams-names": "Delta\ndelta"})
    assert twice.status_code == 400 and "appears twice" in twice.text
    rename = post(client, f"/org/teams/{world.own_teams[0].id}", {"action": "rename", "rename-name": "Beta"})
    assert rename.status_code == 400
    assert post(client, f"/org/schools/{school.id}", {"action": "explode"}).status_code == 400
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Team).where(Team.school_id == school.id)) == 3


def test_rename_and_archive(world, client, login):
    login(client, world.users["admin"])
    board, school, team = world.board, world.own, world.own_teams[0]
    assert post(client, f"/org/boards/{board.id}", {"action": "rename", "rename-name": "Nieuwe groep"}).status_code == 302
    assert post(client, f"/org/boards/{board.id}", {"action": "archive"}).status_code == 302
    assert post(client, f"/org/schools/{school.id}", {"action": "rename", "rename-name": "Noord College"}).status_code == 302
    assert post(client, f"/org/schools/{school.id}", {"action": "archive"}).status_code == 302
    assert post(client, f"/org/teams/{team.id}", {"action": "rename", "rename-name": "Alfa-team"}).status_code == 302
    assert post(client, f"/org/teams/{team.id}", {"action": "archive"}).status_code == 302
    fresh()
    assert (db.session.get(Board, board.id).name, db.session.get(Board, board.id).archived) == ("Nieuwe groep", True)
    assert (db.session.get(School, school.id).name, db.session.get(School, school.id).archived) == ("Noord College", True)
    assert (db.session.get(Team, team.id).name, db.session.get(Team, team.id).archived) == ("Alfa-team", True)
    assert post(client, f"/org/teams/{team.id}", {"action": "restore"}).status_code == 302
    fresh()
    assert db.session.get(Team, team.id).archived is False


def test_leader_manages_own_teams_only(world, client, login):
    login(client, world.users["leader"])
    assert client.get("/org/").status_code == 200
    assert "Noord Lyceum" in client.get("/org/").text
    added = post(client, f"/org/schools/{world.own.id}", {"action": "add-teams", "teams-names": "Delta"})
    assert added.status_code == 302
    renamed = post(client, f"/org/teams/{world.own_teams[1].id}", {"action": "rename", "rename-name": "Bèta"})
    assert renamed.status_code == 302
    archived = post(client, f"/org/teams/{world.own_teams[2].id}", {"action": "archive"})
    assert archived.status_code == 302
    fresh()
    assert db.session.get(Team, world.own_teams[1].id).name == "Bèta"
    assert db.session.get(Team, world.own_teams[2].id).archived
    page = client.get(f"/org/schools/{world.own.id}")
    assert "Rename the school" not in page.text and "Delete school" not in page.text


def counts():
    fresh()
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (School, Team, Round, RoundTeam, Response, Answer, OpenAnswer, Membership)}


def test_deleting_a_school_deletes_everything_in_it_after_confirmation(world, client, login):
    add_responses(world.rt(world.own_round, "Alfa"), 1, open_text="Meer tijd samen")
    add_responses(world.rt(world.other_round, "Geheimteam Zuid"), 1, open_text="Andere school")
    login(client, world.users["admin"])
    client.get("/lang/en")
    page = client.get(f"/org/schools/{world.own.id}/delete")
    assert "Noord Lyceum" in page.text and "3 teams" in page.text and "1 round" in page.text
    assert "10 responses" in page.text
    before = counts()
    wrong = post(client, f"/org/schools/{world.own.id}/delete", {"confirm": "Noord"},
                 page=f"/org/schools/{world.own.id}/delete")
    assert wrong.status_code == 400 and "does not match" in wrong.text
    assert counts() == before

    own_id, own_round_id, other_id = world.own.id, world.own_round.id, world.other.id
    own_responses = [r.id for r in db.session.scalars(select(Response).join(RoundTeam).where(
        RoundTeam.round_id == world.own_round.id))]
    done = post(client, f"/org/schools/{world.own.id}/delete", {"confirm": " noord  lyceum "},
                page=f"/org/schools/{world.own.id}/delete")
    assert done.status_code == 302
    after = counts()
    fresh()
    assert db.session.get(School, own_id) is None
    assert db.session.scalar(select(func.count()).select_from(Team).where(Team.school_id == own_id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Round).where(Round.school_id == own_id)) == 0
    assert db.session.scalar(select(func.count()).select_from(RoundTeam).where(RoundTeam.round_id == own_round_id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.id.in_(own_responses))) == 0
    assert db.session.scalar(select(func.count()).select_from(Answer).where(Answer.response_id.in_(own_responses))) == 0
    assert db.session.scalar(select(func.count()).select_from(OpenAnswer)
                             .where(OpenAnswer.response_id.in_(own_responses))) == 0
    # The other school is untouched; memberships scoped to the deleted school or its teams are gone.
    assert after["Response"] == before["Response"] - 10 and after["School"] == before["School"] - 1
    assert after["OpenAnswer"] == before["OpenAnswer"] // 2 > 0  # one respondent of each school wrote some
    assert db.session.get(School, other_id).name == "Zuiderlicht College"
    assert after["Membership"] == before["Membership"] - 4  # leader, school coach, team coach, facilitator
