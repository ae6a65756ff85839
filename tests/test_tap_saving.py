"""Every tap saved: POST /t/<CODE>/p/<n>/answer stores one answer as it is tapped (survey.js sends
each), without moving the respondent, and the page shows it when it is shown again."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from spiegel.rounds.models import Round
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, Response
from tests.conftest import fresh
from tests.survey_helpers import Respondent, csrf_token
from tests.test_survey_flow import answers_of, only_response, open_answers

LANGS = ["nl", "en", "fr"]
SAVED = {"nl": "Opgeslagen", "en": "Saved", "fr": "Enregistré"}
WAITING = {"nl": "Wachten op het netwerk", "en": "Waiting for the network", "fr": "En attente du réseau"}


@pytest.fixture
def person(client, make_round_team):
    person = Respondent(client, make_round_team())
    person.start()
    return person


def tap(person, number, field, value, token=None):
    """What survey.js sends for one tap: the field, its value and the page's CSRF token."""
    if token is None:
        token = csrf_token(person.get(f"/t/{person.code}/p/{number}").text)
    return person.post(f"/t/{person.code}/p/{number}/answer", {field: value, "csrf_token": token})


def item_field(person, number, index=0):
    return f"item-{person.pages()[number].items[index].id}"


def test_a_tap_is_stored_at_once_without_moving_the_respondent(person):
    field = item_field(person, 1)
    response = tap(person, 1, field, "4")
    assert response.status_code == 204 and response.text == ""
    assert answers_of(only_response().id) == {field.removeprefix("item-"): 4}
    stored = only_response()
    assert stored.page == 0  # the resume point stays where "Next" left it
    assert stored.furthest_page == 1


def test_the_same_tap_twice_and_a_changed_tap_leave_one_row(person):
    field = item_field(person, 1)
    html = person.get(f"/t/{person.code}/p/1").text
    for value in ("2", "2", "5"):
        assert tap(person, 1, field, value, token=csrf_token(html)).status_code == 204
    fresh()
    rows = db.session.execute(select(Answer.value).where(Answer.response_id == only_response().id)).all()
    assert [tuple(row) for row in rows] == [(5,)]


def test_dont_know_is_stored_as_no_value(person):
    field = item_field(person, 1, 2)
    assert tap(person, 1, field, "3").status_code == 204
    assert tap(person, 1, field, "dk").status_code == 204
    assert answers_of(only_response().id) == {field.removeprefix("item-"): None}
    assert f'name="{field}" value="dk" checked' in person.get(f"/t/{person.code}/p/1").text


def test_the_phase_tap_sets_the_phase(person):
    assert tap(person, 0, "phase", "DIF").status_code == 204
    assert only_response().phase == "DIF"
    assert 'name="phase" value="DIF" checked' in person.get(f"/t/{person.code}/p/0").text


def test_open_text_is_saved_changed_and_cleared(person):
    last = len(person.pages()) - 1
    field = f"open-{person.pages()[last].questions[0].id}"
    assert tap(person, last, field, "  Meer tijd <b>samen</b> ").status_code == 204
    assert open_answers() == {field.removeprefix("open-"): "Meer tijd <b>samen</b>"}
    assert "Meer tijd &lt;b&gt;samen&lt;/b&gt;</textarea>" in person.get(f"/t/{person.code}/p/{last}").text
    assert tap(person, last, field, "Anders").status_code == 204
    assert open_answers() == {field.removeprefix("open-"): "Anders"}
    assert tap(person, last, field, "").status_code == 204  # emptied: the row goes
    assert open_answers() == {}


def test_a_reload_shows_every_tap(person):
    page = person.pages()[2]
    html = person.get(f"/t/{person.code}/p/2").text
    taps = {f"item-{item.id}": value for item, value in zip(page.items, ["1", "5", "dk"])}
    for field, value in taps.items():
        assert tap(person, 2, field, value, token=csrf_token(html)).status_code == 204
    again = person.get(f"/t/{person.code}/p/2").text
    for field, value in taps.items():
        assert f'name="{field}" value="{value}" checked' in again
    assert again.count(" checked") == len(taps)


def test_a_tap_beyond_the_furthest_page_is_shown_when_that_page_is_opened(person):
    # Page 4 was never saved (furthest_page is -1): without the tap moving furthest_page the page would
    # be shown blank without looking for answers.
    assert only_response().furthest_page == -1
    field = item_field(person, 4)
    assert tap(person, 4, field, "3").status_code == 204
    assert f'name="{field}" value="3" checked' in person.get(f"/t/{person.code}/p/4").text
    # ...and a later tap on an earlier page does not hide it again.
    assert tap(person, 1, item_field(person, 1), "2").status_code == 204
    assert only_response().furthest_page == 4
    assert f'name="{field}" value="3" checked' in person.get(f"/t/{person.code}/p/4").text


def test_next_after_taps_saves_the_page_and_moves_on(person):
    page = person.pages()[1]
    html = person.get(f"/t/{person.code}/p/1").text
    field = item_field(person, 1)
    assert tap(person, 1, field, "1", token=csrf_token(html)).status_code == 204
    values = {f"item-{item.id}": "4" for item in page.items}
    response = person.post(f"/t/{person.code}/p/1", {"csrf_token": csrf_token(html), "action": "next", **values})
    assert response.status_code == 200
    assert only_response().page == 2
    assert set(answers_of(only_response().id).values()) == {4}


@pytest.mark.parametrize("form", [
    {"VALUE": "6"}, {"VALUE": "0"}, {"VALUE": ""}, {"VALUE": "3.5"}, {"VALUE": "<b>"},
    {"item-NOPE.1": "3"},  # no such item
    {"OTHER": "3"},  # an item of another page
    {"phase": "IMP"},  # the phase question is on page 0
    {},  # nothing
    {"VALUE": "3", "SECOND": "4"},  # two answers in one tap
    {"VALUE": "3", "action": "next"},  # not a page submit
])
def test_bad_field_or_value_is_400_and_stores_nothing(person, form):
    field, other, second = item_field(person, 1), item_field(person, 2), item_field(person, 1, 1)
    html = person.get(f"/t/{person.code}/p/1").text
    data = {{"VALUE": field, "OTHER": other, "SECOND": second}.get(k, k): v for k, v in form.items()}
    response = person.post(f"/t/{person.code}/p/1/answer", {**data, "csrf_token": csrf_token(html)})
    if "action" in form:
        # "action" is ignored as on a page submit: the one answer is saved, nothing moves.
        assert response.status_code == 204 and only_response().page == 0
        return
    assert response.status_code == 400
    assert answers_of(only_response().id) == {}
    assert only_response().furthest_page == -1


def test_a_repeated_field_is_400(person):
    field = item_field(person, 1)
    html = person.get(f"/t/{person.code}/p/1").text
    response = person.client.post(f"/t/{person.code}/p/1/answer",
                                  data=MultiDict([("csrf_token", csrf_token(html)), (field, "1"), (field, "5")]))
    assert response.status_code == 400
    assert answers_of(only_response().id) == {}


@pytest.mark.parametrize("token", ["", "expired", "TOKEN-OF-ANOTHER-DEVICE"])
def test_a_wrong_token_is_403_and_stores_nothing(web, person, make_round_team, token):
    if token == "TOKEN-OF-ANOTHER-DEVICE":
        other = Respondent(web.test_client(), person.round_team)
        other.start()
        token = csrf_token(other.get(f"/t/{person.code}/p/1").text)
    response = tap(person, 1, item_field(person, 1), "3", token=token)
    assert response.status_code == 403
    fresh()
    assert db.session.scalar(select(Answer.id)) is None
    assert set(db.session.scalars(select(Response.furthest_page))) == {-1}


def test_unknown_code_no_cookie_out_of_range_and_get(client, person):
    field = item_field(person, 1)
    html = person.get(f"/t/{person.code}/p/1").text
    assert client.post("/t/ZZZZZZZ/p/1/answer", data={field: "3"}).status_code == 404
    assert tap(person, 999, field, "3", token=csrf_token(html)).status_code == 404
    assert person.get(f"/t/{person.code}/p/1/answer").status_code == 405
    fresh()
    assert db.session.scalar(select(Answer.id)) is None


def test_without_the_device_cookie_the_tap_goes_to_the_join_page(web, person):
    stranger = web.test_client()
    response = stranger.post(f"/t/{person.code}/p/1/answer", data={item_field(person, 1): "3", "csrf_token": "x"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{person.code}")
    assert answers_of(only_response().id) == {}


def test_a_closed_round_refuses_taps_like_its_pages_after_the_grace_period(person):
    html = person.get(f"/t/{person.code}/p/1").text
    db.session.execute(update(Round).values(closes_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    # Within the grace period a response already started still saves its taps...
    assert tap(person, 1, item_field(person, 1), "3", token=csrf_token(html)).status_code == 204
    db.session.execute(update(Round).values(closes_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    # ...after it, neither taps nor pages.
    response = tap(person, 1, item_field(person, 1), "4", token=csrf_token(html))
    assert response.status_code == 403
    assert person.get(f"/t/{person.code}/p/1").status_code == 403
    assert set(answers_of(only_response().id).values()) == {3}


def test_after_sending_the_questionnaire_a_tap_changes_nothing(person):
    html = person.get(f"/t/{person.code}/p/1").text
    person.submit()
    response = tap(person, 1, item_field(person, 1), "3", token=csrf_token(html))
    assert response.status_code == 302 and response.headers["Location"].endswith("/done")
    assert answers_of(only_response().id) == {}


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_carries_the_translated_status_texts(client, make_round_team, lang):
    round_team = make_round_team(language=lang)
    person = Respondent(client, round_team)
    person.start()
    for path in (f"/t/{round_team.code}/p/1", f"/t/{round_team.code}/p/1?new=1"):  # kept blank copy, full render
        html = person.get(path).text
        assert f'<form id="page-form" method="post" action="/t/{round_team.code}/p/1"' in html  # + "/answer"
        assert 'id="save-status" class="save-status" role="status" aria-live="polite"' in html
        assert f'data-saved="{SAVED[lang]}"' in html and f'data-waiting="{WAITING[lang]}' in html
    assert open_answers() == {}
