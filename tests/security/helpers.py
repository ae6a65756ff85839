"""Reusable checks for hostile input: any endpoint, any form, answers 4xx or a form error — never a
500 — and leaves the database either untouched or consistent.

    check_request(client, "POST", "/join", data={"code": "…"})          # one request
    form_data({"code": st.just("ABC"), "csrf_token": csrf_values(token)})  # a strategy of posted forms

Use them from hypothesis tests for new endpoints (plans, reports, admin): give the endpoint and a
strategy for its fields; check_request asserts "no 500" and "no partial write". fuzz_form does both
in one line:

    @FUZZ
    @given(data=st.data())
    def test_plan_form(staff_client, data):
        fuzz_form(data, staff_client, "/plans/1", {"focus": st.text()}, csrf_from="/plans/1",
                  allowed={200, 302, 400, 404})
"""
from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from html import unescape
from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from spiegel.instrument.model import PHASES
from spiegel.shared.extensions import db
from spiegel.survey.models import ROLES, Answer, OpenAnswer, Response
from spiegel.survey.pages import build_pages
from spiegel.survey.services import MAX_OPEN_ANSWER
from tests.conftest import fresh

# Bounded, so that the whole suite stays fast; deadline off because a request's time varies with load.
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
# Tables whose rows may change on a refused request or a look: counters of failed attempts, and the
# stored scoring of released results (a cache any look at the results may fill).
IGNORED_TABLES = {"rate_limit", "scored_round"}

NASTY = [
    "", " ", "0", "-1", "1.5", "99999999999999999999", "1e309", "NaN", "null", "None", "true", "[]", "{}",
    "\x00", "a\x00b", "\r\n", "\t", "%00", "%", "%%", "../../etc/passwd", "/", "//evil.example", "\\",
    "' OR 1=1 --", "\"; DROP TABLE response; --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "{{ 7*7 }}", "{% raw %}", "${7*7}", "😀" * 20, "\u202e", "\ufeff", "ＡＢＣ", "ß", "İ", "ÿ\x80",
    "dk", "lang-xx", "lang-", "back", "next", "submit", "teacher ", "TEACHER",
]


def nasty_text() -> st.SearchStrategy[str]:
    """One form value: short random text, a known-nasty value, a number, or a huge string."""
    return st.one_of(
        st.text(max_size=40),
        st.sampled_from(NASTY),
        st.integers().map(str),
        st.integers(min_value=500, max_value=80_000).map(lambda n: "A" * n),
    )


def form_data(fields: dict[str, st.SearchStrategy[str]], extra: bool = True) -> st.SearchStrategy[MultiDict]:
    """A posted form: each known field missing, once, or repeated (each value from its strategy or
    nasty), plus (when extra) unknown fields."""

    @st.composite
    def build(draw):
        data = MultiDict()
        for name, strategy in fields.items():
            times = draw(st.sampled_from([0, 1, 1, 1, 1, 2]))
            for _ in range(times):
                data.add(name, draw(st.one_of(strategy, nasty_text()) if draw(st.booleans()) else strategy))
        if extra:
            for name in draw(st.lists(st.one_of(st.text(min_size=1, max_size=20), st.sampled_from(
                    ["csrf_token", "action", "phase", "role", "code", "resume_code", "item-", "open-", "item-X"])),
                    max_size=3)):
                data.add(name, draw(nasty_text()))
        return data

    return build()


def csrf_values(token: str) -> st.SearchStrategy[str]:
    """A CSRF token field: the real one most of the time, otherwise a damaged one."""
    return st.one_of(st.just(token), st.just(token), st.just(token[:-2]), st.just(token + "x"),
                     st.just(token.split(".")[0]))


def path_segment() -> st.SearchStrategy[str]:
    """A URL path segment, percent-encoded: random text, nasty values, huge strings."""
    return st.one_of(st.text(min_size=1, max_size=30), st.sampled_from([v for v in NASTY if v]),
                     st.integers(min_value=1000, max_value=20_000).map(lambda n: "Z" * n)).map(
        lambda s: quote(s, safe=""))


def bodies() -> st.SearchStrategy[dict]:
    """Request bodies of the wrong kind for a form endpoint: JSON, a file upload, raw bytes that are
    not UTF-8, a body larger than MAX_CONTENT_LENGTH. Returns keyword arguments for client.open."""
    return st.one_of(
        st.builds(lambda v: {"data": json.dumps(v), "content_type": "application/json"},
                  st.dictionaries(st.text(max_size=10), st.one_of(st.integers(), st.text(max_size=10)), max_size=3)),
        st.builds(lambda name: {"data": {name: (io.BytesIO(b"\x89PNG\r\n"), "x.png")},
                                "content_type": "multipart/form-data"},
                  st.sampled_from(["code", "role", "resume_code", "phase", "action", "csrf_token", "file"])),
        st.builds(lambda raw: {"data": raw, "content_type": "application/x-www-form-urlencoded"},
                  st.binary(max_size=200)),
        st.just({"data": b"a=" + b"B" * 70_000, "content_type": "application/x-www-form-urlencoded"}),
        st.just({"data": b"--xx\r\nbroken", "content_type": "multipart/form-data; boundary=xx"}),
    )


def snapshot() -> dict[str, list]:
    """Every row of every table (except counters), to compare before and after a request."""
    fresh()
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name in IGNORED_TABLES:
            continue
        rows[table.name] = sorted(map(repr, db.session.execute(select(table)).all()))
    fresh()
    return rows


def assert_consistent() -> None:
    """What respondents stored is whole and valid: known roles, languages, pages, items, values."""
    fresh()
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    per_page = current_app.config["ITEMS_PER_PAGE"]
    for response in db.session.scalars(select(Response)):
        pages = build_pages(response.round_team.round.instrument_modules(), response.role, per_page)
        items = {item.id for page in pages for item in page.items}
        questions = {q.id for page in pages for q in page.questions}
        assert response.role in ROLES
        assert response.language in languages
        assert 0 <= response.page <= len(pages)
        assert response.phase is None or response.phase in PHASES
        for answer in db.session.scalars(select(Answer).where(Answer.response_id == response.id)):
            assert answer.item_id in items, answer.item_id
            assert answer.value is None or 1 <= answer.value <= 5
        for open_answer in db.session.scalars(select(OpenAnswer).where(OpenAnswer.response_id == response.id)):
            assert open_answer.question_id in questions
            assert 0 < len(open_answer.text) <= MAX_OPEN_ANSWER and "\x00" not in open_answer.text
    fresh()


def check_request(client, method: str, path: str, *, may_write: bool | Callable = False,
                  write_statuses=(301, 302, 303), **kwargs):
    """Send one request; assert it did not fail on our side (no 5xx), and that it changed nothing
    unless it succeeded (a status in write_statuses: post/redirect/get) and may_write allows it (True,
    or a callable(before, after, response) that asserts what may change). A refusal (4xx) or a form
    shown again with errors (200) stores nothing. The database must be consistent afterwards."""
    before = snapshot()
    response = client.open(path, method=method, **kwargs)
    assert response.status_code < 500, (method, path, response.status_code, response.get_data(as_text=True)[:500])
    after = snapshot()
    if response.status_code not in write_statuses or not may_write:
        assert after == before, f"{method} {path} → {response.status_code} changed the database"
    elif callable(may_write):
        may_write(before, after, response)
    assert_consistent()
    return response


def assert_local_redirect(response) -> None:
    """A redirect stays on this site however a browser reads the Location (backslashes count as
    slashes, tabs and newlines are dropped)."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return
    location = response.headers["Location"]
    browser = re.sub(r"[\t\r\n]", "", location).replace("\\", "/").strip()
    host = "http://localhost"
    if browser.startswith(host):
        browser = browser[len(host):]
    assert browser.startswith("/") and not browser.startswith("//"), location


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return unescape(match.group(1) or match.group(2))


def fuzz_form(data, client, path: str, fields: dict[str, st.SearchStrategy[str]], *, method: str = "POST",
              csrf_from: str | None = None, extra: bool = True, may_write: bool | Callable = False,
              allowed: set[int] | None = None):
    """Inside a hypothesis test with `data=st.data()`: draw one hostile version of a form (fields
    missing, repeated, nasty, huge, plus unknown fields; the CSRF token from the page csrf_from,
    sometimes damaged) and check it with check_request. Returns the response."""
    fields = dict(fields)
    if csrf_from is not None:
        fields["csrf_token"] = csrf_values(token_from(client.get(csrf_from).get_data(as_text=True)))
    form = data.draw(form_data(fields, extra=extra), label="form")
    kwargs = {"data": form} if method in ("POST", "PUT", "PATCH") else {"query_string": form}
    response = check_request(client, method, path, may_write=may_write, **kwargs)
    if allowed is not None:
        assert response.status_code in allowed, (path, response.status_code)
    return response
