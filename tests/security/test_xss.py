"""Stored XSS: markup in team, school and innovation names and in open answers is shown as text on
every respondent page, in every language."""
import pytest

from spiegel.org.models import Board, School
from spiegel.shared.extensions import db
from tests.survey_helpers import Respondent, page_values

MARKUP = {
    "team": '<script>alert("team")</script>',
    "school": "<img src=x onerror=alert('school')>",
    "innovation": '"><svg onload=alert(1)>',
    "description": "<iframe src=//evil.example></iframe>",
    "answer": "</textarea><script>alert('answer')</script><b>bold</b>",
}
ESCAPED_FRAGMENTS = ["&lt;script&gt;alert(", "&lt;img src=x onerror=alert(", "&lt;svg onload=alert(1)&gt;",
                     "&lt;iframe src=//evil.example&gt;", "&lt;/textarea&gt;&lt;script&gt;"]
RAW = ["<script>alert", "<img src=x", "<svg onload", "<iframe", "</textarea><script>", "<b>bold</b>"]


def assert_text_only(html: str, what: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{what}: {raw!r} rendered as markup"


@pytest.fixture
def hostile_team(make_round_team):
    def make(status="open", language="nl"):
        school = School(board=Board(name="<b>Board</b>"), name=MARKUP["school"])
        round_team = make_round_team(status=status, team=MARKUP["team"], school=school, language=language)
        round_team.round.innovation_name = MARKUP["innovation"]
        round_team.round.innovation_description = MARKUP["description"]
        db.session.commit()
        return round_team

    return make


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_names_and_open_answers_are_text_on_every_respondent_page(client, hostile_team, lang):
    team = hostile_team()
    person = Respondent(client, team, language=lang)
    join = person.get(f"/t/{team.code}")
    assert_text_only(join.text, "join page")
    for fragment in ESCAPED_FRAGMENTS[:4]:
        assert fragment in join.text, fragment  # shown, as text
    person.start()
    pages = person.pages()
    shown = {}
    for number, page in enumerate(pages):
        values = page_values(page, number)
        if page.kind == "open":
            values = {name: MARKUP["answer"] for name in values}
        shown[number] = person.get(f"/t/{team.code}/p/{number}").text
        assert person.moved_on(number, person.answer_page(number, values))
    last = person.get(f"/t/{team.code}/p/{len(pages) - 1}").text  # the open answers, filled in again
    assert ESCAPED_FRAGMENTS[4] in last
    shown["open page, filled in"] = last
    shown["review"] = person.get(f"/t/{team.code}/review").text
    person.submit()
    shown["done"] = person.get(f"/t/{team.code}/done").text
    for what, html in shown.items():
        assert_text_only(html, f"page {what}")
    assert ESCAPED_FRAGMENTS[2] in shown[0]  # the innovation's name on the first page


@pytest.mark.parametrize("status", ["closed", "upcoming"])
def test_names_are_text_on_the_unavailable_page(client, hostile_team, status):
    team = hostile_team(status=status)
    response = client.get(f"/t/{team.code}")
    assert response.status_code == 403
    assert_text_only(response.text, status)
    assert ESCAPED_FRAGMENTS[0] in response.text


def test_typed_codes_and_query_strings_are_text(client):
    response = client.post("/join", data={"code": "<script>alert(1)</script>"})
    assert_text_only(response.text, "home with a typed code")
    response = client.get("/?next=<script>alert(1)</script>")
    assert_text_only(response.text, "home with a query string")
