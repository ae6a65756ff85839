"""Every tap saved, on a phone-sized headless Chromium: taps reach the database without "Next", a
reload shows them, taps made without network wait on the phone and are sent when it comes back, and
"Next" without network keeps the page and says so. The network is cut with Chrome's DevTools."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, Response
from tests.conftest import fresh
from tests.e2e.test_respondent_phone import click_and_wait, press

pytestmark = pytest.mark.e2e

SAVED = "Saved"
WAITING = "Waiting for the network — your answers are kept on this phone"
KEPT = "No network: your answers are kept on this phone. Press the button again when the network is back."


def start(phone, live_server, round_team):
    phone.get(f"{live_server}/t/{round_team.code}")
    phone.find_element(By.CSS_SELECTOR, "input[name=role][value=teacher]").find_element(By.XPATH, "..").click()
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "form[action$='/start'] button"))
    assert phone.current_url.split("?")[0].endswith("/p/0")


def items_on_page(phone) -> list[str]:
    return phone.execute_script(
        "return [...new Set([...document.querySelectorAll('input[type=radio][name^=item-]')].map(i => i.name))]")


def tap(phone, name: str, value: str):
    """A real tap on the option's label."""
    phone.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']").find_element(By.XPATH, "..").click()


def checked(phone) -> dict[str, str]:
    return phone.execute_script("return Object.fromEntries([...document.querySelectorAll('input[type=radio]:checked')]"
                                ".map(i => [i.name, i.value]))")


def stored_items() -> dict[str, int | None]:
    fresh()
    return {f"item-{item}": value for item, value in db.session.execute(select(Answer.item_id, Answer.value)).all()}


def stored_response() -> Response:
    fresh()
    return db.session.scalars(select(Response)).one()


def as_stored(taps: dict[str, str]) -> dict[str, int | None]:
    return {name: None if value == "dk" else int(value) for name, value in taps.items()}


def wait_until(phone, condition, seconds=10):
    WebDriverWait(phone, seconds, poll_frequency=0.05).until(lambda _driver: condition())


def status(phone) -> str:
    return phone.find_element(By.ID, "save-status").text


def network(phone, online: bool):
    phone.execute_cdp_cmd("Network.enable", {})
    phone.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": not online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def queued(phone) -> dict:
    return phone.execute_script(
        "return Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('spiegel-taps:'))"
        ".map(k => [k, JSON.parse(localStorage.getItem(k)).answers]))")


def test_taps_reach_the_database_without_next_and_a_reload_shows_them(live_server, phone, make_round_team):
    round_team = make_round_team(language="en")
    start(phone, live_server, round_team)
    tap(phone, "phase", "DIF")
    wait_until(phone, lambda: stored_response().phase == "DIF")
    press(phone, "next")
    assert phone.current_url.endswith("/p/1")

    names = items_on_page(phone)
    taps = {names[0]: "2", names[1]: "dk", names[2]: "5"}
    for name, value in taps.items():
        tap(phone, name, value)
    tap(phone, names[0], "4")  # changed her mind
    taps[names[0]] = "4"
    wait_until(phone, lambda: stored_items() == as_stored(taps))
    wait_until(phone, lambda: status(phone) == SAVED)
    assert stored_response().page == 1  # no "Next" pressed: the resume point stays

    phone.refresh()  # a reload or a pull-to-refresh
    WebDriverWait(phone, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert phone.current_url.endswith("/p/1")
    assert checked(phone) == taps
    assert queued(phone) == {}


def test_taps_made_offline_wait_on_the_phone_and_are_sent_when_the_network_is_back(live_server, phone,
                                                                                     make_round_team):
    round_team = make_round_team(language="en")
    start(phone, live_server, round_team)
    press(phone, "next")
    names = items_on_page(phone)
    tap(phone, names[0], "3")
    wait_until(phone, lambda: stored_items() == {names[0]: 3})

    network(phone, online=False)
    offline = {names[1]: "1", names[2]: "dk", names[3]: "5"}
    for name, value in offline.items():
        tap(phone, name, value)
    tap(phone, names[1], "2")  # a later tap on the same question replaces the queued one
    offline[names[1]] = "2"
    wait_until(phone, lambda: status(phone) == WAITING)
    assert list(queued(phone).values()) == [{names[2]: "dk", names[3]: "5", names[1]: "2"}]  # in tap order
    assert stored_items() == {names[0]: 3}

    network(phone, online=True)
    wait_until(phone, lambda: stored_items() == as_stored({names[0]: "3", **offline}))
    wait_until(phone, lambda: status(phone) == SAVED)
    assert queued(phone) == {}
    assert checked(phone) == {names[0]: "3", **offline}


def test_unsent_taps_are_shown_again_after_a_reload_and_sent_later(live_server, phone, make_round_team):
    # A reload while the network is down fails in Chromium before the page is there, so here only the
    # taps cannot reach the server (blocked), while the page itself reloads.
    round_team = make_round_team(language="en")
    start(phone, live_server, round_team)
    press(phone, "next")
    names = items_on_page(phone)
    phone.execute_cdp_cmd("Network.enable", {})
    phone.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/answer"]})
    taps = {names[0]: "4", names[1]: "dk"}
    for name, value in taps.items():
        tap(phone, name, value)
    wait_until(phone, lambda: status(phone) == WAITING)

    phone.refresh()
    WebDriverWait(phone, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert checked(phone) == taps  # from this phone's queue: the server has none of them
    assert status(phone) == WAITING and stored_items() == {}

    phone.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    wait_until(phone, lambda: stored_items() == as_stored(taps), seconds=15)  # sent again within seconds
    wait_until(phone, lambda: status(phone) == SAVED)


def test_next_without_network_keeps_the_page_and_says_so(live_server, phone, make_round_team):
    round_team = make_round_team(language="en")
    start(phone, live_server, round_team)
    press(phone, "next")
    names = items_on_page(phone)
    network(phone, online=False)
    taps = {name: "2" for name in names}
    for name, value in taps.items():
        tap(phone, name, value)
    phone.find_element(By.CSS_SELECTOR, "form button[name=action][value=next]").click()
    wait_until(phone, lambda: status(phone) == KEPT)
    assert phone.current_url.endswith("/p/1") and checked(phone) == taps  # still this page, as answered
    assert "warning" in phone.find_element(By.ID, "save-status").get_attribute("class")
    assert stored_items() == {}

    network(phone, online=True)
    wait_until(phone, lambda: stored_items() == as_stored(taps))
    press(phone, "next")
    assert phone.current_url.endswith("/p/2")
    assert stored_response().page == 2
