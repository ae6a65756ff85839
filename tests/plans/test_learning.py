"""Issue 18: learning across teams — the school's (and board's) plans pooled by element, per team and never
per person; every plan for the school's leaders and coaches and its board, only shared plans (and their
own) for the facilitators of its teams; nothing for anyone else."""
import pytest

from spiegel.accounts.services import create_user
from spiegel.plans import services
from tests.conftest import PASSWORD, fresh
from tests.plans.test_views import current_plan, post, url


def _plan(round_team, intervention, value_example, shared=False, focus=("S1",)):
    plan = services.create_plan(round_team, generate=False, language="en")
    services.set_focus(plan, list(focus))
    sprint = plan.sprints[0]
    services.update_sprint(sprint, goal="More time to observe", starts_on=sprint.starts_on, ends_on=sprint.ends_on,
                           indicator="", cimo_context="Year 3", cimo_intervention=intervention,
                           cimo_mechanism="Seeing each other teach", cimo_outcome="")
    services.add_action(sprint, action_id=None, own_text="Swap two lessons a month", owner="Chris Janssen")
    services.save_review(sprint, happened="", learned="", decision="broaden", reason="Other teams asked",
                         value=[{"kind": "practice", "example": value_example}])
    services.set_shared(plan, shared)
    return plan


@pytest.fixture
def school(scored_team, make_round_team):
    """Team A shares its plan (S1), team B does not (S1 and I3), team C has none."""
    school = scored_team.round.school
    b = make_round_team(status="closed", team="Team B", school=school)
    c = make_round_team(status="closed", team="Team C", school=school)
    _plan(scored_team, "Co-teaching on Fridays", "We plan lessons together", shared=True)
    _plan(b, "A timetable hour for visits", "Visits every month", focus=("S1", "I3"))
    return school, scored_team, b, c


def _page(client, login, user, path, language="en"):
    login(client, user)
    client.get(f"/lang/{language}")
    return client.get(path)


@pytest.mark.parametrize("role", ["school_leader", "coach"])
def test_leaders_and_coaches_of_the_school_see_every_plan_by_element(school, make_user, login, client, role):
    school_, *_ = school
    page = _page(client, login, make_user(role, school=school_), f"/schools/{school_.id}/learning")
    assert page.status_code == 200
    assert "Co-teaching on Fridays" in page.text and "A timetable hour for visits" in page.text
    assert "We plan lessons together" in page.text and "Changed practice" in page.text
    assert "Broaden (verbreding)" in page.text and "Other teams asked" in page.text
    assert "Swap two lessons a month" in page.text and "Team B" in page.text
    assert "Chris Janssen" not in page.text  # per team, never per person: no owners


def test_filter_by_element(school, make_user, login, client):
    school_, *_ = school
    page = _page(client, login, make_user("school_leader", school=school_), f"/schools/{school_.id}/learning?element=I3")
    assert page.status_code == 200
    assert "A timetable hour for visits" in page.text and "Co-teaching on Fridays" not in page.text
    unknown = client.get(f"/schools/{school_.id}/learning?element=<b>Z9")
    assert unknown.status_code == 200 and "Co-teaching on Fridays" in unknown.text and "<b>Z9" not in unknown.text


def test_facilitators_see_only_shared_plans_and_their_own(school, make_user, login, client):
    school_, a, b, c = school
    page = _page(client, login, make_user("facilitator", team=c.team), f"/schools/{school_.id}/learning")
    assert page.status_code == 200
    assert "Co-teaching on Fridays" in page.text and "A timetable hour for visits" not in page.text
    fresh()
    services.set_shared(current_plan(a), False)
    assert "Co-teaching on Fridays" not in client.get(f"/schools/{school_.id}/learning").text


def test_team_b_facilitator_sees_its_own_unshared_plan(school, make_user, login, client):
    school_, a, b, c = school
    page = _page(client, login, make_user("facilitator", team=b.team), f"/schools/{school_.id}/learning")
    assert "A timetable hour for visits" in page.text and "Co-teaching on Fridays" in page.text


def test_nobody_else_sees_the_page(school, make_user, make_round_team, login, client):
    school_, *_ = school
    assert client.get(f"/schools/{school_.id}/learning").status_code == 302  # log in first
    elsewhere = make_round_team(status="closed", team="Team Z")  # another school
    page = _page(client, login, make_user("facilitator", team=elsewhere.team), f"/schools/{school_.id}/learning")
    assert page.status_code == 404
    assert client.get("/schools/999999/learning").status_code == 404
    assert client.get(f"/boards/{school_.board_id}/learning").status_code == 404


def test_the_board_sees_its_schools_plans(school, login, client):
    school_, *_ = school
    user = create_user("board@example.org", PASSWORD, role="board", board_id=school_.board_id)
    page = _page(client, login, user, f"/boards/{school_.board_id}/learning")
    assert page.status_code == 200 and "A timetable hour for visits" in page.text and "Co-teaching" in page.text


@pytest.mark.parametrize("language, words", [("nl", "Leren van andere teams"), ("en", "Learning across teams"),
                                             ("fr", "Apprendre des autres équipes")])
def test_a_team_shares_its_plan(scored_team, make_round_team, facilitator, client, language, words):
    facilitator(scored_team, language)
    assert post(client, scored_team, "/create", {"mode": "proposal"}).status_code == 302
    assert not current_plan(scored_team).shared  # off by default
    assert words in client.get(url(scored_team)).text
    assert post(client, scored_team, "/share", {"shared": "yes"}).status_code == 302
    assert current_plan(scored_team).shared
    assert post(client, scored_team, "/share", {"shared": "maybe"}).status_code == 400
    assert post(client, scored_team, "/share", {"shared": "no"}).status_code == 302
    assert not current_plan(scored_team).shared
    learning = client.get(f"/schools/{scored_team.round.school_id}/learning")
    assert learning.status_code == 200 and words in learning.text
