"""Issue 16 on real phones (headless Chromium, 360 px): Enter moves on, the phone's language is chosen
first and kept on another device, and reopening the link or typing the resume code on the review
position reaches the send button."""
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, Response
from tests.conftest import fresh
from tests.e2e.test_respondent_phone import answer_current_page, click_and_wait, press

pytestmark = pytest.mark.e2e


def start(phone, link, role="teacher"):
    phone.get(link)
    phone.find_element(By.CSS_SELECTOR, f"input[name=role][value={role}]").find_element(By.XPATH, "..").click()
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "form[action$='/start'] button"))


def test_enter_on_a_question_page_moves_to_the_next_page(live_server, phone, make_round_team):
    round_team = make_round_team(language="nl")
    start(phone, f"{live_server}/t/{round_team.code}")
    assert "/p/0" in phone.current_url
    # The phase question: focus its first option, choose with the arrow keys, press Enter.
    first = phone.find_element(By.CSS_SELECTOR, "input[name=phase]")
    phone.execute_script("arguments[0].focus()", first)
    first.send_keys(Keys.ARROW_DOWN)
    chosen = phone.execute_script("return document.querySelector('input[name=phase]:checked').value")
    phone.execute_script("window.spiegelOldPage = true")
    phone.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(phone, 10, poll_frequency=0.05).until(lambda d: d.execute_script(
        "return window.spiegelOldPage === undefined && document.readyState === 'complete'"))
    assert phone.current_url.endswith("/p/1"), phone.current_url
    assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"  # not switched to English
    fresh()
    assert db.session.scalar(select(Response.phase)) == chosen


def test_a_french_phone_chooses_french_first_and_keeps_it_when_resuming_on_the_review(
        live_server, make_phone, make_round_team):
    round_team = make_round_team(language="nl")
    link = f"{live_server}/t/{round_team.code}"
    french = make_phone("fr-BE,fr;q=0.9")
    french.get(link)
    assert "Bienvenue, équipe" in french.page_source
    selected = french.find_element(By.CSS_SELECTOR, ".language-choice a[aria-current=true]")
    assert selected.text == "Français"
    assert french.execute_script("return document.documentElement.scrollWidth") <= 360
    start(french, link)
    resume_code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", french.find_element(By.CSS_SELECTOR, ".resume-hint").text).group(0)
    while "/p/" in french.current_url:
        answer_current_page(french, 3)
        press(french, "next")
    assert french.current_url.endswith("/review")

    # The tab is closed and the team link opened again: the review with its send button.
    french.get("about:blank")
    french.get(link)
    assert french.current_url.endswith("/review")
    assert french.find_elements(By.CSS_SELECTOR, "button[value=submit]")

    # The resume code on a Dutch school laptop: the review again, still in French.
    laptop = make_phone("nl-BE,nl;q=0.9")
    laptop.get(link)
    laptop.find_element(By.ID, "resume_code").send_keys(resume_code.lower())
    click_and_wait(laptop, laptop.find_element(By.CSS_SELECTOR, "form[action$='/resume'] button"))
    assert laptop.current_url.endswith("/review")
    assert laptop.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "Presque terminé" in laptop.page_source
    press(laptop, "submit")
    fresh()
    response = db.session.scalars(select(Response)).one()
    assert response.submitted_on is not None and response.language == "fr"
    assert db.session.scalar(select(db.func.count()).select_from(Answer).where(Answer.response_id == response.id)) > 50


def test_reopening_the_link_and_the_resume_code_at_every_kind_of_position(live_server, make_phone, make_round_team):
    """Before the first page, mid-way, on the last page, on the review and after sending: the same phone
    reopening the team link and another phone typing the resume code land on the same, right page."""
    round_team = make_round_team(language="nl")
    link = f"{live_server}/t/{round_team.code}"
    phone, laptop = make_phone(), make_phone()
    start(phone, link)
    resume_code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", phone.find_element(By.CSS_SELECTOR, ".resume-hint").text).group(0)
    total = int(re.search(r"van (\d+)", phone.find_element(By.CSS_SELECTOR, ".progress label").text).group(1))

    def check(expected: str):
        phone.get("about:blank")
        phone.get(link)
        assert phone.current_url.endswith(expected), (expected, phone.current_url)
        laptop.delete_all_cookies()
        laptop.get(link)
        laptop.find_element(By.ID, "resume_code").send_keys(resume_code)
        click_and_wait(laptop, laptop.find_element(By.CSS_SELECTOR, "form[action$='/resume'] button"))
        assert laptop.current_url.endswith(expected), (expected, laptop.current_url)
        # the laptop took the response over: the phone continues with its own resume code too
        phone.delete_all_cookies()
        phone.get(link)
        phone.find_element(By.ID, "resume_code").send_keys(resume_code)
        click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "form[action$='/resume'] button"))

    check("/p/0")
    for number in range(total):
        if number in (total // 2, total - 1):
            check(f"/p/{number}")
        answer_current_page(phone, number)
        press(phone, "next")
    check("/review")
    press(phone, "submit")
    check("/done")
