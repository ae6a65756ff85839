"""Security headers on every kind of response, cookie flags, and the request size limit."""
import re
from http.cookies import SimpleCookie

import pytest

from tests.security.helpers import token_from
from tests.security.test_templates_csp import inline_code_problems
from tests.survey_helpers import Respondent, page_values

SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            directives[name.lower()] = values
    return directives


def assert_secure_headers(response, what: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy")
    assert csp, f"{what}: no Content-Security-Policy"
    directives = csp_directives(csp)
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, what
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts and not {"*", "data:", "http:", "https:", "blob:"} & set(scripts), what
    assert directives.get("default-src") == ["'self'"], what
    assert directives.get("frame-ancestors") == ["'none'"], what
    assert directives.get("object-src") == ["'none'"], what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("Referrer-Policy") in SAFE_REFERRER_POLICIES, what
    if response.mimetype == "text/html":
        problems = inline_code_problems(response.get_data(as_text=True))
        assert not problems, f"{what}: {problems}"


@pytest.fixture
def responses(make_web, make_round_team):
    """One response of every kind a respondent or a browser can get."""
    web = make_web(CODE_FAILURES_PER_IP=1000, CODE_FAILURES_PER_CLIENT=1)

    @web.get("/test-only-boom")
    def boom():
        raise RuntimeError("boom")

    team = make_round_team()
    closed = make_round_team(status="closed", team="Team C")
    client = web.test_client()
    person = Respondent(client, team)
    got = {"home": client.get("/"), "join page": client.get(f"/t/{team.code}")}
    got["start (redirect)"] = person.start()
    pages = person.pages()
    got["questions page"] = client.get(f"/t/{team.code}/p/1")
    got["phase page"] = client.get(f"/t/{team.code}/p/0")
    got["open-questions page"] = client.get(f"/t/{team.code}/p/{len(pages) - 1}")
    got["page save (the next page)"] = person.answer_page(0, page_values(pages[0], 0))
    got["review"] = client.get(f"/t/{team.code}/review")
    person.submit()
    got["done"] = client.get(f"/t/{team.code}/done")
    got["closed round (403)"] = client.get(f"/t/{closed.code}")
    got["language switch (redirect)"] = web.test_client().get("/lang/en?next=/")
    got["unknown page (404)"] = client.get("/nothing-here")
    got["unknown team code (404)"] = client.get("/t/ABCDEFG")
    got["wrong method (405)"] = client.post("/healthz")
    got["expired form (400)"] = client.post(f"/t/{team.code}/start", data={"role": "teacher"})
    got["form error (400)"] = client.post("/join", data={"code": "", "csrf_token": token_from(got["home"].text)})
    got["too large (413)"] = client.post("/join", data={"code": "A" * 100_000})
    other = web.test_client()
    other.get("/t/ABCDEFG")
    got["too many attempts (429)"] = other.get("/t/ABCDEFG")
    got["server error (500)"] = client.get("/test-only-boom")
    got["health (JSON)"] = client.get("/healthz")
    got["stylesheet (static)"] = client.get("/static/spiegel.css")
    got["missing static file (404)"] = client.get("/static/nothing.js")
    for response in got.values():
        response.get_data()
        response.close()  # a static file's handle is closed, not left to the garbage collector
    return got


EXPECTED_STATUS = {"start (redirect)": 302, "language switch (redirect)": 302,
                   "closed round (403)": 403, "unknown page (404)": 404, "unknown team code (404)": 404,
                   "wrong method (405)": 405, "expired form (400)": 400, "form error (400)": 400,
                   "too large (413)": 413, "too many attempts (429)": 429, "server error (500)": 500,
                   "missing static file (404)": 404}


def test_every_response_has_the_security_headers(responses):
    assert len(responses) >= 20
    for what, response in responses.items():
        assert response.status_code == EXPECTED_STATUS.get(what, 200), (what, response.status_code)
        assert_secure_headers(response, what)
    assert responses["health (JSON)"].is_json and responses["stylesheet (static)"].mimetype == "text/css"


def test_error_pages_are_ours_and_translated(responses):
    for what in ("too large (413)", "too many attempts (429)", "server error (500)", "wrong method (405)"):
        text = responses[what].text
        assert "Spiegel" in text and "Traceback" not in text and 'lang="nl"' in text, what
    assert "Te veel pogingen" in responses["too many attempts (429)"].text
    assert "te groot" in responses["too large (413)"].text
    assert responses["wrong method (405)"].headers["Allow"]


def set_cookies(response) -> dict[str, dict]:
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            flags = {k.lower() for k in re.findall(r";\s*([A-Za-z-]+)", header)}
            cookies[name] = {"samesite": morsel["samesite"], "flags": flags}
    return cookies


@pytest.mark.parametrize("secure", [False, True])
def test_cookies_are_http_only_same_site_and_secure_when_configured(make_web, make_round_team, secure):
    web = make_web(SESSION_COOKIE_SECURE=secure)
    team = make_round_team()
    client = web.test_client()
    session_cookie = set_cookies(client.get("/lang/en"))["session"]
    person = Respondent(client, team)
    respondent_cookie = set_cookies(person.start())[f"spiegel_{team.code}"]
    for cookie in (session_cookie, respondent_cookie):
        assert "httponly" in cookie["flags"]
        assert cookie["samesite"] == "Lax"
        assert ("secure" in cookie["flags"]) is secure


def test_secure_cookies_can_be_set_from_the_environment(monkeypatch, database_url):
    from spiegel import create_app

    monkeypatch.setenv("SPIEGEL_SESSION_COOKIE_SECURE", "true")
    app = create_app({"DATABASE_URL": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_request_size_limit(make_web, make_round_team):
    web = make_web()
    team = make_round_team()
    client = web.test_client()
    person = Respondent(client, team)
    person.start()
    limit = web.config["MAX_CONTENT_LENGTH"]
    assert limit <= 64 * 1024
    assert client.post("/join", data={"code": "A" * limit}).status_code == 413
    # The page view reads the form itself (CSRF-exempt): the limit holds there too, and nothing is saved.
    assert client.post(f"/t/{team.code}/p/0", data={"phase": "IMP", "x": "A" * limit}).status_code == 413


def test_the_largest_honest_page_fits_under_the_limit(make_web, make_round_team):
    """Every open answer at its maximum length in 4-byte characters is still under the size limit."""
    web = make_web()
    team = make_round_team()
    person = Respondent(web.test_client(), team)
    person.start()
    pages = person.pages()
    for number, page in enumerate(pages):
        values = page_values(page, number)
        if page.kind == "open":
            values = {name: "😀" * 2000 for name in values}
        assert person.moved_on(number, person.answer_page(number, values)), number
