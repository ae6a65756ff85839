"""The team mirror on a 360 px phone: charts scroll sideways inside their own box and say so (the edge
where a chart goes on fades out, static/mirror.js), the page itself never scrolls sideways, and a
focus point is marked as a tag, not read as part of the band's label."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from spiegel.results.profiles import release_early
from tests.e2e.test_leader_flow import log_in
from tests.reports.conftest import mirror_data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e


def test_mirror_charts_on_a_phone(live_server, make_phone, make_user, mirror_data):  # noqa: F811
    release_early(mirror_data.a)
    make_user("school_leader", school=mirror_data.school.id, email="leider@example.org")
    phone = make_phone("nl")
    log_in(phone, live_server, "leider@example.org")
    phone.get(f"{live_server}/mirror/{mirror_data.a.id}")
    wrap = phone.find_element(By.CSS_SELECTOR, "#overview .chart-wrap")
    WebDriverWait(phone, 10).until(lambda d: "more-right" in wrap.get_attribute("class"))
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360
    assert phone.execute_script("return getComputedStyle(arguments[0]).maskImage", wrap) != "none"
    # scrolled to its end: the values are in view, the fade moves to the left edge
    phone.execute_script("arguments[0].scrollLeft = arguments[0].scrollWidth", wrap)
    WebDriverWait(phone, 10).until(lambda d: wrap.get_attribute("class").split() == ["chart-wrap", "more-left"])
    tag = phone.find_element(By.CSS_SELECTOR, ".element .focus-tag")
    assert tag.text == "focuspunt"
    assert phone.execute_script("return getComputedStyle(arguments[0]).backgroundColor", tag) not in (
        "rgba(0, 0, 0, 0)", "transparent")
