"""Issue 15 end to end: a round in personal-code mode on real phones. The facilitator prints the team's
slips, colleagues answer with them (one slip, one response), the facilitator releases the results,
and the mirror shows them."""
import re

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import func, select

from spiegel.org.models import Board, School, Team
from spiegel.rounds.models import Slip
from spiegel.shared.extensions import db
from spiegel.survey.models import Response
from tests.conftest import fresh
from tests.e2e.test_leader_flow import log_in, submit
from tests.e2e.test_respondent_phone import answer_current_page, click_and_wait, press
from tests.rounds.conftest import make_round, staff

pytestmark = pytest.mark.e2e


def test_a_personal_code_round_from_printed_slips_to_the_released_mirror(live_server, make_phone):
    school = School(board=Board(name="Scholengroep"), name="Atheneum Duinen")
    team = Team(school=school, name="Team Noord", members=3)
    db.session.add_all([school, team])
    db.session.commit()
    round_ = make_round(school, [team], name="Afname met strookjes")
    round_.access = "personal"
    db.session.commit()
    round_team = round_.round_teams[0]
    facilitator = staff("facilitator", team=team)

    # The facilitator prints three slips from the study-day page.
    desk = make_phone("nl-BE,nl")
    desk.set_window_size(1280, 900)
    log_in(desk, live_server, facilitator.email)
    desk.get(f"{live_server}/rounds/{round_.id}/teams/{round_team.id}/study-day")
    click_and_wait(desk, desk.find_element(By.LINK_TEXT, "Strookjes afdrukken"))
    count = desk.find_element(By.ID, "count")
    count.clear()
    count.send_keys("3")
    submit(desk, "main form button.primary")
    slips = [element.text for element in desk.find_elements(By.CSS_SELECTOR, ".slip .slip-code")]
    assert len(slips) == 3 and all(re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code) for code in slips)
    assert len(desk.find_elements(By.CSS_SELECTOR, ".slip svg.qr-code")) == 3

    # Without a slip nobody gets in; each slip's QR link starts exactly one response.
    stranger = make_phone()
    stranger.get(f"{live_server}/t/{round_team.code}")
    stranger.find_element(By.CSS_SELECTOR, "input[name=role][value=teacher]").find_element(By.XPATH, "..").click()
    click_and_wait(stranger, stranger.find_element(By.CSS_SELECTOR, "form[action$='/start'] button"))
    assert "geldt niet voor dit team" in stranger.page_source and "/p/" not in stranger.current_url

    for slip in slips:
        phone = make_phone()
        phone.get(f"{live_server}/t/{round_team.code}?slip={slip.replace('-', '')}")
        phone.find_element(By.CSS_SELECTOR, "input[name=role][value=teacher]").find_element(By.XPATH, "..").click()
        click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "form[action$='/start'] button"))
        assert "/p/0" in phone.current_url
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 360
        while "/p/" in phone.current_url:
            answer_current_page(phone, 3)
            press(phone, "next")
        press(phone, "submit")
        assert "Bedankt" in phone.page_source
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.submitted_on.is_not(None))) == 3
    assert db.session.scalar(select(func.count()).select_from(Slip).where(Slip.used.is_(False))) == 0

    # The round is open: the mirror waits for a release; the facilitator releases it.
    desk.get(f"{live_server}/mirror/{round_team.id}")
    assert "nog niet vrijgegeven" in desk.page_source
    submit(desk, "form[action$='/release'] button")
    assert "Teamspiegel" in desk.page_source and "persoonlijke codes" in desk.page_source
    assert "Respondenten" in desk.page_source and "nog niet vrijgegeven" not in desk.page_source
