"""The team conversation in headless Chromium: the facilitator runs it on a 1280 × 720 projector with
the arrow keys, types the team's explanation, opens a vote, three phones vote through the team code,
the result shows once the vote closes, and the plan is built from the chosen focus points; then axe
checks the new pages in nl, en and fr.

SPIEGEL_E2E_SHOTS=<directory> keeps screenshots of every screen (1280 × 720, 1920 × 1080, the phone)."""
import os
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy import select

from spiegel.conversation import services
from spiegel.org.models import Board, School, Team
from spiegel.plans.models import Plan, TeamNote
from spiegel.reports.services import team_report
from spiegel.shared.extensions import db
from tests.conftest import PASSWORD, fresh
from tests.e2e.conftest import CHROMEDRIVER, CHROMIUM
from tests.e2e.test_accessibility import axe_source, axe_violations  # noqa: F401  (fixture)
from tests.e2e.test_leader_flow import submit, wait_for_page
from tests.plans.conftest import level
from tests.rounds.conftest import add_responses, make_round, release, staff

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("SPIEGEL_E2E_SHOTS")


@pytest.fixture
def projector():
    """Chromium at 1280 × 720, the smallest projector the conversation is made for."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are required")
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,720", "--lang=de-DE"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.implicitly_wait(0)
    driver.set_window_size(1280, 720)
    yield driver
    driver.quit()


def shot(driver, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


def team_with_results(language="nl"):
    """A released team of five with bottlenecks (I3, S1), an attention point (P2) and strengths."""
    school = School(board=Board(name="Scholengroep Kust"), name="Atheneum Duinen")
    team = Team(school=school, name="Team Noord")
    db.session.add(school)
    db.session.commit()
    round_ = make_round(school, [team], name="Afname 2026", language=language)
    round_team = round_.round_teams[0]
    items = [item for module in round_.instrument_modules() for item in module.items()]
    add_responses(round_team, 5, values={item.id: level(item) for item in items}, phase="BOR")
    release(round_)
    return round_team


def log_in(driver, base, email):
    driver.get(base + "/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit(driver, "main form button[type=submit]")


def press(driver, key):
    wait_for_page(driver, lambda: ActionChains(driver).send_keys(key).perform())


def step_numbers(round_team):
    fresh()
    found = services.steps(team_report(round_team, "nl", medium="web"))
    return found, {step.kind: step.number for step in reversed(found)}  # the first of each kind


def test_the_facilitator_runs_the_conversation_and_three_phones_vote(live_server, projector, make_phone):
    round_team = team_with_results()
    facilitator = staff("facilitator", team=round_team.team)
    steps, first = step_numbers(round_team)
    base = f"{live_server}/conversation/{round_team.id}"
    log_in(projector, live_server, facilitator.email)

    # 1: the mirror in one look, the overview chart and its key, in the team's language (nl)
    projector.get(base)
    assert projector.current_url.endswith(f"/conversation/{round_team.id}/1")
    assert projector.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    assert projector.find_elements(By.CSS_SELECTOR, ".projector-chart svg")
    assert "Stap 1 van" in projector.page_source
    shot(projector, "1-overview-1280")
    # the page fits the projector's width: nothing scrolls sideways
    assert projector.execute_script("return document.documentElement.scrollWidth") <= 1280
    # → and ← move between the steps
    press(projector, Keys.ARROW_RIGHT)
    assert projector.current_url.endswith("/2") and "Sterke punten" in projector.page_source
    shot(projector, "2-strengths-1280")
    press(projector, Keys.ARROW_LEFT)
    assert projector.current_url.endswith("/1")
    press(projector, Keys.ARROW_RIGHT)
    press(projector, Keys.ARROW_RIGHT)
    assert projector.current_url.endswith("/3")
    assert steps[2].kind == "pattern" and steps[2].pattern.name in projector.page_source
    assert steps[2].pattern.prompt in projector.page_source
    shot(projector, "3-pattern-1280")

    # 4: the team's explanation of a bottleneck; the arrow keys type in the field, they do not navigate
    projector.get(f"{base}/{first['note']}")
    field = projector.find_element(By.ID, "note-text")
    field.send_keys("Er is geen overlegtijd in het rooster.")
    field.send_keys(Keys.ARROW_LEFT)
    assert projector.current_url.endswith(f"/{first['note']}")
    shot(projector, "4-note-1280")
    submit(projector, ".note-form button[type=submit]")
    assert projector.current_url.endswith(f"/{first['note'] + 1}")
    fresh()
    note = db.session.scalar(select(TeamNote))
    assert note.element_id == steps[first["note"] - 1].highlight.id
    assert note.text == "Er is geen overlegtijd in het rooster."

    # 5: a vote over the candidates; three phones vote through the team code
    projector.get(f"{base}/{first['focus']}")
    submit(projector, ".vote-panel button[type=submit]")
    assert "0 collega's hebben gestemd." in projector.page_source
    code = round_team.code
    assert code in projector.page_source
    shot(projector, "5-vote-open-1280")
    candidates = [e.get_attribute("value") for e in projector.find_elements(By.CSS_SELECTOR, ".focus-choice input[name=elements]")]
    wanted = [candidates[1], candidates[2]]  # not the priority list's first: the team's own choice
    for index in range(3):
        phone = make_phone()
        phone.get(f"{live_server}/t/{code}")
        assert phone.current_url.endswith(f"/t/{code}/vote")
        for element_id in (wanted if index < 2 else [candidates[0]]):
            phone.find_element(By.CSS_SELECTOR, f"input[value='{element_id}']").click()
        if index == 0:
            shot(phone, "6-phone-vote-360")
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 360
        submit(phone, "main form button[type=submit]")
        assert "je stemmen zijn geteld" in phone.page_source
        phone.get(f"{live_server}/t/{code}/vote")  # once per device
        assert "je stemmen zijn geteld" in phone.page_source and not phone.find_elements(By.NAME, "elements")
    projector.refresh()
    assert "3 collega's hebben gestemd." in projector.page_source
    assert "2 stemmen" not in projector.page_source  # no counts while the vote is open
    submit(projector, ".vote-panel button[type=submit]")  # close it
    results = [li.text for li in projector.find_elements(By.CSS_SELECTOR, ".vote-results li")]
    assert len(results) == len(candidates) and results[0].endswith("2 stemmen")
    ticked = {e.get_attribute("value") for e in projector.find_elements(By.CSS_SELECTOR, ".focus-choice input[name=elements]:checked")}
    assert ticked == set(wanted) | {candidates[0]}  # the most voted, preselected
    shot(projector, "7-vote-result-1280")
    projector.find_element(By.CSS_SELECTOR, f".focus-choice input[value='{candidates[0]}']").click()  # untick
    submit(projector, ".focus-choice button[type=submit]")

    # 6: the plan proposal from the chosen focus points, ready to edit
    assert projector.current_url.endswith(f"/{len(steps)}")
    assert "Het planvoorstel" in projector.page_source
    shot(projector, "8-plan-1280")
    fresh()
    plan = db.session.scalar(select(Plan))
    assert sorted(plan.focus) == sorted(wanted) and plan.generated and plan.sprints[0].actions
    submit(projector, ".conversation a.button.primary")
    assert projector.current_url.endswith(f"/plan/{round_team.id}")

    # the team's words in its mirror
    projector.get(f"{live_server}/mirror/{round_team.id}")
    assert "Er is geen overlegtijd in het rooster." in projector.page_source

    # the same screens at 1920 × 1080
    if SHOTS:
        projector.set_window_size(1920, 1080)
        for kind in ("overview", "pattern", "note", "focus"):
            projector.get(f"{base}/{first[kind]}")
            shot(projector, f"{first[kind]}-{kind}-1920")


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_conversation_pages_have_no_serious_accessibility_violations(live_server, projector, make_phone,
                                                                     axe_source, lang):  # noqa: F811
    round_team = team_with_results(language=lang)
    facilitator = staff("facilitator", team=round_team.team)
    steps, first = step_numbers(round_team)
    log_in(projector, live_server, facilitator.email)
    found = {}
    for kind in ("overview", "strengths", "pattern", "note", "focus"):
        projector.get(f"{live_server}/conversation/{round_team.id}/{first[kind]}")
        assert projector.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
        found[kind] = axe_violations(projector, axe_source)
    submit(projector, ".vote-panel button[type=submit]")
    found["vote open"] = axe_violations(projector, axe_source)
    phone = make_phone()
    phone.get(f"{live_server}/t/{round_team.code}")
    assert phone.current_url.endswith("/vote")
    found["phone vote"] = axe_violations(phone, axe_source)
    projector.find_element(By.CSS_SELECTOR, ".focus-choice input[name=elements]:not(:checked)").click()
    submit(projector, ".focus-choice button[type=submit]")
    found["plan"] = axe_violations(projector, axe_source)
    projector.get(f"{live_server}/plan/{round_team.id}")
    found["plan page"] = axe_violations(projector, axe_source)
    problems = {name: v for name, v in found.items() if v}
    assert not problems, problems
