"""Issue 16: no dead end in the respondent flow — every way back in, at every position, lands on the
right page; the language stays the respondent's; the review names what is unanswered; closing a round
leaves a grace period; a shared phone can start a new response after sending."""
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey.models import Response
from tests.conftest import fresh
from tests.survey_helpers import Respondent, csrf_token, page_values, shown_page

RESUME_CODE = re.compile(r'<strong class="code">([A-Z0-9-]+)</strong>')


def follow(person, response, limit=5):
    """Follow redirects as a browser does; returns the final response."""
    while response.status_code in (301, 302, 303) and limit:
        response = person.get(response.headers["Location"])
        limit -= 1
    return response


def start_with_resume_code(person) -> str:
    person.start()
    first = person.get(f"/t/{person.code}/p/0?new=1")
    return RESUME_CODE.search(first.text).group(1)


def where(person, page_text_response) -> str:
    """What a landing shows: "p/N" for a question page, "review", "done", or the status code."""
    response = page_text_response
    if (path := shown_page(response)) is not None:
        return path.rsplit("/", 2)[-2] + "/" + path.rsplit("/", 1)[-1]
    if response.status_code == 200 and 'value="submit"' in response.text:
        return "review"
    if response.status_code == 200 and f'action="/t/{person.code}/another"' in response.text:
        return "done"
    return str(response.status_code)


def test_reopening_the_link_or_a_resume_code_lands_on_the_right_page_at_every_position(web, make_round_team):
    round_team = make_round_team()
    pages = Respondent(web.test_client(), round_team).pages()
    positions = list(range(len(pages) + 1)) + ["sent"]
    for position in positions:
        phone = Respondent(web.test_client(), round_team)
        resume_code = start_with_resume_code(phone)
        answered = len(pages) if position == "sent" else position
        for number in range(answered):
            assert phone.moved_on(number, phone.answer_page(number, page_values(pages[number], number)))
        if position == "sent":
            assert phone.submit().status_code == 302
            expected = "done"
        else:
            expected = f"p/{position}" if position < len(pages) else "review"

        # The same phone opens the team link again (a closed tab, a locked screen).
        assert where(phone, follow(phone, phone.get(f"/t/{round_team.code}"))) == expected, position
        # Another device types the resume code.
        laptop = Respondent(web.test_client(), round_team)
        join = laptop.get(f"/t/{round_team.code}")
        resumed = laptop.post(f"/t/{round_team.code}/resume",
                              {"csrf_token": csrf_token(join.text), "resume_code": resume_code})
        landing = follow(laptop, resumed)
        assert where(laptop, landing) == expected, position
        if expected != "done":
            assert "Welkom terug" in landing.text
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Response)) == len(positions)


def test_the_step_after_the_last_page_is_the_review_not_a_404(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    total = len(person.pages())
    response = person.get(f"/t/{round_team.code}/p/{total}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{round_team.code}/review")
    assert person.get(f"/t/{round_team.code}/p/{total + 1}").status_code == 404


def test_the_response_keeps_its_language_on_another_device(web, make_round_team):
    round_team = make_round_team(language="nl")
    phone = Respondent(web.test_client(), round_team)
    phone.headers = {"Accept-Language": "fr-BE,fr;q=0.9"}
    assert "Bienvenue, équipe" in phone.get(f"/t/{round_team.code}").text
    resume_code = start_with_resume_code(phone)
    pages = phone.pages()
    for number in range(3):
        phone.answer_page(number, page_values(pages[number], number))
    fresh()
    assert db.session.scalar(select(Response.language)) == "fr"

    laptop = Respondent(web.test_client(), round_team)  # a Dutch school laptop
    laptop.headers = {"Accept-Language": "nl-BE,nl;q=0.9"}
    join = laptop.get(f"/t/{round_team.code}")
    landing = follow(laptop, laptop.post(f"/t/{round_team.code}/resume",
                                         {"csrf_token": csrf_token(join.text), "resume_code": resume_code}))
    assert f"Page 4 sur {len(pages)}" in landing.text
    # The switch on every page still works, and the response keeps the new choice.
    switched = laptop.answer_page(3, {}, action="lang-en")
    assert f"Page 4 of {len(pages)}" in switched.text
    fresh()
    assert db.session.scalar(select(Response.language)) == "en"


def test_the_first_screen_offers_the_three_languages_with_the_phones_preselected(client, make_round_team):
    round_team = make_round_team(language="nl")
    join = client.get(f"/t/{round_team.code}", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).text
    choice = join.split('class="language-choice"')[1].split("</nav>")[0]
    assert [unescape(name) for name in re.findall(r'hreflang="\w+"\s*(?:class="selected" aria-current="true")?>([^<]+)<', choice)] \
        == ["Nederlands", "English", "Français"]
    assert re.search(r'hreflang="fr"\s*class="selected" aria-current="true">Fran', choice)
    # Starting keeps the language shown.
    client.post(f"/t/{round_team.code}/start", data={"csrf_token": csrf_token(join), "role": "teacher"},
                headers={"Accept-Language": "fr-BE,fr;q=0.9"})
    fresh()
    assert db.session.scalar(select(Response.language)) == "fr"


def test_enter_on_a_question_page_moves_on_rather_than_switching_language(client, make_round_team):
    """Enter in a form presses its first submit button (in document order): that must be "next"."""
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    html = person.get(f"/t/{round_team.code}/p/0").text
    buttons = re.findall(r'<button[^>]*form="page-form"[^>]*>|<button[^>]*type="submit"[^>]*name="action"[^>]*>', html)
    assert buttons and 'value="next"' in buttons[0], buttons[:2]


def test_the_review_lists_the_unanswered_statements_with_links_to_their_pages(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    pages = person.pages()
    skipped = {}
    for number, page in enumerate(pages):
        values = page_values(page, number)
        if number in (2, 5):
            item = page.items[-1]
            del values[f"item-{item.id}"]
            skipped[number] = item
        person.answer_page(number, values)
    review = person.get(f"/t/{round_team.code}/review")
    text = unescape(review.text)
    asked = sum(len(p.items) for p in pages)
    assert f"{asked - 2} van de {asked} uitspraken" in text
    listed = text.split('id="unanswered-title"')[1].split("</section>")[0]
    for number, item in skipped.items():
        assert f'href="/t/{round_team.code}/p/{number}"' in listed
        assert item.text["nl"] in listed
    assert len(re.findall(r"<li>[^<\s]", listed)) == 2  # only those two statements
    # Answering them empties the list.
    for number in skipped:
        person.answer_page(number, {**page_values(pages[number], number)})
    assert 'id="unanswered-title"' not in person.get(f"/t/{round_team.code}/review").text


def close_round(round_team, minutes_ago: float):
    round_team.round.closes_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.commit()


def test_a_started_response_may_still_save_and_send_for_the_grace_period(web, make_round_team):
    round_team = make_round_team()
    busy, late = Respondent(web.test_client(), round_team), Respondent(web.test_client(), round_team)
    busy.start()
    pages = busy.pages()
    close_round(round_team, minutes_ago=29)
    # The page being sent when the round closed is saved, and the next pages too, and it can be sent.
    for number in range(len(pages)):
        assert busy.moved_on(number, busy.answer_page(number, page_values(pages[number], number)))
    assert busy.submit().status_code == 302
    # Nobody new starts once the round is closed.
    assert late.get(f"/t/{round_team.code}").status_code == 403
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.submitted_on.is_not(None))) == 1


def test_after_the_grace_period_the_closed_page_tells_the_truth(web, make_round_team):
    round_team = make_round_team()
    busy, newcomer = Respondent(web.test_client(), round_team), Respondent(web.test_client(), round_team)
    busy.start()
    busy.answer_page(0, page_values(busy.pages()[0], 0))
    close_round(round_team, minutes_ago=31)
    page = busy.get(f"/t/{round_team.code}/p/1")
    assert page.status_code == 403
    text = unescape(page.text)
    assert "niet verstuurd" in text and "hervatcode" in text
    assert "nieuwe code" not in text  # reopening keeps the codes: never "ask for a new code"
    closed = unescape(newcomer.get(f"/t/{round_team.code}").text)
    assert "dezelfde teamcode" in closed and "nieuwe code" not in closed


def test_someone_else_on_this_phone_starts_a_new_response_after_sending(client, make_round_team):
    round_team = make_round_team()
    first = Respondent(client, round_team)
    first.start()
    pages = first.pages()
    for number in range(len(pages)):
        first.answer_page(number, page_values(pages[number], number))
    done = follow(first, first.submit())
    assert "Iemand anders op deze telefoon" in done.text
    # Before, the shared phone only showed the first colleague's thank-you page.
    assert client.get(f"/t/{round_team.code}").headers["Location"].endswith("/done")
    another = client.post(f"/t/{round_team.code}/another", data={"csrf_token": csrf_token(done.text)})
    assert another.status_code == 302 and another.headers["Location"].endswith(f"/t/{round_team.code}")
    second = Respondent(client, round_team)
    second.start()
    second.answer_page(0, page_values(pages[0], 0))
    fresh()
    rows = db.session.execute(select(Response.id, Response.submitted_on).order_by(Response.id)).all()
    assert len(rows) == 2 and rows[0].submitted_on is not None and rows[1].submitted_on is None


def test_someone_else_never_drops_a_response_still_being_answered(client, make_round_team):
    round_team = make_round_team()
    person = Respondent(client, round_team)
    person.start()
    review = person.get(f"/t/{round_team.code}/review")  # a page with the session's CSRF token
    dropped = client.post(f"/t/{round_team.code}/another", data={"csrf_token": csrf_token(review.text)})
    assert dropped.headers["Location"].endswith(f"/t/{round_team.code}/p/0")
    assert client.get(f"/t/{round_team.code}").headers["Location"].endswith("/p/0")


@pytest.mark.parametrize("busy, expected", [(0, "Niemand"), (2, "Minder dan 3"), (4, "4")])
def test_closing_a_round_asks_first_and_says_how_many_are_still_busy(web, make_round_team, make_user, login,
                                                                      busy, expected):
    round_team = make_round_team()
    for _ in range(busy):
        Respondent(web.test_client(), round_team).start()
    staff = web.test_client()
    login(staff, make_user("admin"))
    confirm = staff.get(f"/rounds/{round_team.round_id}/close")
    assert confirm.status_code == 200
    text = unescape(confirm.text)
    assert expected in text and "30 minuten" in text
    fresh()
    assert round_team.round.status(utcnow()) == "open"  # asking closes nothing
    closed = staff.post(f"/rounds/{round_team.round_id}/close", data={"csrf_token": csrf_token(confirm.text)})
    assert closed.status_code == 302
    fresh()
    db.session.refresh(round_team.round)
    assert round_team.round.status(utcnow()) == "closed"
