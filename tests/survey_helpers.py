"""A respondent driving the Flask test client like a browser would."""
import re

from spiegel.survey.pages import build_pages

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


SHOWN_PAGE = re.compile(r'<form id="page-form" method="post" action="([^"]+)"')


def shown_page(response) -> str | None:
    """The path of the question page a response shows (a page submit answers with the next page)."""
    match = SHOWN_PAGE.search(response.text) if response.status_code == 200 else None
    return match.group(1) if match else None


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


class Respondent:
    def __init__(self, client, round_team, role="teacher", language=None):
        self.client = client
        self.round_team = round_team
        self.code = round_team.code
        self.role = role
        self.language = language
        self.headers = {}
        if language:  # an explicit choice with the language switch, as a person would make it
            client.get(f"/lang/{language}")

    def get(self, path, **kw):
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path, data, **kw):
        return self.client.post(path, data=data, headers=self.headers, **kw)

    def start(self):
        page = self.get(f"/t/{self.code}")
        assert page.status_code == 200, page.status_code
        response = self.post(f"/t/{self.code}/start", {"csrf_token": csrf_token(page.text), "role": self.role})
        assert response.status_code == 302, response.text
        return response

    def pages(self):
        return build_pages(self.round_team.round.instrument_modules(), self.role, 5)

    def answer_page(self, number, values, action="next"):
        """values: field name → value, e.g. {"item-I1.1": "4"}."""
        page = self.get(f"/t/{self.code}/p/{number}")
        assert page.status_code == 200, (number, page.status_code)
        return self.post(f"/t/{self.code}/p/{number}",
                         {"csrf_token": csrf_token(page.text), "action": action, **values})

    def moved_on(self, number, response) -> bool:
        """Whether posting page `number` saved it: the answer is the next page, or after the last page a
        redirect to the review."""
        if number == len(self.pages()) - 1:
            return response.status_code == 302 and response.headers["Location"].endswith(f"/t/{self.code}/review")
        return shown_page(response) == f"/t/{self.code}/p/{number + 1}"

    def submit(self):
        review = self.get(f"/t/{self.code}/review")
        assert review.status_code == 200
        return self.post(f"/t/{self.code}/review", {"csrf_token": csrf_token(review.text), "action": "submit"})


def page_values(page, number: int) -> dict[str, str]:
    """A deterministic full answer for a page: cycle through the scale and "don't know"."""
    values = {}
    if page.kind == "phase":
        values["phase"] = "IMP"
    for i, item in enumerate(page.items):
        values[f"item-{item.id}"] = "dk" if (number + i) % 6 == 5 else str((number + i) % 5 + 1)
    for question in page.questions:
        values[f"open-{question.id}"] = f"Open answer to {question.id}"
    return values
