"""The respondent flow through the Flask test client, in all three languages."""
from html import unescape

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, OpenAnswer, Response
from tests.conftest import fresh
from tests.survey_helpers import Respondent, csrf_token, page_values, shown_page

LANGS = ["nl", "en", "fr"]
# One phrase per language from the pages, to prove the page came out in that language.
WELCOME = {"nl": "Welkom, team", "en": "Welcome, team", "fr": "Bienvenue, équipe"}
THANKS = {"nl": "Bedankt!", "en": "Thank you!", "fr": "Merci !"}
UNKNOWN = {"nl": "We kennen deze teamcode niet", "en": "We do not know this team code",
           "fr": "Nous ne connaissons pas ce code d'équipe"}
CLOSED = {"nl": "Deze vragenlijst is afgesloten", "en": "This questionnaire is closed",
          "fr": "Ce questionnaire est clôturé"}
UPCOMING = {"nl": "Deze vragenlijst is nog niet geopend", "en": "This questionnaire has not opened yet",
            "fr": "Ce questionnaire n'est pas encore ouvert"}
EXPIRED = {"nl": "sessie was verlopen", "en": "session had expired", "fr": "session avait expiré"}


def answers_of(response_id):
    fresh()
    rows = db.session.execute(select(Answer.item_id, Answer.value).where(Answer.response_id == response_id))
    return dict(rows.all())


def open_answers():
    fresh()
    return dict(db.session.execute(select(OpenAnswer.question_id, OpenAnswer.text)).all())


def only_response():
    fresh()
    [response] = db.session.scalars(select(Response)).all()
    return response


@pytest.mark.parametrize("lang", LANGS)
def test_complete_flow_stores_every_answer(client, make_round_team, lang):
    round_team = make_round_team(language="nl")
    person = Respondent(client, round_team, role="teacher", language=lang)
    assert WELCOME[lang] in person.get(f"/t/{round_team.code}").text
    person.start()
    pages = person.pages()
    expected = {}
    for number, page in enumerate(pages):
        values = page_values(page, number)
        response = person.answer_page(number, values)
        if number < len(pages) - 1:  # the answer is the next page itself
            assert shown_page(response) == f"/t/{round_team.code}/p/{number + 1}"
        else:
            assert response.status_code == 302
        expected.update({k.removeprefix("item-"): (None if v == "dk" else int(v))
                         for k, v in values.items() if k.startswith("item-")})
    assert response.headers["Location"].endswith(f"/t/{round_team.code}/review")
    done = person.submit()
    assert done.status_code == 302
    assert THANKS[lang] in person.get(done.headers["Location"]).text

    stored = only_response()
    assert stored.submitted_on is not None and stored.role == "teacher" and stored.language == lang
    assert stored.phase == "IMP"
    assert answers_of(stored.id) == expected
    assert len(expected) == sum(len(p.items) for p in pages) > 50
    opens = db.session.scalars(select(OpenAnswer.question_id)).all()
    assert len(opens) == sum(len(p.questions) for p in pages) >= 2


def test_respondent_tables_hold_no_personal_data(app):
    columns = {c.name for c in Response.__table__.columns}
    assert not columns & {"name", "email", "ip", "ip_address", "user_agent", "created_at", "submitted_at"}
    assert str(Response.__table__.c.submitted_on.type) == "DATE"  # the day, no finer timestamp


def test_phone_language_beats_the_rounds_and_an_explicit_choice_beats_both(client, make_round_team):
    round_team = make_round_team(language="nl")
    # A phone that asks for no language of ours gets the round's.
    assert WELCOME["nl"] in client.get(f"/t/{round_team.code}", headers={"Accept-Language": "de"}).text
    # A fr-BE phone scanning the poster of a Dutch round lands in French...
    assert WELCOME["fr"] in client.get(f"/t/{round_team.code}", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).text
    # ...and a choice on the first screen wins over both.
    client.get(f"/lang/en?next=/t/{round_team.code}")
    assert WELCOME["en"] in client.get(f"/t/{round_team.code}", headers={"Accept-Language": "fr-BE"}).text


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_code_says_so_in_the_users_language(client, lang):
    response = client.get("/t/ZZZZZZZ", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert UNKNOWN[lang] in unescape(response.text)
    home = client.get("/", headers={"Accept-Language": lang})
    response = client.post("/join", data={"csrf_token": csrf_token(home.text), "code": "zzz-zzzz"},
                           headers={"Accept-Language": lang})
    assert response.status_code == 400 and UNKNOWN[lang] in unescape(response.text)


def test_home_form_accepts_lowercase_code_with_spaces(client, make_round_team):
    round_team = make_round_team()
    home = client.get("/")
    typed = f" {round_team.code[:3].lower()} {round_team.code[3:].lower()} "
    response = client.post("/join", data={"csrf_token": csrf_token(home.text), "code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{round_team.code}")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("status, texts", [("closed", CLOSED), ("upcoming", UPCOMING)])
def test_closed_and_upcoming_rounds_get_a_clear_page(client, make_round_team, lang, status, texts):
    round_team = make_round_team(status=status, language=lang)
    response = client.get(f"/t/{round_team.code}")
    assert response.status_code == 403
    assert texts[lang] in unescape(response.text)
    assert client.get(f"/t/{round_team.code}/p/0").status_code == 403


def test_resume_on_same_device_by_cookie(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    pages = person.pages()
    for number in range(3):
        person.answer_page(number, page_values(pages[number], number))
    # Reopening the join link (a closed tab, a locked phone) lands on the page they were on.
    again = client.get(f"/t/{round_team.code}")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/t/{round_team.code}/p/3")


def test_resume_on_another_device_by_code(web, make_round_team):
    round_team = make_round_team()
    phone = Respondent(web.test_client(), round_team)
    phone.start()
    first = phone.get(f"/t/{round_team.code}/p/0?new=1").text
    code = first.split("resume-hint\">")[1].split("</strong>")[0].split(">")[-1].strip()
    pages = phone.pages()
    values = page_values(pages[1], 1)
    phone.answer_page(0, page_values(pages[0], 0))
    phone.answer_page(1, values)

    laptop = Respondent(web.test_client(), round_team)
    join = laptop.get(f"/t/{round_team.code}")
    resumed = laptop.post(f"/t/{round_team.code}/resume",
                          {"csrf_token": csrf_token(join.text), "resume_code": code.lower()})
    assert resumed.status_code == 302 and resumed.headers["Location"].endswith("/p/2")
    # The earlier answers are there, filled in.
    back = laptop.get(f"/t/{round_team.code}/p/1").text
    for name, value in values.items():
        assert f'name="{name}" value="{value}" checked' in back
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_wrong_resume_code_is_a_form_error(client, make_round_team):
    round_team = make_round_team()
    join = client.get(f"/t/{round_team.code}")
    response = client.post(f"/t/{round_team.code}/resume",
                           data={"csrf_token": csrf_token(join.text), "resume_code": "ABCD-EFGH"})
    assert response.status_code == 400
    assert "hoort bij geen enkele antwoordlijst" in response.text


def test_double_submit_and_back_after_submit(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    person.answer_page(0, page_values(person.pages()[0], 0))
    review = person.get(f"/t/{round_team.code}/review")
    token = csrf_token(review.text)
    first = person.post(f"/t/{round_team.code}/review", {"csrf_token": token, "action": "submit"})
    second = person.post(f"/t/{round_team.code}/review", {"csrf_token": token, "action": "submit"})
    assert first.status_code == second.status_code == 302
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    # Going back after submitting shows the thank-you page, and posting an old page changes nothing.
    assert person.get(f"/t/{round_team.code}/p/0").headers["Location"].endswith("/done")
    stale = person.post(f"/t/{round_team.code}/p/0", {"csrf_token": token, "item-I1.1": "1"})
    assert stale.status_code == 302
    assert only_response().submitted_on is not None


def test_double_tap_on_a_page_stores_each_answer_once(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    page = person.pages()[1]
    values = page_values(page, 1)
    html = person.get(f"/t/{round_team.code}/p/1").text
    for _ in range(2):
        response = person.post(f"/t/{round_team.code}/p/1", {"csrf_token": csrf_token(html), "action": "next", **values})
        assert shown_page(response) == f"/t/{round_team.code}/p/2"
    changed = dict(values)
    first_item = next(k for k in values if k.startswith("item-"))
    changed[first_item] = "dk"
    person.post(f"/t/{round_team.code}/p/1", {"csrf_token": csrf_token(html), "action": "next", **changed})
    stored = answers_of(only_response().id)
    assert len(stored) == len(page.items)
    assert stored[first_item.removeprefix("item-")] is None


@pytest.mark.parametrize("lang", LANGS)
def test_expired_csrf_keeps_typed_answers_and_stores_nothing(client, make_round_team, lang):
    round_team = make_round_team(language=lang)
    person = Respondent(client, round_team)
    person.start()
    page = person.pages()[1]
    values = page_values(page, 1)
    response = person.post(f"/t/{round_team.code}/p/1", {"csrf_token": "expired", "action": "next", **values})
    assert response.status_code == 200
    assert EXPIRED[lang] in response.text
    for name, value in values.items():
        if name.startswith("item-"):
            assert f'name="{name}" value="{value}" checked' in response.text
    assert answers_of(only_response().id) == {}
    # Pressing the button again (with the fresh token) saves.
    again = person.post(f"/t/{round_team.code}/p/1",
                        {"csrf_token": csrf_token(response.text), "action": "next", **values})
    assert shown_page(again) == f"/t/{round_team.code}/p/2"
    assert len(answers_of(only_response().id)) == len(page.items)


@pytest.mark.parametrize("tamper", [
    {"value": "6"}, {"value": "0"}, {"value": "-1"}, {"value": "3.5"}, {"value": ""}, {"value": "<b>"},
    {"field": "item-NOPE.1"}, {"field": "item-BV1.1"}, {"field": "open-policy.open1"}, {"field": "phase"},
    {"field": "something"},
])
def test_tampered_values_and_ids_are_rejected_and_nothing_is_stored(client, make_round_team, tamper):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    page = person.pages()[1]
    values = page_values(page, 1)
    first_item = next(k for k in values if k.startswith("item-"))
    if "value" in tamper:
        values[first_item] = tamper["value"]
    else:
        values[tamper["field"]] = "3"
    response = person.answer_page(1, values)
    assert response.status_code == 400
    assert answers_of(only_response().id) == {}
    assert only_response().page == 0


def test_repeated_field_is_rejected(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    page = person.pages()[1]
    html = person.get(f"/t/{round_team.code}/p/1").text
    item = f"item-{page.items[0].id}"
    response = client.post(f"/t/{round_team.code}/p/1",
                           data=MultiDict([("csrf_token", csrf_token(html)), (item, "1"), (item, "5")]))
    assert response.status_code == 400
    assert answers_of(only_response().id) == {}


def test_oversized_post_is_refused(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    html = person.get(f"/t/{round_team.code}/p/0").text
    response = person.post(f"/t/{round_team.code}/p/0", {"csrf_token": csrf_token(html), "x": "a" * 200_000})
    assert response.status_code == 413
    assert answers_of(only_response().id) == {}


def test_page_out_of_range_is_404(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    assert person.get(f"/t/{round_team.code}/p/999").status_code == 404


def test_pages_without_cookie_send_to_the_join_page(client, make_round_team):
    round_team = make_round_team()
    response = client.get(f"/t/{round_team.code}/p/0")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{round_team.code}")


def test_switching_language_on_a_page_saves_it_first(client, make_round_team):
    round_team = make_round_team(language="nl")
    person = Respondent(client, round_team)
    person.start()
    page = person.pages()[1]
    values = page_values(page, 1)
    response = person.answer_page(1, values, action="lang-fr")
    assert shown_page(response) == f"/t/{round_team.code}/p/1"
    assert '<html lang="fr">' in response.text
    for name, value in values.items():  # the same page, in French, with what was just saved
        if name.startswith("item-"):
            assert f'name="{name}" value="{value}" checked' in response.text
    assert len(answers_of(only_response().id)) == len(page.items)
    assert 'lang="fr"' in person.get(f"/t/{round_team.code}/p/1").text
    assert only_response().language == "fr"


def test_going_back_keeps_answers_and_moves_the_resume_point(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    pages = person.pages()
    person.answer_page(0, page_values(pages[0], 0))
    values = page_values(pages[1], 1)
    response = person.answer_page(1, values, action="back")
    assert shown_page(response) == f"/t/{round_team.code}/p/0"
    assert 'value="IMP" checked' in response.text  # page 0 again, with its saved phase
    assert len(answers_of(only_response().id)) == len(pages[0].items) + len(pages[1].items)
    assert only_response().page == 0


def test_changed_and_cleared_answers_replace_what_was_saved(client, make_round_team):
    # Every part of a page save: item answers (a value, then "don't know"), open answers (typed, changed,
    # then cleared: the row goes) and the phase, saved again over what the page held before.
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    pages = person.pages()
    last = len(pages) - 1
    [question, *_] = pages[last].questions
    item = pages[1].items[0]
    person.answer_page(0, page_values(pages[0], 0))
    person.answer_page(0, {**page_values(pages[0], 0), "phase": "INI"})
    person.answer_page(1, {**page_values(pages[1], 1), f"item-{item.id}": "5"})
    assert answers_of(only_response().id)[item.id] == 5
    person.answer_page(1, {**page_values(pages[1], 1), f"item-{item.id}": "dk"})
    assert answers_of(only_response().id)[item.id] is None and only_response().phase == "INI"
    person.answer_page(last, {**page_values(pages[last], last), f"open-{question.id}": "  first  "})
    assert open_answers()[question.id] == "first"
    person.answer_page(last, {**page_values(pages[last], last), f"open-{question.id}": "second"})
    assert open_answers()[question.id] == "second"
    person.answer_page(last, {**page_values(pages[last], last), f"open-{question.id}": "   "})
    assert question.id not in open_answers() and len(open_answers()) == len(pages[last].questions) - 1
    assert only_response().phase == "INI" and only_response().furthest_page == last


def checked(html, values):
    return all(f'name="{name}" value="{value}" checked' in html for name, value in values.items() if name.startswith("item-"))


def test_pages_answered_before_are_shown_filled_after_going_back(client, make_round_team):
    # Pages after the furthest one saved are shown without looking for answers: going back twice and
    # forward again must still show what was saved, though the respondent is now behind it.
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    pages = person.pages()
    values = {n: page_values(pages[n], n) for n in range(5)}
    for n in range(4):
        person.answer_page(n, values[n])
    assert checked(person.answer_page(3, values[3], action="back").text, values[2])
    assert checked(person.answer_page(2, values[2], action="back").text, values[1])
    assert only_response().page == 1 and only_response().furthest_page == 3
    forward = person.answer_page(1, values[1])
    assert shown_page(forward) == f"/t/{round_team.code}/p/2" and checked(forward.text, values[2])
    assert checked(person.get(f"/t/{round_team.code}/p/3").text, values[3])
    assert " checked" not in person.get(f"/t/{round_team.code}/p/4").text  # never answered
    assert only_response().furthest_page == 3


def test_answers_stored_outside_the_questionnaire_are_shown(client, make_round_team):
    # Responses from before furthest_page existed, demo data or imports: "may have answers on any page".
    from spiegel.shared.db import MAX_ID

    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    pages = person.pages()
    item = pages[3].items[0]
    response = only_response()
    db.session.add(Answer(response_id=response.id, item_id=item.id, value=4))
    response.furthest_page = MAX_ID
    other = Response(round_team_id=response.round_team_id, role="teacher", language="nl", token_hash="t" * 64,
                     resume_hash="r" * 64)
    db.session.add(other)
    db.session.commit()
    assert other.furthest_page == MAX_ID
    assert f'name="item-{item.id}" value="4" checked' in person.get(f"/t/{round_team.code}/p/3").text


def test_roles_get_the_items_meant_for_them(app, make_round_team):
    round_team = make_round_team()
    from spiegel.survey.pages import build_pages

    modules = round_team.round.instrument_modules()
    for role in ("teacher", "leader", "support", "other"):
        items = [item for page in build_pages(modules, role, 5) for item in page.items]
        assert items and all(item.asked_of(role) for item in items)
        assert len({i.id for i in items}) == len(items)
    all_items = [i for m in modules for i in m.items()]
    other = [i for p in build_pages(modules, "other", 5) for i in p.items]
    assert len(other) == sum(1 for i in all_items if len(i.roles) == 4)


def resume_code_on(html: str) -> str:
    return html.split('resume-hint">')[1].split("</strong>")[0].split(">")[-1].strip()


def test_each_phone_gets_its_own_token_and_resume_code(web, make_round_team):
    """Two phones on the same blank page each get their own CSRF token and resume code on it, never
    the other phone's: a page's token saves on its own phone only."""
    round_team = make_round_team()
    phones = [Respondent(web.test_client(), round_team) for _ in range(2)]
    codes, pages_shown = [], []
    for phone in phones:
        phone.start()
        codes.append(resume_code_on(phone.get(f"/t/{round_team.code}/p/0?new=1").text))
        answered = phone.answer_page(0, page_values(phone.pages()[0], 0))
        assert phone.moved_on(0, answered)
        pages_shown.append(answered.text)  # page 1, blank
    assert codes[0] != codes[1]
    for mine, theirs, html in ((0, 1, pages_shown[0]), (1, 0, pages_shown[1])):
        assert resume_code_on(html) == codes[mine] and codes[theirs] not in html
    values = page_values(phones[0].pages()[1], 1)
    swapped = phones[1].post(f"/t/{round_team.code}/p/1",
                             {"csrf_token": csrf_token(pages_shown[0]), "action": "next", **values})
    assert EXPIRED["nl"] in swapped.text and shown_page(swapped) == f"/t/{round_team.code}/p/1"
    for phone, html in zip(phones, pages_shown):
        saved = phone.post(f"/t/{round_team.code}/p/1", {"csrf_token": csrf_token(html), "action": "next", **values})
        assert phone.moved_on(1, saved)


def test_a_question_page_is_bound_to_the_device_cookie_not_to_the_session(web, make_round_team):
    """A page's CSRF token comes from the device's cookie: a phone whose browser dropped its session
    cookie (closed between two pages) still saves; a page shown before the device's cookie was
    replaced (its resume code entered again) is refused, and shown again with the answers kept."""
    round_team = make_round_team()
    phone = Respondent(web.test_client(), round_team)
    phone.start()
    resume = resume_code_on(phone.get(f"/t/{round_team.code}/p/0?new=1").text)
    html = phone.get(f"/t/{round_team.code}/p/0").text
    phone.client.delete_cookie(web.config["SESSION_COOKIE_NAME"])
    saved = phone.post(f"/t/{round_team.code}/p/0",
                       {"csrf_token": csrf_token(html), "action": "next", **page_values(phone.pages()[0], 0)})
    assert phone.moved_on(0, saved)
    shown_before = saved.text  # page 1, with the token of the cookie as it was
    home = phone.get("/").text  # a form of the session's Flask-WTF token, as the join page's resume form
    resumed = phone.post(f"/t/{round_team.code}/resume", {"csrf_token": csrf_token(home), "resume_code": resume})
    assert resumed.status_code == 302
    values = page_values(phone.pages()[1], 1)
    refused = phone.post(f"/t/{round_team.code}/p/1", {"csrf_token": csrf_token(shown_before), "action": "next", **values})
    assert EXPIRED["nl"] in refused.text and csrf_token(refused.text) != csrf_token(shown_before)
    assert all(f'name="{name}" value="{value}" checked' in refused.text for name, value in values.items()
               if name.startswith("item-"))
    again = phone.post(f"/t/{round_team.code}/p/1", {"csrf_token": csrf_token(refused.text), "action": "next", **values})
    assert phone.moved_on(1, again)


def test_the_review_sends_after_the_browser_dropped_its_session_cookie(web, make_round_team):
    """The review carries the device's page token too: closing the browser between the last page and
    "Send my answers" (the session cookie gone, the device's cookie kept) still sends."""
    round_team = make_round_team()
    phone = Respondent(web.test_client(), round_team)
    phone.start()
    review = phone.get(f"/t/{round_team.code}/review").text
    phone.client.delete_cookie(web.config["SESSION_COOKIE_NAME"])
    sent = phone.post(f"/t/{round_team.code}/review", {"csrf_token": csrf_token(review), "action": "submit"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/done")
    assert only_response().submitted_on is not None


@pytest.mark.parametrize("path", ["/p/0", "/p/0/answer", "/review", "/another"])
@pytest.mark.parametrize("token", [None, "forged", "session"])
def test_a_forged_post_on_a_devices_response_changes_nothing(web, make_round_team, path, token):
    """Another site cannot make a phone save, tap, send or forget its answers: without the page's own
    token (none, a made-up one, or the Flask-WTF token of the same browser's session) nothing changes."""
    round_team = make_round_team()
    phone = Respondent(web.test_client(), round_team)
    phone.start()
    if path == "/another":
        phone.submit()
    values = page_values(phone.pages()[0], 0)
    if path == "/p/0/answer":  # one tap
        data = dict([next(iter(values.items()))])
    else:
        data = {"action": "submit" if path == "/review" else "next", **(values if path == "/p/0" else {})}
    if token == "forged":
        data["csrf_token"] = "0" * 64
    elif token == "session":  # Flask-WTF's token of this browser's session (the home page's form): not this scheme
        data["csrf_token"] = csrf_token(phone.get("/").text)
    before = (answers_of(only_response().id), only_response().phase, only_response().submitted_on)
    response = phone.post(f"/t/{round_team.code}{path}", data)
    assert response.status_code in (200, 400, 403)
    assert (answers_of(only_response().id), only_response().phase, only_response().submitted_on) == before
    assert phone.client.get_cookie(f"spiegel_{round_team.code}") is not None  # not forgotten



def test_a_logged_in_coach_answering_as_a_team_member_keeps_the_staff_menu(web, make_round_team, make_user, login):
    """A coach who answers on their own device gets the question page with their menu; a phone with
    no one logged in gets it without."""
    round_team = make_round_team()
    coach = make_user("admin")
    for logged_in in (False, True):
        phone = Respondent(web.test_client(), round_team)
        phone.start()  # before logging in: with a staff session open, joining asks to log out first
        if logged_in:
            login(phone.client, coach)
        html = phone.answer_page(0, page_values(phone.pages()[0], 0)).text
        assert ('class="staff-nav"' in html) == logged_in


def test_a_blank_page_follows_the_language_and_the_innovation_name(web, make_round_team):
    round_team = make_round_team(language="nl")
    dutch, french = Respondent(web.test_client(), round_team), Respondent(web.test_client(), round_team, language="fr")
    for phone in (dutch, french):
        phone.start()
    assert '<html lang="nl">' in dutch.get(f"/t/{round_team.code}/p/0").text
    assert '<html lang="fr">' in french.get(f"/t/{round_team.code}/p/0").text
    round_team.round.innovation_name = "Leesmotivatie <b>2027</b>"
    db.session.commit()
    html = dutch.get(f"/t/{round_team.code}/p/0").text
    assert "Leesmotivatie &lt;b&gt;2027&lt;/b&gt;" in html and "Samen evalueren" not in html


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
