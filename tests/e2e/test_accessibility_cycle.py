"""Issue 18: axe-core checks of the cycle pages at a 360 px phone viewport in nl, en and fr — the plan page
with its pulse and sharing sections, the sprint review with the value kinds, the pulse's study-day page
and mirror, the team trend with a pulse, and the school's and board's learning pages."""
from datetime import timedelta

import pytest
from selenium.webdriver.common.by import By

from spiegel.org.models import Board, School, Team
from spiegel.plans import services as plans
from spiegel.rounds import pulse
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.test_accessibility import axe_source, axe_violations, wait_for  # noqa: F401  (fixture)
from tests.e2e.test_leader_flow import submit
from tests.rounds.conftest import add_responses, make_round

pytestmark = pytest.mark.e2e


def cycle_world():
    """A closed round of two teams with plans (one shared, reviewed with value), and a closed pulse."""
    school = School(board=Board(name="Scholengroep Kust"), name="Atheneum Duinen")
    teams = [Team(school=school, name=name) for name in ("Team Noord", "Team Zuid")]
    db.session.add(school)
    db.session.commit()
    round_ = make_round(school, teams, name="Afname 2026", opens=-40, closes=-20)
    north, south = round_.round_teams
    add_responses(north, 5, value=2)
    add_responses(south, 4, value=3)
    for round_team, shared in ((north, True), (south, False)):
        plan = plans.create_plan(round_team, generate=True, language="nl")
        plans.set_focus(plan, ["S1", "I3"])
        sprint = plan.sprints[0]
        plans.update_sprint(sprint, goal="Tijd om te observeren", starts_on=sprint.starts_on, ends_on=sprint.ends_on,
                            indicator="", cimo_context="Derde graad", cimo_intervention="Co-teaching op vrijdag",
                            cimo_mechanism="Elkaar zien lesgeven", cimo_outcome="Meer feedback")
        plans.save_review(sprint, happened="Zes lessen samen", learned="Het vraagt rust", decision="deepen",
                          reason="Het werkt", value=[{"kind": "practice", "example": "Samen lessen voorbereiden"},
                                                     {"kind": "insights", "example": ""}])
        plans.set_shared(plan, shared)
    made = pulse.create_pulse(north, ["S1", "I3"], "Pulsmeting sprint 1", now=utcnow() - timedelta(days=10))
    add_responses(made, 4, value=4)
    made.round.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    return school, north, made


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_cycle_pages_have_no_serious_accessibility_violations(live_server, phone, make_user, axe_source, lang):  # noqa: F811
    school, north, made = cycle_world()
    leader = make_user("school_leader", school=school)
    found: dict[str, list] = {}

    def check(name: str) -> None:
        found[name] = axe_violations(phone, axe_source)
        assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang, name

    phone.get(f"{live_server}/lang/{lang}?next=/login")
    wait_for(phone, "/login")
    phone.find_element(By.NAME, "email").send_keys(leader.email)
    phone.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit(phone, "main form button[type=submit]")
    assert "/dashboard" in phone.current_url
    pages = {
        "plan with pulse and sharing": f"/plan/{north.id}",
        "sprint review with value": f"/plan/{north.id}/sprint/1/review",
        "pulse study day": f"/rounds/{made.round_id}/teams/{made.id}/study-day",
        "pulse mirror": f"/mirror/{made.id}",
        "team trend with a pulse": f"/schools/{school.id}/trend?team={north.team_id}",
        "learning across the school's teams": f"/schools/{school.id}/learning",
        "learning for one element": f"/schools/{school.id}/learning?element=S1",
    }
    for name, path in pages.items():
        phone.get(live_server + path)
        wait_for(phone, path.split("?")[0])
        assert "error" not in phone.find_element(By.TAG_NAME, "body").get_attribute("class"), name
        check(name)
    problems = {name: violations for name, violations in found.items() if violations}
    assert not problems, problems
    assert len(found) == len(pages)
