"""Property-based tests: every form and query-string endpoint answers hostile input with a 4xx or a
form error, never a 500, and stores nothing half-way.

Endpoints: POST /join, GET /lang/<lang>?next=, /t/<code>, /t/<code>/start, /t/<code>/resume,
/t/<code>/p/<n>, /t/<code>/p/<n>/answer, /t/<code>/review, /t/<code>/done, /t/<code>/another, /t/<code>/vote,
/healthz.
"""
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, OpenAnswer, Response
from tests.conftest import fresh
from tests.security.helpers import (
    FUZZ,
    assert_consistent,
    assert_local_redirect,
    bodies,
    check_request,
    csrf_values,
    form_data,
    fuzz_form,
    nasty_text,
    path_segment,
    snapshot,
    token_from,
)
from tests.survey_helpers import page_values

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


def codes_for(world):
    """Team codes as people and attackers type them: right, lower case, spaced, another team's, a
    closed round's, unknown, malformed."""
    a = world.team_a.code
    return st.one_of(st.sampled_from([a, a.lower(), f"{a[:3]} {a[3:]}", f"{a[:3]}-{a[3:]}", world.team_b.code,
                                      world.closed.code, "ABCDEFG", "AAAAAAA", "0O1IL00", a + "A", a[:-1]]),
                     nasty_text())


# -- home: POST /join ---------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_join_form(fuzz_web, world, data):
    client = fuzz_web.test_client()
    response = fuzz_form(data, client, "/join", {"code": codes_for(world)}, csrf_from="/",
                         allowed={302, 400, 413})
    if response.status_code == 302:
        assert response.headers["Location"].rsplit("/", 1)[1] in (world.team_a.code, world.team_b.code,
                                                                  world.closed.code)


@FUZZ
@given(body=bodies(), path=st.sampled_from(["/join", "/t/{a}/start", "/t/{a}/resume", "/t/{a}/p/0",
                                             "/t/{a}/p/1/answer", "/t/{a}/review"]))
def test_wrong_kinds_of_body(fuzz_web, world, body, path):
    """JSON, file uploads, bytes that are not UTF-8, oversized and broken multipart bodies."""
    client = world.person_a.client
    response = check_request(client, "POST", path.format(a=world.team_a.code), **body)
    assert 400 <= response.status_code < 500 or response.status_code in (200, 302)


# -- language switch: GET /lang/<lang>?next= ---------------------------------------------------


@FUZZ
@given(lang=st.one_of(st.sampled_from(["nl", "en", "fr", "de", "NL", ""]), path_segment()),
       target=st.one_of(st.sampled_from(["/", "/t/ABCDEFG", "//evil.example", "/\\evil.example", "\\\\evil.example",
                                         "/\t/evil.example", "http://evil.example/", "https:evil.example",
                                         "javascript:alert(1)", "/%2F%2Fevil.example", " //evil.example",
                                         "/\r\nSet-Cookie: x=1", "\x00/"]), nasty_text()),
       extra=st.dictionaries(st.text(max_size=10), nasty_text(), max_size=2))
def test_language_switch_stays_on_this_site(fuzz_web, world, lang, target, extra):
    client = fuzz_web.test_client()
    response = check_request(client, "GET", f"/lang/{lang}", query_string={**extra, "next": target})
    assert response.status_code in (302, 308, 404, 414)
    assert_local_redirect(response)
    if response.status_code == 302:
        assert "\n" not in response.headers["Location"] and "\r" not in response.headers["Location"]


# -- the respondent flow: /t/<code>/… ------------------------------------------------------------


@FUZZ
@given(data=st.data(), method=st.sampled_from(METHODS),
       sub=st.sampled_from(["", "/start", "/resume", "/p/0", "/p/9999999999999999999999", "/p/-1", "/p/x",
                            "/p/0/answer", "/p/-1/answer", "/p/x/answer", "/review", "/done", "/another", "/nothing"]))
def test_any_code_any_subpage(fuzz_web, world, data, method, sub):
    """Unknown, malformed, huge, other teams' and closed rounds' codes; every method."""
    code = data.draw(st.one_of(codes_for(world).map(lambda c: c.replace("/", "%2F")), path_segment()))
    client = data.draw(st.sampled_from([world.person_a.client, fuzz_web.test_client()]))
    response = check_request(client, method, f"/t/{code}{sub}")
    assert response.status_code in (200, 302, 308, 400, 403, 404, 405, 414)  # 308: "/t//start" → "/t/start"
    assert_local_redirect(response)


@FUZZ
@given(data=st.data())
def test_start(fuzz_web, world, data):
    client = fuzz_web.test_client()
    code = data.draw(st.sampled_from([world.team_a.code, world.team_b.code, world.closed.code]))
    token = token_from(client.get(f"/t/{world.team_a.code}").text)
    form = data.draw(form_data({"role": st.sampled_from(["teacher", "leader", "support", "other"]),
                                "csrf_token": csrf_values(token)}))

    def one_new_response(before, after, response):
        assert len(after["response"]) == len(before["response"]) + 1
        fresh()
        newest = db.session.scalars(select(Response).order_by(Response.id.desc())).first()
        assert newest.role == form["role"] and newest.page == 0 and not newest.answers
        assert newest.round_team.code == code

    response = check_request(client, "POST", f"/t/{code}/start", data=form, may_write=one_new_response)
    assert response.status_code in (302, 400, 403, 413)


@FUZZ
@given(data=st.data())
def test_resume(fuzz_web, world, data):
    """Own code, another team's code, malformed codes. Only the own team's code moves a response."""
    client = fuzz_web.test_client()
    token = token_from(client.get(f"/t/{world.team_a.code}").text)
    own, other = world.resume_a, world.resume_b
    form = data.draw(form_data({
        "resume_code": st.sampled_from([own, own.lower(), f"{own[:4]}-{own[4:]}", other, "ABCDEFGH", own[:-1]]),
        "csrf_token": csrf_values(token)}))

    fresh()
    a_id = db.session.scalar(select(Response.id).where(Response.round_team_id == world.team_a.id))

    def only_the_token_moved(before, after, response):
        assert {k for k in before if before[k] != after[k]} == {"response"}
        fresh()
        assert db.session.get(Response, a_id).token_hash not in "".join(before["response"])

    response = check_request(client, "POST", f"/t/{world.team_a.code}/resume", data=form,
                             may_write=only_the_token_moved)
    assert response.status_code in (302, 400, 413)
    if response.status_code == 302:
        assert form["resume_code"].replace("-", "").upper() == own


def page_fields(pages, number):
    """Field strategies for a page: its own fields with honest or hostile values, and fields of
    other pages (a tampered post)."""
    page = pages[min(number, len(pages) - 1)]
    honest = page_values(page, number)
    fields = {name: st.one_of(st.just(value), st.sampled_from(["1", "2", "3", "4", "5", "dk", " ", "Text"]),
                              nasty_text()) for name, value in honest.items()}
    other = pages[(number + 1) % len(pages)]
    for name in list(page_values(other, number + 1))[:1]:
        fields[name] = st.sampled_from(["1", "3", "dk"])
    fields["action"] = st.sampled_from(["next", "back", "lang-en", "lang-fr", "lang-xx", "submit", "", "next2"])
    return fields, honest


@FUZZ
@given(data=st.data())
def test_question_pages(fuzz_web, world, data):
    person = world.person_a
    pages = person.pages()
    number = data.draw(st.one_of(st.sampled_from([0, len(pages) - 1, len(pages) // 2 + 1]),  # phase, open, items
                                 st.integers(min_value=0, max_value=len(pages) + 5)))
    method = data.draw(st.sampled_from(["GET", "POST"]))
    shown = person.get(f"/t/{world.team_a.code}/p/{min(number, len(pages) - 1)}")
    assert shown.status_code == 200
    fields, honest = page_fields(pages, number)
    fields["csrf_token"] = csrf_values(token_from(shown.text))
    form = data.draw(form_data(fields, extra=data.draw(st.booleans())))
    if data.draw(st.booleans()):  # an honest page now and then, so that saving is exercised too
        form = {**honest, "csrf_token": token_from(shown.text), "action": "next"}

    def exactly_what_was_posted(before, after, response):
        if response.status_code == 200 and 'role="alert"' in response.text:  # expired token: page shown again
            assert after == before
            return
        assert {k for k in before if before[k] != after[k]} <= {"response", "answer", "open_answer"}
        fresh()
        response_id = db.session.scalar(select(Response.id).where(Response.round_team_id == world.team_a.id))
        stored = dict(db.session.execute(select(Answer.item_id, Answer.value).where(
            Answer.response_id == response_id)).all())
        texts = dict(db.session.execute(select(OpenAnswer.question_id, OpenAnswer.text).where(
            OpenAnswer.response_id == response_id)).all())
        for name, value in form.items():
            if name.startswith("item-"):
                assert stored[name.removeprefix("item-")] == (None if value == "dk" else int(value))
            elif name.startswith("open-"):
                assert texts.get(name.removeprefix("open-")) == (value.strip() or None)

    kwargs = {"data": form} if method == "POST" else {"query_string": form}
    # A saved page is answered with the next page (200), or after the last one with a redirect.
    response = check_request(person.client, method, f"/t/{world.team_a.code}/p/{number}",
                             may_write=exactly_what_was_posted if method == "POST" else False,
                             write_statuses=(200, 302, 303), **kwargs)
    assert response.status_code in (200, 302, 400, 404, 413)


@FUZZ
@given(data=st.data())
def test_single_taps(fuzz_web, world, data):
    """POST /t/<code>/p/<n>/answer (survey.js, one tap): honest and hostile fields and values, damaged
    tokens, pages out of range. Stored is exactly the one answer sent, or nothing; the respondent's
    page (where they resume) never moves."""
    person = world.person_a
    pages = person.pages()
    number = data.draw(st.one_of(st.sampled_from([0, len(pages) - 1, len(pages) // 2 + 1]),
                                 st.integers(min_value=-1, max_value=len(pages) + 5)))
    shown = person.get(f"/t/{world.team_a.code}/p/{min(max(number, 0), len(pages) - 1)}")
    fields, honest = page_fields(pages, max(number, 0))
    fields.pop("action")
    fields["csrf_token"] = csrf_values(token_from(shown.text))
    form = data.draw(form_data(fields, extra=data.draw(st.booleans())))
    if data.draw(st.booleans()):  # an honest tap now and then, so that saving is exercised too
        name = data.draw(st.sampled_from(sorted(honest)))
        form = {name: honest[name], "csrf_token": token_from(shown.text)}
    fresh()
    page_before = db.session.scalar(select(Response.page).where(Response.round_team_id == world.team_a.id))

    def exactly_the_one_answer(before, after, response):
        assert response.status_code == 204
        assert {k for k in before if before[k] != after[k]} <= {"response", "answer", "open_answer"}
        fresh()
        stored_response = db.session.scalars(select(Response).where(Response.round_team_id == world.team_a.id)).one()
        assert stored_response.page == page_before and stored_response.furthest_page >= number
        stored = dict(db.session.execute(select(Answer.item_id, Answer.value).where(
            Answer.response_id == stored_response.id)).all())
        texts = dict(db.session.execute(select(OpenAnswer.question_id, OpenAnswer.text).where(
            OpenAnswer.response_id == stored_response.id)).all())
        [(name, value)] = [(k, v) for k, v in form.items() if k not in ("csrf_token", "action")]
        if name.startswith("item-"):
            assert stored[name.removeprefix("item-")] == (None if value == "dk" else int(value))
        elif name.startswith("open-"):
            assert texts.get(name.removeprefix("open-")) == (value.strip() or None)
        else:
            assert name == "phase" and stored_response.phase == (None if value == "dk" else value)

    response = check_request(person.client, "POST", f"/t/{world.team_a.code}/p/{number}/answer", data=form,
                             may_write=exactly_the_one_answer, write_statuses=(204,))
    assert response.status_code in (204, 400, 403, 404, 413)


@FUZZ
@given(data=st.data())
def test_review(fuzz_web, world, data):
    person = world.person_b
    method = data.draw(st.sampled_from(["GET", "POST"]))
    shown = person.get(f"/t/{world.team_b.code}/review")
    assert shown.status_code in (200, 302)
    token = token_from(shown.text) if shown.status_code == 200 else "x"
    form = data.draw(form_data({"action": st.sampled_from(["submit", "back", "next", ""]),
                                "csrf_token": csrf_values(token)}))

    def submitted_or_nothing(before, after, response):
        changed = {k for k in before if before[k] != after[k]}
        assert changed <= {"response"}
        if changed:
            assert response.headers["Location"].endswith("/done")

    kwargs = {"data": form} if method == "POST" else {"query_string": form}
    response = check_request(person.client, method, f"/t/{world.team_b.code}/review",
                             may_write=submitted_or_nothing, **kwargs)
    assert response.status_code in (200, 302, 400, 413)


@FUZZ
@given(data=st.data())
def test_another(fuzz_web, world, data):
    """"Someone else on this phone" changes nothing in the database: it only drops this device's cookie
    after sending, and never a response still being answered."""
    person = world.person_a  # never sends (the other tests need its cookie): "another" must keep it
    code = person.round_team.code
    token = token_from(person.get(f"/t/{code}/review").text) if data.draw(st.booleans()) else "x"
    form = data.draw(form_data({"csrf_token": csrf_values(token)}))
    response = check_request(person.client, "POST", f"/t/{code}/another", data=form)
    assert response.status_code in (302, 400, 413)
    if response.status_code == 302:  # not sent yet: back to where the response is, cookie kept
        assert "/t/" in response.headers["Location"]
        assert person.get(f"/t/{code}").status_code == 302


@FUZZ
@given(data=st.data())
def test_vote(fuzz_web, world, data):
    """The focus vote on a phone: any code, choices and token answer with a page or a 4xx, never a 500;
    a device's votes count once, at most three of them, only for the vote's candidates."""
    from spiegel.survey import votes
    from spiegel.survey.models import Ballot, Tally

    if votes.vote_of(world.team_a.id) is None:
        votes.open_vote(world.team_a, ["I3", "S1", "P2"])
    phone = fuzz_web.test_client()
    code = data.draw(codes_for(world), label="code")
    page = phone.get(f"/t/{path_segment_safe(code)}/vote")
    token = token_from(page.text) if page.status_code == 200 and "csrf_token" in page.text else "x"
    choices = data.draw(st.lists(st.one_of(st.sampled_from(["I3", "S1", "P2", "R3", "Z9", ""]), nasty_text()),
                                 max_size=5), label="choices")
    form = data.draw(form_data({"csrf_token": csrf_values(token)}))
    for choice in choices:
        form.add("elements", choice)
    response = check_request(phone, "POST", f"/t/{path_segment_safe(code)}/vote", data=form)
    assert response.status_code in (200, 308, 400, 404, 405, 409, 413)  # 405/308: a code with "/" in it is another path
    fresh()
    ballots = db.session.query(Ballot).count()
    counts = dict(db.session.execute(select(Tally.element_id, Tally.count)).all())
    assert set(counts) == {"I3", "S1", "P2"} and sum(counts.values()) <= 3 * ballots


def path_segment_safe(code: str) -> str:
    from urllib.parse import quote
    return quote(code, safe="")


@FUZZ
@given(query=st.dictionaries(st.text(max_size=20), nasty_text(), max_size=4), method=st.sampled_from(METHODS))
def test_healthz(fuzz_web, world, query, method):
    response = check_request(fuzz_web.test_client(), method, "/healthz", query_string=query)
    if method in ("GET", "HEAD"):
        assert response.status_code in (200, 414)
        if method == "GET" and response.status_code == 200:
            assert response.get_json() == {"status": "ok", "database": "ok"}
    else:
        assert response.status_code in (405, 200)  # OPTIONS is answered by Flask


# -- another team's identity ---------------------------------------------------------------------


def test_another_teams_cookie_opens_nothing(fuzz_web, world):
    """B's respondent cookie, copied under A's cookie name, is not an answer list of team A."""
    b_cookie = world.person_b.client.get_cookie(f"spiegel_{world.team_b.code}").value
    client = fuzz_web.test_client()
    client.set_cookie(f"spiegel_{world.team_a.code}", b_cookie, domain="localhost")
    before = snapshot()
    for path in ("", "/p/0", "/review"):
        response = client.get(f"/t/{world.team_a.code}{path}")
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response.headers["Location"].endswith(f"/t/{world.team_a.code}")
    token = token_from(client.get(f"/t/{world.team_a.code}").text)
    response = client.post(f"/t/{world.team_a.code}/p/0", data={"csrf_token": token, "phase": "IMP"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{world.team_a.code}")
    response = client.post(f"/t/{world.team_a.code}/review", data={"csrf_token": token, "action": "submit"})
    assert response.status_code == 302
    assert snapshot() == before
    assert_consistent()


def test_a_respondents_cookie_for_another_team_code_is_ignored(fuzz_web, world):
    """A's cookie sent to B's code (the cookie path is not the check: the team is)."""
    a_cookie = world.person_a.client.get_cookie(f"spiegel_{world.team_a.code}").value
    client = fuzz_web.test_client()
    client.set_cookie(f"spiegel_{world.team_b.code}", a_cookie, domain="localhost")
    response = client.get(f"/t/{world.team_b.code}/p/0")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{world.team_b.code}")


def test_nul_character_in_an_open_answer_is_refused_whole(fuzz_web, world):
    """PostgreSQL cannot store NUL: the page answers 400 and stores none of its answers."""
    person = world.person_a
    pages = person.pages()
    number = len(pages) - 1
    values = {name: "Meer tijd\x00samen" for name in page_values(pages[number], number)}
    shown = person.get(f"/t/{world.team_a.code}/p/{number}")
    response = check_request(person.client, "POST", f"/t/{world.team_a.code}/p/{number}",
                             data={**values, "csrf_token": token_from(shown.text), "action": "next"})
    assert response.status_code == 400
