"""Failed code attempts are limited per IP address (generously: a school shares one) and per device;
successful joins are never counted; the counters live in the database, so every web worker sees them."""
import pytest
from sqlalchemy import select

from spiegel.shared import ratelimit
from spiegel.shared.extensions import db
from spiegel.shared.ratelimit import RateLimit
from tests.conftest import fresh
from tests.security.helpers import token_from
from tests.survey_helpers import Respondent, page_values

TOO_MANY = {"nl": "Te veel pogingen", "en": "Too many attempts", "fr": "Trop de tentatives"}
SCHOOL_IP = "198.51.100.7"


@pytest.fixture
def limited(make_web, monkeypatch):
    """A web worker with small budgets: 5 failures per IP address, 3 per device, per minute. The clock
    stands still at the start of a window: a test crossing a window's end on the wall clock would
    see its earlier failures weighted down by the sliding window, and miss the limit by a fraction."""
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_000.0)  # a multiple of 60
    def make(**config):
        return make_web(CODE_FAILURES_PER_IP=config.pop("per_ip", 5),
                        CODE_FAILURES_PER_CLIENT=config.pop("per_client", 3), CODE_FAILURES_WINDOW=60, **config)
    return make


def phone(web, ip=SCHOOL_IP):
    """A new device (no cookies) at the school's address."""
    client = web.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def try_code(client, code):
    token = token_from(client.get("/").text)
    return client.post("/join", data={"code": code, "csrf_token": token})


def test_failed_codes_from_one_address_are_limited_but_never_a_new_phone_with_a_valid_code(limited, make_round_team):
    """Finding (a) of issue 16: random codes from fresh cookies on the school's shared address used to
    make every code from that address answer 429, known codes too: the school was locked out."""
    web = limited()
    team = make_round_team()
    for _ in range(5):  # five different devices (or one guesser dropping its cookie), each one mistake
        assert try_code(phone(web), "ABCDEFG").status_code == 400
    refused = try_code(phone(web), "ABCDEFG")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert phone(web).get("/t/ABCDEFG").status_code == 429
    # A new phone with the poster's QR link, or typing the right code, still gets in.
    assert phone(web).get(f"/t/{team.code}").status_code == 200
    assert try_code(phone(web), team.code).status_code == 302
    # A device that failed itself is slowed on that address: every code it types answers 429.
    guesser = phone(web)
    assert try_code(guesser, "ABCDEFH").status_code == 429
    assert try_code(guesser, team.code).status_code == 429
    # Another address is not affected.
    assert try_code(phone(web, "203.0.113.9"), "ABCDEFG").status_code == 400


def test_a_device_over_its_own_budget_still_reaches_its_valid_qr_link(limited, make_round_team):
    """Finding (b) of issue 16: after ten mistyped codes a device answered 429 on its team's correct QR
    link. It still reaches it (not blocked, not delayed); codes it types are refused."""
    web = limited(per_ip=100, per_client=10)
    team = make_round_team()
    device = phone(web)
    for _ in range(10):
        assert try_code(device, "ABCDEFG").status_code == 400
    assert try_code(device, team.code).status_code == 429  # typed: it learns nothing
    assert device.get("/t/ABCDEFG").status_code == 429
    joined = device.get(f"/t/{team.code}")
    assert joined.status_code == 200 and "Start" in joined.text
    person = Respondent(device, team)
    person.start()
    assert person.get(f"/t/{team.code}/p/0").status_code == 200


def test_respondents_already_answering_carry_on_when_their_school_is_over_the_budget(limited, make_round_team):
    web = limited()
    team = make_round_team()
    person = Respondent(phone(web), team)
    person.start()
    for _ in range(8):
        try_code(phone(web), "ABCDEFG")
    assert try_code(phone(web), "ABCDEFG").status_code == 429
    pages = person.pages()
    for number in range(3):
        assert person.moved_on(number, person.answer_page(number, page_values(pages[number], number)))
    assert person.get(f"/t/{team.code}").status_code == 302  # the poster link still leads back to the page
    assert person.submit().status_code == 302


def test_successful_joins_are_never_counted(limited, make_round_team):
    web = limited(per_ip=3, per_client=2)
    team = make_round_team()
    for _ in range(30):  # a whole school behind one address
        client = phone(web)
        assert try_code(client, team.code).status_code == 302
        Respondent(client, team).start()


def test_one_device_gets_a_smaller_budget_than_its_school(limited, make_round_team):
    web = limited(per_ip=50, per_client=3)
    team = make_round_team()
    device = phone(web)
    for _ in range(3):
        assert try_code(device, "ABCDEFG").status_code == 400
    assert try_code(device, team.code).status_code == 429
    assert try_code(phone(web), team.code).status_code == 302  # the colleague next to them joins


@pytest.mark.parametrize("path", ["/t/ABCDEFG", "/t/ABCDEFG/p/0", "/t/not-a-code", "/t/ABCDEFG/review"])
def test_unknown_codes_in_links_count_as_failures(limited, path):
    web = limited(per_ip=4, per_client=100)
    for _ in range(4):
        assert phone(web).get(path).status_code == 404
    assert phone(web).get(path).status_code == 429


def test_failed_resume_codes_are_limited_even_with_a_cookie(limited, make_round_team):
    web = limited(per_ip=100, per_client=3)
    team = make_round_team()
    person = Respondent(phone(web), team)
    person.start()
    resume = person.client.get_cookie(f"spiegel_{team.code}").value.partition(".")[2]
    for _ in range(3):
        token = token_from(person.client.get("/").text)  # a form with the session token (the home page's)
        wrong = person.post(f"/t/{team.code}/resume", {"resume_code": "ABCDEFGH", "csrf_token": token})
        assert wrong.status_code == 400
    token = token_from(person.client.get("/").text)  # a form with the session token (the home page's)
    assert person.post(f"/t/{team.code}/resume", {"resume_code": resume, "csrf_token": token}).status_code == 429
    assert person.get(f"/t/{team.code}/p/0").status_code == 200  # answering goes on


def test_counters_are_shared_by_all_web_workers(limited, make_round_team):
    """Two app instances (two worker processes) on one database add up their counts."""
    worker_1, worker_2 = limited(), limited()
    for worker in (worker_1, worker_2, worker_1, worker_2, worker_1):
        assert try_code(phone(worker), "ABCDEFG").status_code == 400
    assert try_code(phone(worker_2), "ABCDEFG").status_code == 429


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_the_429_page_is_translated(limited, lang):
    web = limited(per_ip=1)
    try_code(phone(web), "ABCDEFG")
    client = phone(web)
    client.get(f"/lang/{lang}")
    response = client.get("/t/ABCDEFG")
    assert response.status_code == 429
    assert TOO_MANY[lang] in response.text


def test_the_budget_comes_back_after_the_window(limited, monkeypatch):
    web = limited(per_ip=2, per_client=100)
    now = [1_800_000_000.0]  # the start of a window
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    for _ in range(2):
        phone(web).get("/t/ABCDEFG")
    assert phone(web).get("/t/ABCDEFG").status_code == 429
    now[0] += 59
    assert phone(web).get("/t/ABCDEFG").status_code == 429
    now[0] += 66  # two windows later: old rows are purged on the next failure
    assert phone(web).get("/t/ABCDEFG").status_code == 404
    fresh()
    rows = db.session.scalars(select(RateLimit)).all()
    assert {row.slot for row in rows} == {int(now[0] // 60)}  # this address and this device, this window


def test_the_window_slides(app, monkeypatch):
    """The previous window's count weighs by how much of it still overlaps the last 60 seconds."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    for _ in range(4):
        ratelimit.record_failure("k", 60)
    now[0] += 30
    assert ratelimit.count("k", 60) == 4
    now[0] += 60  # half-way through the next window
    assert ratelimit.count("k", 60) == pytest.approx(2)
    ratelimit.record_failure("k", 60)
    assert ratelimit.count("k", 60) == pytest.approx(3)
    now[0] += 30
    assert ratelimit.count("k", 60) == pytest.approx(1)


def test_behind_a_trusted_proxy_each_client_address_counts(limited):
    web = limited(per_ip=2, per_client=100, PROXY_FIX_X_FOR=1)
    proxy = "10.0.0.1"
    for _ in range(2):
        phone(web, proxy).get("/t/ABCDEFG", headers={"X-Forwarded-For": "198.51.100.1"})
    assert phone(web, proxy).get("/t/ABCDEFG", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    assert phone(web, proxy).get("/t/ABCDEFG", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 404


def test_the_table_holds_no_ip_address(limited):
    web = limited()
    phone(web).get("/t/ABCDEFG")
    fresh()
    keys = db.session.scalars(select(RateLimit.key)).all()
    assert keys and all(SCHOOL_IP not in key and len(key) == 64 for key in keys)


def test_generic_counter(app):
    """The module on its own, as logins use it: too_many / record_failure / reset."""
    key = "login:user:5"
    assert not ratelimit.too_many(key, 2, 300)
    ratelimit.record_failure(key, 300)
    assert not ratelimit.too_many(key, 2, 300)
    ratelimit.record_failure(key, 300)
    assert ratelimit.too_many(key, 2, 300)
    assert not ratelimit.too_many("login:user:6", 2, 300)
    assert not ratelimit.too_many(key, 2, 60)  # another window length is another counter
    ratelimit.reset(key, 300)
    assert not ratelimit.too_many(key, 2, 300)


def test_can_be_switched_off(app):
    app.config["RATE_LIMIT_ENABLED"] = False
    for _ in range(5):
        ratelimit.record_failure("k", 60)
    assert not ratelimit.too_many("k", 1, 60)
