"""Automated accessibility checks on the school leader's way to the comparison: axe-core in headless
Chromium at a 360 px phone viewport, in nl, en and fr — log-in, dashboard, round detail, live counter,
the comparison in its three views, the trend, a team's mirror and plan. No serious or critical violation may appear."""
import pytest
from selenium.webdriver.common.by import By

from spiegel.org.models import Board, School, Team
from spiegel.shared.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.test_accessibility import axe_source, axe_violations, wait_for  # noqa: F401  (fixture)
from tests.e2e.test_leader_flow import submit
from tests.rounds.conftest import add_responses, make_round

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_leader_pages_have_no_serious_accessibility_violations(live_server, phone, make_user, axe_source, lang):  # noqa: F811
    school = School(board=Board(name="Scholengroep Kust"), name="Atheneum Duinen")
    teams = [Team(school=school, name=name) for name in ("Team Noord", "Team Zuid", "Team Klein")]
    db.session.add(school)
    db.session.commit()
    round_ = make_round(school, teams, name="Afname 2026")
    by_name = {rt.team.name: rt for rt in round_.round_teams}
    add_responses(by_name["Team Noord"], 5, value=4)
    add_responses(by_name["Team Zuid"], 4, value=2)
    add_responses(by_name["Team Klein"], 2, value=5)  # below the minimum: suppressed in the comparison
    leader = make_user("school_leader", school=school)
    found: dict[str, list] = {}

    def check(name: str) -> None:
        found[name] = axe_violations(phone, axe_source)
        assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang, name

    phone.get(f"{live_server}/lang/{lang}?next=/login")
    wait_for(phone, "/login")
    check("log-in")
    phone.find_element(By.NAME, "email").send_keys(leader.email)
    phone.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit(phone, "main form button[type=submit]")
    assert "/dashboard" in phone.current_url
    check("dashboard")
    pages = {
        "round detail": f"/rounds/{round_.id}",
        "live counter": f"/rounds/{round_.id}/live",
        "comparison (groups)": f"/rounds/{round_.id}/compare",
        "comparison (elements)": f"/rounds/{round_.id}/compare?view=elements",
        "comparison (pillars)": f"/rounds/{round_.id}/compare?view=pillars",
        "trend": f"/schools/{school.id}/trend",
        "trend of a team": f"/schools/{school.id}/trend?team={teams[0].id}",
        "a team's mirror": f"/mirror/{by_name['Team Noord'].id}",
        "a team's plan": f"/plan/{by_name['Team Noord'].id}",
    }
    for name, path in pages.items():
        phone.get(live_server + path)
        wait_for(phone, path.split("?")[0])
        assert "error" not in phone.find_element(By.TAG_NAME, "body").get_attribute("class"), name
        if "compare" in path:  # the comparison was really there, with its numbers
            assert phone.find_elements(By.CSS_SELECTOR, "table.heatmap tbody tr"), name
        check(name)

    problems = {name: violations for name, violations in found.items() if violations}
    assert not problems, problems
    assert len(found) == 2 + len(pages)
