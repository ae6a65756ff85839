"""An administrator sets up a school in headless Chromium (board, school, teams, round), prints the
posters, answers come in, and the school leader follows the live counter and sees the comparison on
a phone."""
import base64
import re
from datetime import date, timedelta

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from spiegel.org.models import School
from spiegel.rounds.models import Round
from spiegel.shared.extensions import db
from tests.conftest import PASSWORD, fresh
from tests.e2e.conftest import CHROMEDRIVER, CHROMIUM
from tests.rounds.conftest import add_responses

pytestmark = pytest.mark.e2e


@pytest.fixture
def desktop():
    import os

    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are required")
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,900", "--lang=en-GB"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def wait_for_page(driver, action):
    driver.execute_script("window.spiegelOldPage = true")
    action()
    WebDriverWait(driver, 15, poll_frequency=0.05).until(lambda d: d.execute_script(
        "return window.spiegelOldPage === undefined && document.readyState === 'complete'"))


def submit(driver, selector):
    wait_for_page(driver, driver.find_element(By.CSS_SELECTOR, selector).click)


def log_in(driver, base, email):
    driver.get(base + "/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit(driver, "main form button[type=submit]")
    assert "/dashboard" in driver.current_url


def test_admin_sets_up_a_round_and_the_leader_compares(live_server, desktop, phone, make_user):
    admin = make_user("admin")
    log_in(desktop, live_server, admin.email)
    desktop.get(live_server + "/lang/en?next=/dashboard")

    # Organisation: a board, a school, three teams.
    wait_for_page(desktop, desktop.find_element(By.PARTIAL_LINK_TEXT, "Organisation").click)
    desktop.find_element(By.ID, "board-name").send_keys("Scholengroep Kust")
    submit(desktop, "main form button[type=submit]")
    desktop.find_element(By.ID, "school-name").send_keys("Atheneum Duinen")
    submit(desktop, "button[value=add-school]")
    desktop.find_element(By.ID, "teams-names").send_keys("Team Noord\nTeam Zuid\nTeam Klein")
    submit(desktop, "button[value=add-teams]")
    assert all(name in desktop.page_source for name in ("Team Noord", "Team Zuid", "Team Klein"))

    # A round for all three teams, in Dutch, open from today for two weeks.
    wait_for_page(desktop, desktop.find_element(By.LINK_TEXT, "New round").click)
    desktop.find_element(By.ID, "name").send_keys("Afname 2026")
    desktop.find_element(By.ID, "innovation_name").send_keys("Leren met feedback")
    for field, day in (("opens_on", date.today()), ("closes_on", date.today() + timedelta(days=14))):
        desktop.execute_script("document.getElementById(arguments[0]).value = arguments[1]", field, day.isoformat())
    desktop.find_element(By.CSS_SELECTOR, "#default_language option[value=nl]").click()
    for box in desktop.find_elements(By.CSS_SELECTOR, "#teams input[type=checkbox]"):
        box.click()
    submit(desktop, "main form button.primary")
    assert re.search(r"/rounds/\d+$", desktop.current_url), desktop.current_url
    fresh()
    round_ = db.session.scalar(select(Round).where(Round.name == "Afname 2026"))
    codes = {rt.team.name: rt.code for rt in round_.round_teams}
    assert len(codes) == 3 and all(code in desktop.page_source for code in codes.values())

    # Posters: one A4 page per team, with the QR code and the code in large type, in Dutch.
    wait_for_page(desktop, desktop.find_element(By.LINK_TEXT, "Posters for all teams").click)
    posters = desktop.find_elements(By.CSS_SELECTOR, "article.poster")
    assert len(posters) == 3
    assert posters[0].find_element(By.CSS_SELECTOR, "svg.qr-code").size["width"] > 200
    assert "Open tot" in desktop.page_source
    pdf = base64.b64decode(desktop.execute_cdp_cmd("Page.printToPDF", {
        "preferCSSPageSize": True, "printBackground": True})["data"])
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert len(pages) == 3, len(pages)
    width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points

    # The school leader watches the live counter on a phone while answers come in.
    school = db.session.scalar(select(School).where(School.name == "Atheneum Duinen"))
    leader = make_user("school_leader", school=school)
    log_in(phone, live_server, leader.email)
    phone.get(live_server + "/lang/nl?next=/dashboard")
    wait_for_page(phone, phone.find_element(By.LINK_TEXT, "Live teller").click)
    total = phone.find_element(By.CSS_SELECTOR, "[data-total=submitted]")
    assert total.text == "minder dan 3 per team"
    by_name = {rt.team.name: rt for rt in round_.round_teams}
    add_responses(by_name["Team Noord"], 5, value=4)
    add_responses(by_name["Team Zuid"], 4, value=2)
    add_responses(by_name["Team Klein"], 2, value=5)
    # The total adds up the teams that reach the minimum: "at least 9", never 11 (Klein's 2 would show).
    WebDriverWait(phone, 25, poll_frequency=0.5).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-total=submitted]").text == "minstens 9")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360

    # The round is still open: a team's mirror says so, and the leader releases the results early.
    for team in ("Team Noord", "Team Zuid", "Team Klein"):
        phone.get(f"{live_server}/mirror/{by_name[team].id}")
        assert "nog niet vrijgegeven" in phone.page_source
        submit(phone, "form[action$='/release'] button")

    # The comparison: two teams with numbers, the small team suppressed, the school mean.
    phone.get(live_server + "/dashboard")
    wait_for_page(phone, phone.find_element(By.LINK_TEXT, "Teams vergelijken").click)
    rows = {row.find_element(By.CSS_SELECTOR, "th").text.split("\n")[0]: row
            for row in phone.find_elements(By.CSS_SELECTOR, "table.heatmap tbody tr")}
    assert set(rows) == {"Team Noord", "Team Zuid", "Team Klein", "Schoolgemiddelde"}
    assert "minder dan 3" in rows["Team Klein"].text and "5,00" not in phone.page_source
    assert rows["Team Noord"].find_elements(By.CSS_SELECTOR, "td.band-strength, td.band-attention, "
                                                             "td.band-bottleneck")
    assert "2 teams" in rows["Schoolgemiddelde"].text
    # Nothing sticks out sideways on a phone: the table scrolls inside its own box.
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360
    wait_for_page(phone, phone.find_element(By.LINK_TEXT, "Subelementen").click)
    assert phone.find_elements(By.CSS_SELECTOR, ".pole-dot")
