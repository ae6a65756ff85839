"""The plan editor in the browser: access, creation, edits, validation messages, reviews, languages."""
import re
from datetime import date

import pytest

from spiegel.plans import services
from spiegel.plans.models import Plan, PlanAction, Sprint
from spiegel.shared.extensions import db
from tests.conftest import fresh
from tests.survey_helpers import csrf_token


def url(round_team, path=""):
    return f"/plan/{round_team.id}{path}"


def post(client, round_team, path, data, page=""):
    token = csrf_token(client.get(url(round_team, page)).text)
    return client.post(url(round_team, path), data={"csrf_token": token, **data})


def current_plan(round_team):
    fresh()
    return db.session.query(Plan).filter_by(round_team_id=round_team.id).one()


@pytest.fixture
def team(scored_team, facilitator, client):
    facilitator(scored_team)
    return scored_team


@pytest.fixture
def with_plan(team, client):
    response = post(client, team, "/create", {"mode": "proposal"})
    assert response.status_code == 302
    return team


def test_login_is_required(scored_team, client):
    response = client.get(url(scored_team))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_other_teams_plan_is_not_found(scored_team, make_round_team, facilitator, client):
    facilitator(make_round_team(team="Team B"))
    assert client.get(url(scored_team)).status_code == 404
    assert client.get("/plan/99999").status_code == 404


def test_create_from_the_proposal(team, client):
    page = client.get(url(team))
    assert page.status_code == 200 and "Make the proposal" in page.text
    assert post(client, team, "/create", {"mode": "proposal"}).status_code == 302
    plan = current_plan(team)
    assert plan.generated and plan.focus and len(plan.sprints) == 3
    shown = client.get(url(team))
    assert "Sprint 3" in shown.text and "Focus points" in shown.text
    assert 'style="' not in shown.text  # the CSP forbids inline styles


def test_a_double_submit_creates_one_plan(team, client):
    for _ in range(2):
        assert post(client, team, "/create", {"mode": "proposal"}).status_code == 302
    fresh()
    assert db.session.query(Plan).count() == 1


def test_bad_create_mode_is_400(team, client):
    assert post(client, team, "/create", {"mode": "magic"}).status_code == 400


def test_suppressed_team_starts_an_empty_plan(make_round_team, answer_team, facilitator, client):
    round_team = answer_team(make_round_team(status="closed"), n=2)
    facilitator(round_team)
    page = client.get(url(round_team))
    assert "Make the proposal" not in page.text and "Start with an empty plan" in page.text
    post(client, round_team, "/create", {"mode": "proposal"})  # not offered, and not honoured
    plan = current_plan(round_team)
    assert not plan.generated and all(not s.actions for s in plan.sprints)


def sprint_data(**changes):
    data = {"goal": "Every class tries it once", "starts_on": "2026-09-07", "ends_on": "2026-10-16",
            "indicator": "Pupils can say why", "cimo_context": "", "cimo_intervention": "", "cimo_mechanism": "",
            "cimo_outcome": ""}
    data.update(changes)
    return data


def test_edit_a_sprint(with_plan, client):
    response = post(client, with_plan, "/sprint/2", sprint_data(cimo_mechanism="Seeing results"), "/sprint/2")
    assert response.status_code == 302 and response.headers["Location"].endswith("#sprint-2")
    sprint = current_plan(with_plan).sprints[1]
    assert (sprint.goal, sprint.starts_on, sprint.ends_on) == ("Every class tries it once", date(2026, 9, 7),
                                                                date(2026, 10, 16))
    assert sprint.cimo_mechanism == "Seeing results"


@pytest.mark.parametrize("changes, message", [
    ({"ends_on": "2026-09-01"}, "The end date cannot be before the start date."),
    ({"goal": "   "}, "Please write a goal for this sprint."),
    ({"goal": "x" * 301}, "Please keep this to at most 300 characters."),
    ({"indicator": "x" * 501}, "Please keep this to at most 500 characters."),
    ({"cimo_outcome": "x" * 1001}, "Please keep this to at most 1000 characters."),
    ({"starts_on": "1999-01-04"}, "Choose a date between"),
    ({"ends_on": "2090-01-04"}, "Choose a date between"),
    ({"starts_on": "7 september"}, "Please enter a valid date."),
    ({"starts_on": ""}, "Please enter a date."),
    ({"starts_on": "2026-01-05", "ends_on": "2027-03-05"}, "A sprint can last at most a year."),
])
def test_sprint_validation_saves_nothing(with_plan, client, changes, message):
    before = current_plan(with_plan).sprints[0]
    snapshot = (before.goal, before.starts_on, before.ends_on, before.indicator)
    response = post(client, with_plan, "/sprint/1", sprint_data(**changes), "/sprint/1")
    assert response.status_code == 400
    assert message in response.text
    after = current_plan(with_plan).sprints[0]
    assert (after.goal, after.starts_on, after.ends_on, after.indicator) == snapshot


def test_unknown_sprint_is_404(with_plan, client):
    assert client.get(url(with_plan, "/sprint/9")).status_code == 404
    assert client.get(url(with_plan, "/sprint/9/review")).status_code == 404


def test_add_library_and_own_actions(with_plan, client):
    page = client.get(url(with_plan, "/sprint/1/add"))
    assert page.status_code == 200 and 'name="action_id"' in page.text
    browse = client.get(url(with_plan, "/sprint/1/add?element=L6"))
    assert "l6-leadership-network" in browse.text
    before = len(current_plan(with_plan).sprints[0].actions)
    assert post(client, with_plan, "/sprint/1/add", {"action_id": "l6-leadership-network", "owner": "Director"},
                "/sprint/1/add").status_code == 302
    post(client, with_plan, "/sprint/1/add", {"action_id": "l6-leadership-network", "owner": "Director"},
         "/sprint/1/add")  # double submit
    post(client, with_plan, "/sprint/1/add", {"own_text": "Film one lesson each", "owner": ""}, "/sprint/1/add")
    actions = current_plan(with_plan).sprints[0].actions
    assert len(actions) == before + 2
    assert (actions[-2].action_id, actions[-2].owner) == ("l6-leadership-network", "Director")
    assert (actions[-1].action_id, actions[-1].own_text) == (None, "Film one lesson each")


@pytest.mark.parametrize("data, message", [
    ({"action_id": "made-up-action"}, "This action is not in the library."),
    ({}, "Choose an action from the library or write your own."),
    ({"action_id": "l6-leadership-network", "own_text": "Also this"}, "not both"),
    ({"own_text": "x" * 301}, "Please keep this to at most 300 characters."),
    ({"own_text": "Fine", "owner": "x" * 101}, "Please keep this to at most 100 characters."),
])
def test_add_action_validation(with_plan, client, data, message):
    before = len(current_plan(with_plan).sprints[0].actions)
    response = post(client, with_plan, "/sprint/1/add", data, "/sprint/1/add")
    assert response.status_code == 400 and message in response.text
    assert len(current_plan(with_plan).sprints[0].actions) == before


def test_reorder_and_remove(with_plan, client):
    first, second = current_plan(with_plan).sprints[0].actions[:2]
    first_id = first.id
    page = client.get(url(with_plan))
    assert f'action="/plan/{with_plan.id}/action/{second.id}/move"' in page.text
    for _ in range(2):  # a double click moves once
        response = post(client, with_plan, f"/action/{second.id}/move", {"direction": "up", "position": "2"})
        assert response.status_code == 302
    ids = [a.id for a in current_plan(with_plan).sprints[0].actions]
    assert ids[:2] == [second.id, first.id]
    assert post(client, with_plan, f"/action/{second.id}/move",
                {"direction": "sideways", "position": "1"}).status_code == 400
    assert post(client, with_plan, f"/action/{first.id}/remove", {}).status_code == 302
    again = post(client, with_plan, f"/action/{first.id}/remove", {})  # a second click
    assert again.status_code == 302
    fresh()
    assert db.session.get(PlanAction, first_id) is None


def test_edit_an_action_and_move_it_to_another_sprint(with_plan, client):
    moving = current_plan(with_plan).sprints[0].actions[0]
    page = client.get(url(with_plan, f"/action/{moving.id}"))
    assert page.status_code == 200
    response = post(client, with_plan, f"/action/{moving.id}", {"owner": "Fatima", "sprint": "3"},
                    f"/action/{moving.id}")
    assert response.status_code == 302
    fresh()
    moved = db.session.get(PlanAction, moving.id)
    assert moved.owner == "Fatima" and moved.sprint.number == 3
    bad = post(client, with_plan, f"/action/{moving.id}", {"owner": "", "sprint": "7"}, f"/action/{moving.id}")
    assert bad.status_code == 400 and "Choose one of the sprints of this plan." in bad.text
    junk = post(client, with_plan, f"/action/{moving.id}", {"owner": "", "sprint": "two"}, f"/action/{moving.id}")
    assert junk.status_code == 400 and "Choose one of the sprints of this plan." in junk.text


def test_other_teams_action_ids_are_404(with_plan, client, make_round_team, answer_team):
    other = answer_team(make_round_team(status="closed", team="Team B", school=with_plan.team.school))
    other_plan = services.create_plan(other, generate=True, language="en")
    foreign = other_plan.sprints[0].actions[0]
    for path in (f"/action/{foreign.id}", f"/action/{foreign.id}/move", f"/action/{foreign.id}/remove"):
        response = post(client, with_plan, path, {"direction": "up", "position": "1", "owner": "x", "sprint": "1"})
        assert response.status_code == 404, path
    fresh()
    assert db.session.get(PlanAction, foreign.id) is not None


def test_review_with_decision(with_plan, client):
    page = client.get(url(with_plan, "/sprint/1/review"))
    assert "Deepen (verdieping)" in page.text and "Broaden (verbreding)" in page.text
    response = post(client, with_plan, "/sprint/1/review",
                    {"happened": "Three lessons filmed", "learned": "Pupils notice", "decision": "broaden"},
                    "/sprint/1/review")
    assert response.status_code == 302
    sprint = current_plan(with_plan).sprints[0]
    assert (sprint.review_happened, sprint.decision) == ("Three lessons filmed", "broaden")
    shown = client.get(url(with_plan))
    assert "Broaden (verbreding)" in shown.text and "Three lessons filmed" in shown.text


def test_review_validation(with_plan, client):
    response = post(client, with_plan, "/sprint/1/review", {"happened": "x", "decision": "forever"},
                    "/sprint/1/review")
    assert response.status_code == 400 and "Choose one of the decisions." in response.text
    long = post(client, with_plan, "/sprint/1/review", {"learned": "x" * 2001}, "/sprint/1/review")
    assert long.status_code == 400
    fresh()
    assert current_plan(with_plan).sprints[0].review_happened == ""


def test_choose_focus_points(with_plan, client):
    response = post(client, with_plan, "/focus", {"elements": ["L6", "BV3"]}, "/focus")
    assert response.status_code == 302 and current_plan(with_plan).focus == ["L6", "BV3"]
    too_many = post(client, with_plan, "/focus", {"elements": ["I1", "I2", "I3", "P1"]}, "/focus")
    assert too_many.status_code == 400 and "Choose at most 3 focus points." in too_many.text
    outcome = post(client, with_plan, "/focus", {"elements": ["D1"]}, "/focus")
    assert outcome.status_code == 400
    assert current_plan(with_plan).focus == ["L6", "BV3"]


def test_discard_and_start_again(with_plan, client):
    assert post(client, with_plan, "/discard", {}, "/discard").status_code == 400
    assert post(client, with_plan, "/discard", {"confirm": "y"}, "/discard").status_code == 302
    fresh()
    assert db.session.query(Plan).count() == 0 and db.session.query(Sprint).count() == 0


def test_a_missing_csrf_token_changes_nothing(with_plan, client):
    response = client.post(url(with_plan, "/sprint/1/review"), data={"happened": "x"})
    assert response.status_code == 400
    assert current_plan(with_plan).sprints[0].review_happened == ""


@pytest.mark.parametrize("language, words", [("nl", "Verbeterplan"), ("en", "Improvement plan"),
                                             ("fr", "Plan d'amélioration")])
def test_every_page_renders_in_every_language(with_plan, client, language, words):
    client.get(f"/lang/{language}")
    plan = current_plan(with_plan)
    action = plan.sprints[0].actions[0]
    for path in ("", "/focus", "/sprint/1", "/sprint/1/review", "/sprint/1/add", "/sprint/1/add?element=R3",
                 f"/action/{action.id}", "/discard"):
        page = client.get(url(with_plan, path))
        assert page.status_code == 200, path
        assert f'lang="{language}"' in page.text
    assert words in client.get(url(with_plan)).text


def test_previous_round_plan_shows_on_the_next_plan_page(with_plan, client):
    from datetime import timedelta

    from spiegel.rounds.models import Round, RoundTeam

    old = with_plan.round
    round_ = Round(school=old.school, name="Next year", modules=old.modules,
                   instrument_versions=old.instrument_versions, innovation_name="x",
                   opens_at=old.closes_at + timedelta(days=100), closes_at=old.closes_at + timedelta(days=130))
    following = RoundTeam(round=round_, team=with_plan.team, code="NEXT01")
    db.session.add(following)
    db.session.commit()
    page = client.get(f"/plan/{following.id}")
    assert page.status_code == 200 and "Last round's plan" in page.text
    assert re.search(r"Sprint 1 · ", page.text)


def test_school_leaders_edit_and_other_schools_coaches_do_not(scored_team, make_user, login, client):
    leader = make_user("school_leader", school=scored_team.team.school)
    login(client, leader)
    assert post(client, scored_team, "/create", {"mode": "empty"}).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/dashboard").text)})
    from spiegel.org.models import Board, School

    elsewhere = School(board=Board(name="Other board"), name="Elsewhere")
    db.session.add(elsewhere)
    db.session.commit()
    login(client, make_user("coach", school=elsewhere))
    assert client.get(url(scored_team)).status_code == 404
    token = csrf_token(client.get("/dashboard").text)
    assert client.post(url(scored_team, "/sprint/1/review"), data={"csrf_token": token,
                                                                  "happened": "x"}).status_code == 404


def test_anonymous_changes_go_to_the_login_page(with_plan, web):
    stranger = web.test_client()
    response = stranger.post(url(with_plan, "/create"), data={"mode": "empty"})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]


def test_a_broken_library_stops_the_app(monkeypatch, database_url):
    from spiegel import create_app
    from spiegel.plans import views
    from spiegel.plans.library import LibraryError

    def broken():
        raise LibraryError("actions.yaml: x: broken")

    monkeypatch.setattr(views, "load_library", broken)
    with pytest.raises(LibraryError):
        create_app({"DATABASE_URL": database_url, "TESTING": True})
