"""A respondent on a phone-sized headless Chromium: join by code, answer, reload, resume, submit."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, Response
from tests.conftest import fresh

pytestmark = pytest.mark.e2e


def answer_current_page(driver, choice: int) -> dict[str, str]:
    """Tap one option per question (real clicks); returns what the page then has checked."""
    labels = driver.execute_script(
        "return [...document.querySelectorAll('fieldset.question')].map(f => {"
        "  const o = f.querySelectorAll('label.point, label.choice'); return o[arguments[0] % o.length]; })",
        choice)
    for label in labels:
        label.click()
    for area in driver.find_elements(By.TAG_NAME, "textarea"):
        area.send_keys("Meer tijd samen <b>graag</b>")
    checked = driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('input[type=radio]:checked')]"
        ".map(i => [i.name, i.value]))")
    assert len(checked) == len(labels)
    return checked


def click_and_wait(driver, element):
    """Click, then wait until the browser has loaded the next page."""
    driver.execute_script("window.spiegelOldPage = true")
    element.click()
    WebDriverWait(driver, 10, poll_frequency=0.05).until(lambda d: d.execute_script(
        "return window.spiegelOldPage === undefined && document.readyState === 'complete'"))


def press(driver, action: str):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"form button[name=action][value={action}]"))


def test_phone_join_answer_reload_resume_submit(live_server, phone, make_round_team):
    round_team = make_round_team(language="fr")
    code = round_team.code
    phone.get(live_server + "/")
    field = phone.find_element(By.ID, "code")
    field.send_keys(code.lower()[:3] + " " + code.lower()[3:])
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "form[action$='/join'] button"))
    assert "Bienvenue, équipe" in phone.page_source  # the round's language: French

    phone.find_element(By.CSS_SELECTOR, "input[name=role][value=teacher]").find_element(By.XPATH, "..").click()
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "form[action$='/start'] button"))
    assert "/p/0" in phone.current_url
    # Nothing sticks out sideways on a 360 px screen.
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360

    expected: dict[str, str] = {}
    page = 0
    went_back = False
    while "/review" not in phone.current_url:
        # A page submit is answered with the next page; the address bar shows that page's own address.
        assert phone.current_url.split("?")[0].endswith(f"/p/{page}"), (page, phone.current_url)
        answered = answer_current_page(phone, page)
        expected.update(answered)
        press(phone, "next")
        page += 1
        if page == 3:
            phone.refresh()  # reload mid-way
            assert phone.current_url.endswith("/p/3"), phone.current_url
            phone.get(f"{live_server}/t/{code}")  # close the tab, open the poster link again
            assert phone.current_url.endswith("/p/3"), phone.current_url
        if page == 5 and not went_back:  # the browser's back button: the page before, as answered
            went_back = True
            phone.back()
            WebDriverWait(phone, 10, poll_frequency=0.05).until(
                lambda d: d.current_url.endswith("/p/4") and d.execute_script("return document.readyState") == "complete")
            checked = phone.execute_script(
                "return Object.fromEntries([...document.querySelectorAll('input[type=radio]:checked')]"
                ".map(i => [i.name, i.value]))")
            assert checked == answered
            page = 4
    assert page > 10 and went_back

    press(phone, "submit")
    assert "/done" in phone.current_url and "Merci" in phone.page_source
    phone.back()
    phone.refresh()
    assert "Merci" in phone.page_source  # back after submitting: still the thank-you page

    fresh()
    [response] = db.session.scalars(select(Response)).all()
    assert response.submitted_on is not None and response.language == "fr"
    stored = dict(db.session.execute(select(Answer.item_id, Answer.value)
                                     .where(Answer.response_id == response.id)).all())
    items = {k.removeprefix("item-"): (None if v == "dk" else int(v))
             for k, v in expected.items() if k.startswith("item-")}
    assert stored == items and len(items) > 50
    assert response.phase == expected["phase"] or expected["phase"] == "dk"
