"""Automated accessibility checks: axe-core in headless Chromium at a 360 px phone viewport, over every
respondent page in nl, en and fr. No serious or critical violation may appear.

axe.min.js comes from the npm registry (`make test` installs axe-core into .venv/axe-core; the path
can be given with SPIEGEL_AXE_JS). Selenium injects it: a page's Content-Security-Policy does not
apply to WebDriver scripts, so the pages stay as strict as in production.
"""
import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.test_respondent_phone import click_and_wait

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(os.environ.get("SPIEGEL_AXE_JS") or ROOT / ".venv/axe-core/node_modules/axe-core/axe.min.js")
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `make test` (it installs axe-core from the npm "
                    "registry) or set SPIEGEL_AXE_JS to an axe.min.js")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(driver, axe_source: str) -> list[dict]:
    """Run axe-core on the page the browser shows; returns the serious and critical violations."""
    driver.set_script_timeout(60)
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(axe_source)
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']})
           .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                 nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))))
           .catch(e => done({error: String(e)}));
    """)
    assert not isinstance(result, dict), result
    return [v for v in result if v["impact"] in BLOCKING]


def wait_for(driver, fragment: str) -> None:
    WebDriverWait(driver, 10, poll_frequency=0.05).until(
        lambda d: fragment in d.current_url and d.execute_script("return document.readyState") == "complete")


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_respondent_pages_have_no_serious_accessibility_violations(live_server, phone, make_round_team,
                                                                   axe_source, lang):
    team = make_round_team(language="nl")
    closed = make_round_team(status="closed", team="Team C")
    code = team.code
    found: dict[str, list] = {}

    def check(name: str) -> None:
        found[name] = axe_violations(phone, axe_source)
        assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang, name

    phone.get(f"{live_server}/lang/{lang}?next=/")
    wait_for(phone, "/")
    check("home")
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "form[action$='/join'] button"))  # empty code
    check("home with a form error")
    phone.get(f"{live_server}/t/{code}")
    check("join page")
    phone.find_element(By.CSS_SELECTOR, "input[name=role][value=teacher]").find_element(By.XPATH, "..").click()
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "form[action$='/start'] button"))
    wait_for(phone, "/p/0")
    check("phase page (with the resume code notice)")
    phone.get(f"{live_server}/t/{code}/p/1")
    check("questions page")
    last = phone.execute_script("return +document.querySelector('progress').max") - 1
    phone.get(f"{live_server}/t/{code}/p/{last}")
    check("open-questions page")
    phone.get(f"{live_server}/t/{code}/review")
    check("review")
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "button[name=action][value=submit]"))
    wait_for(phone, "/done")
    check("done")
    phone.get(f"{live_server}/t/ABCDEFG")
    check("error page (unknown team code)")
    phone.get(f"{live_server}/t/{closed.code}")
    check("closed round")

    problems = {name: violations for name, violations in found.items() if violations}
    assert not problems, problems
    assert len(found) == 10
