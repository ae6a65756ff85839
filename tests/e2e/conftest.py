"""A real server on loopback and Debian's headless Chromium driven by Selenium (no browser download)."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from spiegel import create_app
from tests.conftest import dispose_engines

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def live_server(database_url, app):
    server_app = create_app({"DATABASE_URL": database_url, "TESTING": False})
    server = make_server("127.0.0.1", 0, server_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with server_app.app_context():
        dispose_engines()


@pytest.fixture
def make_phone():
    """make_phone(languages="de-DE,de") → Chromium at a 360×740 phone viewport with touch emulation.
    German by default: none of ours, so the round's language applies, as for a phone set to a language
    Spiegel does not have."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are required (apt-get install chromium chromium-driver)")
    os.environ["SE_OFFLINE"] = "true"  # Selenium must never fetch a browser or driver
    drivers = []

    def make(languages="de-DE,de"):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--window-size=360,740"):
            options.add_argument(flag)
        options.add_experimental_option("prefs", {"intl.accept_languages": languages})
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0, "touch": True},
            "userAgent": "Mozilla/5.0 (Linux; Android 14) Mobile Spiegel-e2e"})
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.implicitly_wait(0)  # pages are waited for explicitly; find_elements must not stall
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


@pytest.fixture
def phone(make_phone):
    return make_phone()
