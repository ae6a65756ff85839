"""The respondent flow's logic: joining, resuming, saving a page, submitting.

Every page is saved in one short transaction when the respondent moves on; saving the same page
twice (a double tap, a retry after lost Wi-Fi) overwrites rather than duplicates.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import (
    Boolean,
    Integer,
    SmallInteger,
    String,
    Text,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from spiegel.instrument.model import PHASES
from spiegel.org.models import School, Team
from spiegel.rounds.models import Round, RoundTeam, RoundTerms, Slip
from spiegel.shared.db import request_connection
from spiegel.shared.dbfaults import retry_on_disconnect
from spiegel.shared.extensions import db
from spiegel.shared.hashing import digest
from spiegel.survey import codes
from spiegel.survey.models import ROLES, Answer, OpenAnswer, Response
from spiegel.survey.pages import Page, build_pages

DONT_KNOW = "dk"
SCALE = ("1", "2", "3", "4", "5")
MAX_OPEN_ANSWER = 2000


class AnswerError(ValueError):
    """A posted page that no honest form produces: unknown fields, values off the scale."""


@dataclass
class PageAnswers:
    page: Page | None = None  # the page these answers were posted on, and its number
    number: int = 0
    values: dict[str, int | None] = field(default_factory=dict)  # item id → 1..5 or None (don't know)
    phase: str | None = None
    phase_given: bool = False
    open_texts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SurveyRound(RoundTerms):
    """What the respondent flow needs of a round, read in the same query as the team (see
    find_round_team); the model's own status() and instrument_modules() work on it."""
    id: int
    modules: list[str]
    instrument_versions: dict[str, int]
    innovation_name: str
    innovation_description: str
    opens_at: datetime
    closes_at: datetime
    default_language: str
    access: str  # "team" (the open team code) or "personal" (single-use slips)
    pulse_elements: list[str] | None  # a pulse round's elements (None: the modules whole)


@dataclass(frozen=True)
class SurveyTeam:
    """A round-team as its respondents see it."""
    id: int
    code: str
    team_name: str
    school_name: str
    round: SurveyRound


@dataclass
class Respondent:
    """One device's response (never the person): where it is in the questionnaire."""
    id: int
    role: str
    language: str
    page: int = 0
    phase: str | None = None
    submitted_on: date | None = None
    furthest_page: int = -1  # see Response.furthest_page


def in_grace(round_: SurveyRound, now: datetime) -> bool:
    """Whether a closed round still takes the answers of responses started before it closed."""
    return now < round_.closes_at + timedelta(minutes=current_app.config["CLOSE_GRACE_MINUTES"])


def pages_for(round_: SurveyRound, role: str) -> list[Page]:
    """The respondent's pages. They are pure in the round's modules (at their versions), the role and
    the page size, so they are built once per process, not on every request; callers must not change
    the list."""
    modules = round_.instrument_modules()
    key = (tuple((module.id, module.version) for module in modules), tuple(round_.pulse_elements or ()), role,
           current_app.config["ITEMS_PER_PAGE"])
    pages = _PAGES.get(key)
    if pages is None:
        pages = _PAGES[key] = build_pages(modules, role, key[-1])
    return pages


_PAGES: dict[tuple, list[Page]] = {}


@retry_on_disconnect  # a read
def find_round_team(raw_code: str | None, token: str | None = None) -> tuple[SurveyTeam | None, Respondent | None]:
    """The round-team with its round and, given the device's cookie token, the respondent's response
    (or None): one query, which every respondent request needs. Rows rather than ORM objects: on a
    study day this runs for every page, and the ORM's session and identity map cost more CPU than
    the query itself."""
    code = codes.normalize_team_code(raw_code)
    if code is None:
        return None, None
    # A token hash is hex: "" matches no response, and the round-team is still found.
    row = request_connection().execute(_round_team_by_code(),
                                       {"code": code, "token_hash": digest(token) if token else ""}).first()
    if row is None:
        return None, None
    end = 4 + len(SurveyRound.__dataclass_fields__)
    round_ = SurveyRound(*row[4:end])
    team = SurveyTeam(*row[:4], round_)
    return team, (Respondent(*row[end:]) if row[end] is not None else None)


# The respondent flow's statements, built once per process: building a statement (and its cache key)
# costs more CPU than running it on SQLite. Values are bound per call.
@cache
def _round_team_by_code():
    round_team, round_, team, school, response = (model.__table__ for model in (RoundTeam, Round, Team, School, Response))
    return (select(round_team.c.id, round_team.c.code, team.c.name.label("team_name"), school.c.name.label("school_name"),
                   *(round_.c[name] for name in SurveyRound.__dataclass_fields__),
                   *(response.c[name] for name in Respondent.__dataclass_fields__))
            .join_from(round_team, round_, round_team.c.round_id == round_.c.id)
            .join(team, round_team.c.team_id == team.c.id)
            .join(school, team.c.school_id == school.c.id)
            .outerjoin(response, and_(response.c.round_team_id == round_team.c.id,
                                      response.c.token_hash == bindparam("token_hash")))
            .where(round_team.c.code == bindparam("code")))


@cache
def _move_on(keep_place: bool = False):
    """UPDATE response SET page, language, furthest_page and (when the page asked it) phase. With
    keep_place (a single tap saved), page and language stay as they are."""
    table = Response.__table__
    posted = bindparam("posted_page", type_=Integer)
    values = {"furthest_page": case((table.c.furthest_page < posted, posted), else_=table.c.furthest_page),
              "phase": case((bindparam("phase_given", type_=Boolean), bindparam("new_phase", type_=String)),
                            else_=table.c.phase)}
    if not keep_place:
        values.update(page=bindparam("next_page"), language=bindparam("new_language"))
    return update(table).where(table.c.id == bindparam("response_id", type_=Integer)).values(**values)


# All of a response's answers (at most the ~90 items): cheaper than an IN list, which SQLAlchemy
# has to render anew for every call.
@cache
def _saved_answers():
    return select(Answer.item_id, Answer.value).where(Answer.response_id == bindparam("response_id"))


@cache
def _saved_open_answers():
    return select(OpenAnswer.question_id, OpenAnswer.text).where(OpenAnswer.response_id == bindparam("response_id"))


def start_response(team: SurveyTeam, role: str, language: str) -> tuple[Respondent, str, str]:
    """A new, empty response; returns it with the cookie token and the resume code (shown once,
    stored only as hashes)."""
    if role not in ROLES:
        raise AnswerError(f"unknown role {role!r}")
    connection = request_connection()
    for _ in range(5):  # a resume-code collision within one team is rare; draw again
        token, resume = codes.new_token(), codes.new_resume_code()
        try:
            result = connection.execute(insert(Response.__table__).values(
                round_team_id=team.id, role=role, language=language, page=0, furthest_page=-1,
                token_hash=digest(token), resume_hash=digest(resume)))
            connection.commit()
        except IntegrityError:
            connection.rollback()
            continue
        return Respondent(result.inserted_primary_key[0], role, language), token, resume
    raise RuntimeError("could not draw a unique resume code")


def start_with_slip(team: SurveyTeam, role: str, language: str, raw_slip: str | None
                    ) -> tuple[Respondent, str, str] | None:
    """In a personal-code round: use up one unused slip of this team and start a response with it, in
    one transaction (a slip takes exactly one response). None when the code is not an unused slip of
    this team. Nothing records which slip started which response."""
    if role not in ROLES:
        raise AnswerError(f"unknown role {role!r}")
    slip = codes.normalize_slip_code(raw_slip)
    if slip is None:
        return None
    slips = Slip.__table__
    for _ in range(5):  # a resume-code collision within one team is rare; draw again
        token, resume = codes.new_token(), codes.new_resume_code()
        try:
            # Its own transaction on the default engine: on PostgreSQL the request's connection runs
            # in autocommit, and the slip and the response must be stored together or not at all.
            with db.engine.begin() as connection:
                used = connection.execute(update(slips).where(
                    slips.c.round_team_id == team.id, slips.c.code_hash == digest(slip),
                    slips.c.used.is_(False)).values(used=True))
                if used.rowcount != 1:
                    return None
                result = connection.execute(insert(Response.__table__).values(
                    round_team_id=team.id, role=role, language=language, page=0, furthest_page=-1,
                    token_hash=digest(token), resume_hash=digest(resume)))
        except IntegrityError:
            continue
        return Respondent(result.inserted_primary_key[0], role, language), token, resume
    raise RuntimeError("could not draw a unique resume code")


def resume_with_code(team: SurveyTeam, raw_code: str | None) -> tuple[Respondent, str] | None:
    """Move a response to this device: a fresh cookie token replaces the old one."""
    code = codes.normalize_resume_code(raw_code)
    if code is None:
        return None
    table = Response.__table__
    connection = request_connection()
    row = connection.execute(select(*(table.c[name] for name in Respondent.__dataclass_fields__))
                             .where(table.c.round_team_id == team.id, table.c.resume_hash == digest(code))).first()
    if row is None:
        return None
    token = codes.new_token()
    connection.execute(update(table).where(table.c.id == row.id).values(token_hash=digest(token)))
    connection.commit()
    return Respondent(*row), token


def parse_page(page: Page, number: int, form: Mapping) -> PageAnswers:
    """Check a posted page against what the page asked. Unknown fields or values raise
    AnswerError, so a tampered post stores nothing."""
    expected_items = {f"item-{item.id}": item.id for item in page.items}
    expected_open = {f"open-{q.id}": q.id for q in page.questions}
    parsed = PageAnswers(page, number)
    for key in form:
        values = form.getlist(key) if hasattr(form, "getlist") else [form[key]]
        if key in ("csrf_token", "action"):
            continue
        if len(values) != 1:
            raise AnswerError(f"{key} given more than once")
        value = values[0]
        if key in expected_items:
            if value == DONT_KNOW:
                parsed.values[expected_items[key]] = None
            elif value in SCALE:
                parsed.values[expected_items[key]] = int(value)
            else:
                raise AnswerError(f"{key}: {value!r} is not on the scale")
        elif key in expected_open:
            if len(value) > MAX_OPEN_ANSWER:
                raise AnswerError(f"{key}: longer than {MAX_OPEN_ANSWER} characters")
            if "\x00" in value:  # no keyboard types it, and PostgreSQL cannot store it
                raise AnswerError(f"{key}: contains a NUL character")
            parsed.open_texts[expected_open[key]] = value.strip()
        elif key == "phase" and page.kind == "phase":
            if value not in PHASES and value != DONT_KNOW:
                raise AnswerError(f"phase: {value!r} is not a phase")
            parsed.phase = None if value == DONT_KNOW else value
            parsed.phase_given = True
        else:
            raise AnswerError(f"unexpected field {key!r}")
    return parsed


def parse_tap(page: Page, number: int, form: Mapping) -> PageAnswers:
    """One tapped answer: exactly one of the page's fields (besides the CSRF token), checked as
    parse_page checks a whole page."""
    answers = parse_page(page, number, form)
    if len(answers.values) + len(answers.open_texts) + answers.phase_given != 1:
        raise AnswerError("a tap saves exactly one answer")
    return answers


@retry_on_disconnect  # upserts: saving a page twice stores it once
def save_page(response: Respondent, answers: PageAnswers, next_page: int, language: str,
              show: Page | None = None) -> dict[str, str] | None:
    """Store a page's answers and where the respondent goes next, all or nothing. With `show`
    (page `next_page`), also returns that page's answers as form values, to render it next.

    SQLite lets one writer at a time, and a study day has many: the page to show is read before the
    first write, so the write transaction holds the lock only for its few statements."""
    shown = saved_form(response, show, next_page) if show is not None else None
    _store(response, answers, {"next_page": next_page, "new_language": language})
    response.page, response.language = next_page, language
    response.furthest_page = max(response.furthest_page, answers.number)
    if answers.phase_given:
        response.phase = answers.phase
    if shown is not None and show is answers.page:  # the same page again (a language switch)
        shown.update(form_values(answers))
    return shown


@retry_on_disconnect  # an upsert: the same tap twice stores it once
def save_answer(response: Respondent, answers: PageAnswers) -> None:
    """Store answers tapped on a page (with JavaScript, each tap is sent on its own) without moving
    the respondent: the page they are on stays their resume point. Idempotent like save_page, and
    it marks the page as saved on, so that showing it again shows the tap."""
    _store(response, answers, None)
    response.furthest_page = max(response.furthest_page, answers.number)
    if answers.phase_given:
        response.phase = answers.phase


def _store(response: Respondent, answers: PageAnswers, place: dict | None) -> None:
    """Write a page's answers and update the response in one short transaction (on PostgreSQL one
    statement); `place` holds the next page and language, None keeps them."""
    connection = request_connection()
    filled = {k: v for k, v in answers.open_texts.items() if v}
    emptied = [k for k, v in answers.open_texts.items() if not v]
    moved = {"response_id": response.id, "posted_page": answers.number, "phase_given": answers.phase_given,
             "new_phase": answers.phase, **(place or {})}
    if connection.dialect.name == "postgresql":
        connection.execute(_save_page_in_one_statement(place is None), {
            **moved, "item_ids": list(answers.values), "values": list(answers.values.values()),
            "question_ids": list(filled), "texts": list(filled.values()), "emptied": emptied})
        return
    if answers.values:
        connection.execute(_upsert_statement(Answer.__table__, ("response_id", "item_id"), "value"),
                           [{"response_id": response.id, "item_id": k, "value": v} for k, v in answers.values.items()])
    if filled:
        connection.execute(_upsert_statement(OpenAnswer.__table__, ("response_id", "question_id"), "text"),
                           [{"response_id": response.id, "question_id": k, "text": v} for k, v in filled.items()])
    if emptied:
        connection.execute(delete(OpenAnswer).where(OpenAnswer.response_id == response.id,
                                                    OpenAnswer.question_id.in_(emptied)))
    connection.execute(_move_on(place is None), moved)
    connection.commit()


def form_values(answers: PageAnswers) -> dict[str, str]:
    """Parsed answers as the form values that show them (the inverse of parse_page)."""
    values = {f"item-{item_id}": DONT_KNOW if value is None else str(value) for item_id, value in answers.values.items()}
    values.update({f"open-{question_id}": text for question_id, text in answers.open_texts.items()})
    if answers.phase_given:
        values["phase"] = answers.phase or DONT_KNOW
    return values


@cache
def _upsert_statement(table, keys: tuple[str, ...], column: str):
    """INSERT … ON CONFLICT DO UPDATE (SQLite): concurrent saves of the same page (a double tap) both
    succeed and leave one row per answer. Built once, executed for all rows."""
    statement = sqlite_insert(table)
    return statement.on_conflict_do_update(index_elements=list(keys), set_={column: statement.excluded[column]})


@cache
def _save_page_in_one_statement(keep_place: bool = False):
    """PostgreSQL: a page's answers and the move to the next page as one statement (data-modifying
    CTEs), so one round trip, and atomic without a transaction of its own (see request_connection).
    The lists are bound as arrays; an empty one changes nothing."""
    answer, open_answer = Answer.__table__, OpenAnswer.__table__
    response_id = bindparam("response_id", type_=Integer)
    items = (func.unnest(bindparam("item_ids", type_=ARRAY(String)), bindparam("values", type_=ARRAY(SmallInteger)))
             .table_valued("item_id", "value").render_derived("items"))
    answers = pg_insert(answer).from_select(["response_id", "item_id", "value"],
                                            select(response_id, items.c.item_id, items.c.value))
    answers = answers.on_conflict_do_update(index_elements=["response_id", "item_id"], set_={"value": answers.excluded.value})
    texts = (func.unnest(bindparam("question_ids", type_=ARRAY(String)), bindparam("texts", type_=ARRAY(Text)))
             .table_valued("question_id", "text").render_derived("texts"))
    open_answers = pg_insert(open_answer).from_select(["response_id", "question_id", "text"],
                                                      select(response_id, texts.c.question_id, texts.c.text))
    open_answers = open_answers.on_conflict_do_update(index_elements=["response_id", "question_id"],
                                                      set_={"text": open_answers.excluded.text})
    emptied = delete(open_answer).where(open_answer.c.response_id == response_id,
                                        open_answer.c.question_id == func.any(bindparam("emptied", type_=ARRAY(String))))
    return (_move_on(keep_place).add_cte(answers.cte("saved_answers")).add_cte(open_answers.cte("saved_open_answers"))
            .add_cte(emptied.cte("emptied_open_answers")))


def saved_form(response: Respondent, page: Page, number: int) -> dict[str, str]:
    """What this respondent already saved on page `number`, as form values, to show it filled in."""
    values: dict[str, str] = {}
    if page.kind == "phase" and response.phase:
        values["phase"] = response.phase
    if number > response.furthest_page:  # never saved: on a study day most pages, one query fewer
        return values
    connection = request_connection()
    if page.items:
        item_ids = {item.id for item in page.items}
        values.update({f"item-{item_id}": DONT_KNOW if value is None else str(value)
                       for item_id, value in connection.execute(_saved_answers(), {"response_id": response.id})
                       if item_id in item_ids})
    if page.questions:
        question_ids = {q.id for q in page.questions}
        values.update({f"open-{question_id}": text
                       for question_id, text in connection.execute(_saved_open_answers(), {"response_id": response.id})
                       if question_id in question_ids})
    return values


def unanswered(response: Respondent, pages: list[Page]) -> list[tuple[int, Page, list]]:
    """The statements this response has not answered ("don't know" is an answer), by page:
    (page number, page, its unanswered items) for every page that has any."""
    answered = set(request_connection().scalars(select(Answer.item_id).where(Answer.response_id == response.id)))
    missing = [(number, page, [item for item in page.items if item.id not in answered]) for number, page in enumerate(pages)]
    return [entry for entry in missing if entry[2]]


def submit(response: Respondent) -> None:
    """Idempotent: a second submit (double tap, back button) changes nothing."""
    if response.submitted_on is None:
        table = Response.__table__
        response.submitted_on = date.today()
        connection = request_connection()
        connection.execute(update(table).where(table.c.id == response.id, table.c.submitted_on.is_(None))
                           .values(submitted_on=response.submitted_on))
        connection.commit()
