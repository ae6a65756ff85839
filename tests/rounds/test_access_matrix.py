"""Every staff view × every role × own/other school: the status code, and that no other school's names
or team codes appear in what the view returns. Out-of-scope ids answer 404 (not 403), so a URL never
reveals whether another school's round or team exists."""
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from spiegel.org.models import School, Team
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db
from spiegel.survey.models import Response
from tests.conftest import fresh
from tests.rounds.conftest import OTHER_ROUND, OTHER_SCHOOL, OTHER_TEAMS, post

ROLES = ["anonymous", "admin", "leader", "school_coach", "team_coach", "facilitator", "board"]

# (url, kind): "manage" = administrators and the school's leaders; "view" = those plus the school's
# coaches; "team" = those plus the coaches and facilitators of the team ({rtid}, team Alfa); "admin" =
# administrators only; "staff" = every account; "org" = administrators and leaders;
# "board" = administrators and the board's staff (the board role sees nothing of a school but its results
# there).
SCOPED = [
    ("/org/schools/{sid}", "manage"),
    ("/org/teams/{tid}", "manage"),
    ("/org/schools/{sid}/delete", "admin"),
    ("/schools/{sid}/rounds/new", "manage"),
    ("/rounds/{rid}", "manage"),
    ("/rounds/{rid}/edit", "manage"),
    ("/rounds/{rid}/delete", "manage"),
    ("/rounds/{rid}/posters", "manage"),
    ("/rounds/{rid}/posters/{rtid}", "manage"),
    ("/rounds/{rid}/live", "view"),
    ("/rounds/{rid}/live.json", "view"),
    ("/rounds/{rid}/teams/{rtid}/study-day", "team"),
    ("/rounds/{rid}/teams/{rtid}/study-day.json", "team"),
    ("/rounds/{rid}/compare", "view"),
    ("/rounds/{rid}/compare?view=elements", "view"),
    ("/rounds/{rid}/compare?view=pillars", "view"),
    ("/schools/{sid}", "view"),
    ("/boards/{board}/results", "board"),
    ("/boards/{board}/results?view=pillars", "board"),
    ("/schools/{sid}/trend", "view"),
    ("/schools/{sid}/trend?team={tid}", "view"),
    ("/rounds/{rid}/export.csv", "view"),
    ("/rounds/{rid}/export.xlsx", "view"),
]
UNSCOPED = [
    ("/dashboard", "staff"),
    ("/instrument.json", "staff"),
    ("/org/", "org"),
    ("/org/boards/{bid}", "admin"),
]


def expected(role, kind, scope):
    if role == "anonymous":
        return 302
    if role == "admin" or kind == "staff":
        return 200
    if scope == "other" or kind == "admin":
        return 404
    if kind == "board" or role == "board":
        return 200 if kind == "board" and role == "board" else 404
    if kind == "team":
        return 200
    if kind in ("manage", "org"):
        return 200 if role == "leader" else 404
    return 200 if role in ("leader", "school_coach") else 404


def ids(world, scope):
    school = world.own if scope == "own" else world.other
    round_ = world.own_round if scope == "own" else world.other_round
    return {"sid": school.id, "rid": round_.id, "rtid": round_.round_teams[0].id,
            "tid": round_.round_teams[0].team_id, "bid": world.board.id,
            "board": world.board.id if scope == "own" else world.other_board.id}


def body_text(response) -> str:
    if response.mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(response.data))
        return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    return response.get_data(as_text=True)


def leaks(world, text) -> list[str]:
    secrets = [OTHER_SCHOOL, OTHER_ROUND, *OTHER_TEAMS, *(rt.code for rt in world.other_round.round_teams)]
    found = [s for s in secrets if s in text]
    # Numbers: the other school's "Geheimteam Zuid" answered 1 everywhere, so its scores read 1.0; the
    # own school's shown teams answered 2 and 4 (reverse-keyed items included), never all 1.
    if re.search(r"(?<![\d.,])1[.,]0(?![\d.,])", text):
        found.append("a score of 1.00")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_view_for_every_role_and_scope(role, world, client, login):
    if role != "anonymous":
        login(client, world.users[role])
    problems = []
    cases = [(url, kind, scope) for url, kind in SCOPED for scope in ("own", "other")]
    cases += [(url, kind, "own") for url, kind in UNSCOPED]
    for url, kind, scope in cases:
        path = url.format(**ids(world, scope))
        response = client.get(path)
        want = expected(role, kind, scope)
        if response.status_code != want:
            problems.append(f"{path}: {response.status_code}, expected {want}")
            continue
        if want == 302:
            assert "/login" in response.headers["Location"]
        found = leaks(world, body_text(response)) if want == 200 and role != "admin" else []
        if kind == "board":  # the other school is on the same board: its name and round may show, no more
            found = [f for f in found if f not in (OTHER_SCHOOL, OTHER_ROUND)]
        if found:
            problems.append(f"{path}: shows {found}")
    assert not problems, "\n".join(problems)


_DAY = date.today().isoformat()
_LATER = (date.today() + timedelta(days=9)).isoformat()
_ROUND = {"name": "Indringer", "innovation_name": "x", "opens_on": _DAY, "closes_on": _LATER,
          "default_language": "nl", "modules": "policy", "teams": "{tid}", "sprint_count": "3", "sprint_weeks": "6"}
# (url, form, kind) with kind as above: "manage" or "admin".
POSTS = [
    ("/rounds/{rid}/close", {}, "manage"),
    ("/rounds/{rid}/open", {}, "manage"),
    ("/rounds/{rid}/reopen", {"closes_on": _LATER}, "manage"),
    ("/rounds/{rid}/delete", {"confirm": "{round_name}"}, "manage"),
    ("/rounds/{rid}/edit", _ROUND, "manage"),
    ("/schools/{sid}/rounds/new", _ROUND, "manage"),
    ("/org/schools/{sid}", {"action": "add-teams", "teams-names": "Indringers"}, "manage"),
    ("/org/teams/{tid}", {"action": "rename", "rename-name": "Overgenomen"}, "manage"),
    ("/org/teams/{tid}", {"action": "archive"}, "manage"),
    ("/org/schools/{sid}", {"action": "rename", "rename-name": "Overgenomen"}, "admin"),
    ("/org/schools/{sid}", {"action": "archive"}, "admin"),
    ("/org/schools/{sid}/delete", {"confirm": "{school_name}"}, "admin"),
    ("/org/boards/{bid}", {"action": "rename", "rename-name": "Overgenomen"}, "admin"),
    ("/org/boards/{bid}", {"action": "add-school", "school-name": "Indringers"}, "admin"),
    ("/org/boards", {"board-name": "Indringers"}, "admin"),
]


def snapshot():
    fresh()
    return (
        db.session.execute(select(Round.id, Round.name, Round.opens_at, Round.closes_at).order_by(Round.id)).all(),
        db.session.execute(select(School.id, School.name, School.archived).order_by(School.id)).all(),
        db.session.execute(select(Team.id, Team.name, Team.archived).order_by(Team.id)).all(),
        db.session.scalar(select(func.count()).select_from(RoundTeam)),
        db.session.scalar(select(func.count()).select_from(Response)),
    )


@pytest.mark.parametrize("role", ["leader", "school_coach", "team_coach", "facilitator", "board"])
def test_changes_out_of_scope_answer_404_and_change_nothing(role, world, client, login):
    login(client, world.users[role])
    before = snapshot()
    problems = []
    for scope in ("own", "other"):
        values = ids(world, scope)
        school = world.own if scope == "own" else world.other
        round_ = world.own_round if scope == "own" else world.other_round
        names = {"round_name": round_.name, "school_name": school.name, **values}
        for url, data, kind in POSTS:
            if role == "leader" and scope == "own" and kind == "manage":
                continue  # allowed; the lifecycle and organisation tests cover these
            response = post(client, url.format(**values), {k: v.format(**names) for k, v in data.items()})
            if response.status_code != 404:
                problems.append(f"{scope} {url} {data.get('action', '')}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert snapshot() == before


def test_trend_of_another_schools_team_is_404(world, client, login):
    login(client, world.users["leader"])
    other_team = world.other_teams[0].id
    assert client.get(f"/schools/{world.own.id}/trend?team={other_team}").status_code == 404


def test_poster_of_another_rounds_team_is_404(world, client, login):
    login(client, world.users["leader"])
    other_rt = world.other_round.round_teams[0].id
    assert client.get(f"/rounds/{world.own_round.id}/posters/{other_rt}").status_code == 404
    assert client.get("/rounds/999999/compare").status_code == 404


def test_the_leak_check_notices_the_other_schools_names_and_numbers(world, client, login):
    """The oracle of the matrix works: the other school's comparison (seen by an administrator)
    is full of what the scoped users must never see."""
    login(client, world.users["admin"])
    found = leaks(world, body_text(client.get(f"/rounds/{world.other_round.id}/compare")))
    assert OTHER_SCHOOL in found and OTHER_TEAMS[0] in found and "a score of 1.00" in found
