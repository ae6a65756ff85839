"""The round-profiles service: submitted responses only, previous rounds, config, a fixed query count."""
import itertools
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from spiegel.instrument import load_instrument
from spiegel.org.models import Board, School, Team
from spiegel.results import profiles as profiles_module
from spiegel.results.profiles import (
    load_responses,
    open_answers_shown,
    previous_round_of,
    refresh_releases,
    round_profiles,
    team_profile,
)
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db
from spiegel.survey.models import Answer, OpenAnswer, Response

NOW = datetime(2026, 3, 1, 9, 0)
_serial = itertools.count()


@pytest.fixture
def school(app):
    school = School(board=Board(name="Board"), name="School")
    db.session.add(school)
    db.session.commit()
    return school


def make_round(school, name, opens_at, closes_at, teams):
    modules = load_instrument().current()
    round_ = Round(school=school, name=name, modules=[m.id for m in modules],
                   instrument_versions={m.id: m.version for m in modules}, innovation_name="Samen leren",
                   opens_at=opens_at, closes_at=closes_at)
    round_teams = {team.name: RoundTeam(round=round_, team=team, code=f"C{next(_serial):06d}") for team in teams}
    db.session.add(round_)
    db.session.commit()
    return round_, round_teams


def answer(round_team, count, role="teacher", submitted=True, phase="IMP", **items):
    """``count`` responses giving ``items`` (item id with "_" for "." → value)."""
    for _ in range(count):
        serial = next(_serial)
        response = Response(round_team=round_team, role=role, language="nl", phase=phase,
                            token_hash=f"t{serial:063d}", resume_hash=f"r{serial:063d}",
                            submitted_on=date(2026, 3, 2) if submitted else None)
        response.answers = [Answer(item_id=k.replace("_", "."), value=v) for k, v in items.items()]
        db.session.add(response)
    db.session.commit()


@pytest.fixture
def rounds(school):
    a, b = Team(name="A"), Team(name="B")
    school.teams.extend([a, b])
    db.session.commit()
    oldest, oldest_teams = make_round(school, "2024", NOW - timedelta(days=800), NOW - timedelta(days=700), [a])
    last, last_teams = make_round(school, "2025", NOW - timedelta(days=400), NOW - timedelta(days=300), [a])
    overlapping, overlap_teams = make_round(school, "overlap", NOW - timedelta(days=10), NOW + timedelta(days=5), [a])
    current, current_teams = make_round(school, "2026", NOW, NOW + timedelta(days=30), [a, b])
    answer(oldest_teams["A"], 3, P1_1=5, P1_2=5)
    answer(last_teams["A"], 3, P1_1=2, P1_2=2)
    answer(overlap_teams["A"], 3, P1_1=1, P1_2=1)
    answer(current_teams["A"], 3, P1_1=4, P1_2=2)
    answer(current_teams["A"], 1, submitted=False, P1_1=1, P1_2=1)  # still answering: not counted
    answer(current_teams["B"], 2, P1_1=5, P1_2=5)
    return current, current_teams


def test_only_submitted_responses_count(rounds):
    current, teams = rounds
    profiles = round_profiles(current.id)
    team_a = profiles.teams[teams["A"].id]
    assert team_a.profile.size == 3
    assert team_a.profile.scores["P1"].mean == 3.0  # (4 + 2) / 2 for each of the three


def test_team_below_minimum_is_suppressed_and_left_out_of_the_school_mean(rounds):
    current, teams = rounds
    profiles = round_profiles(current.id)
    assert not profiles.teams[teams["B"].id].profile.shown
    assert profiles.result.school.means["P1"] == 3.0 and profiles.result.school.teams["P1"] == 1


def test_previous_round_is_the_latest_one_closed_before_this_round_opened(rounds):
    current, teams = rounds
    comparison = round_profiles(current.id).teams[teams["A"].id].comparisons["P1"]
    # 2025 (P1 = 2) beats 2024 (P1 = 5); the overlapping round had not closed when this one opened.
    assert (comparison.previous, comparison.delta) == (2.0, 1.0)


def test_team_profile_is_the_teams_entry_of_its_round(rounds):
    current, teams = rounds
    assert team_profile(teams["A"].id) == round_profiles(current.id).teams[teams["A"].id]
    with pytest.raises(LookupError):
        team_profile(999_999)
    with pytest.raises(LookupError):
        round_profiles(999_999)


def test_minimum_group_size_comes_from_the_app_config(app, rounds):
    current, teams = rounds
    app.config["MIN_GROUP_SIZE"] = 4
    team_a = round_profiles(current.id).teams[teams["A"].id]
    assert not team_a.profile.shown and team_a.profile.fewer_than == 4


def test_submitted_response_without_answers_still_counts(rounds):
    current, teams = rounds
    answer(teams["B"], 1)
    loaded = load_responses(refresh_releases([teams["B"].id]))
    assert len(loaded[teams["B"].id]) == 3
    assert round_profiles(current.id).teams[teams["B"].id].profile.size == 3


def test_answers_arrive_as_plain_response_data(rounds):
    _, teams = rounds
    (first, *_) = load_responses(refresh_releases([teams["A"].id]))[teams["A"].id]
    assert (first.role, first.phase, dict(first.answers)) == ("teacher", "IMP", {"P1.1": 4, "P1.2": 2})


@contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_query_count_does_not_grow_with_teams_or_respondents(school):
    def build(n_teams, label):
        teams = [Team(name=f"{label}{k}") for k in range(n_teams)]
        school.teams.extend(teams)
        db.session.commit()
        earlier, earlier_teams = make_round(school, f"{label} before", NOW - timedelta(days=400),
                                            NOW - timedelta(days=300), teams)
        current, current_teams = make_round(school, label, NOW, NOW + timedelta(days=9), teams)
        for round_team in [*earlier_teams.values(), *current_teams.values()]:
            answer(round_team, 3, P1_1=3, S1_1=4)
        db.session.expire_all()
        return current

    small, large = build(2, "small"), build(6, "large")
    with counted_queries() as few:
        round_profiles(small.id)
    db.session.expire_all()
    with counted_queries() as many:
        round_profiles(large.id)
    # The first look writes the releases and stores the scored round.
    assert len(few) == len(many) <= 16, (few, many)
    # the round, its teams, their releases, its answers, earlier rounds, their releases (+ answers)
    assert len(few) >= 6
    db.session.expire_all()
    with counted_queries() as again:
        round_profiles(large.id)
    # A second look reads the stored results: no answer is loaded.
    assert len(again) < len(many) and not any("answer" in statement for statement in again), again


def test_scored_results_are_stored_and_scored_again_only_when_the_release_changes(rounds, monkeypatch):
    current, teams = rounds
    calls = []
    original = profiles_module.score_round
    monkeypatch.setattr(profiles_module, "score_round", lambda *a, **k: calls.append(1) or original(*a, **k))
    first = round_profiles(current.id)
    db.session.expire_all()
    assert round_profiles(current.id).result == first.result and len(calls) == 1
    answer(teams["A"], 2, P1_1=1, P1_2=1)  # fewer than the minimum of new responses: same release
    db.session.expire_all()
    assert round_profiles(current.id).result == first.result and len(calls) == 1
    answer(teams["A"], 1, P1_1=1, P1_2=1)  # the release grows: scored again
    db.session.expire_all()
    grown = round_profiles(current.id)
    assert len(calls) == 2 and grown.teams[teams["A"].id].profile.size == 6
    app_config = profiles_module.current_app.config
    app_config["BAND_HIGH"] = 3.9  # another setting: scored again
    db.session.expire_all()
    round_profiles(current.id)
    assert len(calls) == 3


def test_open_answers_are_served_only_for_questions_the_minimum_answered_in_alphabetical_order(school):
    """The service, not the report, applies the anonymity minimum to open answers (issue 19)."""
    team = Team(name="A")
    school.teams.append(team)
    _round, teams = make_round(school, "Closed", NOW - timedelta(days=30), NOW - timedelta(days=1), [team])
    answer(teams["A"], 3)
    responses = db.session.query(Response).filter_by(round_team_id=teams["A"].id).order_by(Response.id).all()
    for response, text in zip(responses, ["beta", " alfa ", "Gamma"]):
        response.open_answers.append(OpenAnswer(question_id="q.many", text=text))
    for response in responses[:2]:  # two answers: fewer than the minimum of three
        response.open_answers.append(OpenAnswer(question_id="q.few", text="only two of us"))
    db.session.commit()
    refresh_releases([teams["A"].id])
    assert open_answers_shown(teams["A"].id) == {"q.many": ("alfa", "beta", "Gamma")}


def test_previous_round_of_a_team_is_its_latest_earlier_round_at_the_school(school):
    team = Team(name="A")
    school.teams.append(team)
    old, old_teams = make_round(school, "2024", NOW - timedelta(days=800), NOW - timedelta(days=770), [team])
    last, last_teams = make_round(school, "2025", NOW - timedelta(days=400), NOW - timedelta(days=370), [team])
    _now, now_teams = make_round(school, "2026", NOW - timedelta(days=5), NOW + timedelta(days=5), [team])
    assert previous_round_of(now_teams["A"]) == (last_teams["A"].id, last)
    assert previous_round_of(old_teams["A"]) is None


def test_a_stored_scoring_is_unpickled_once_and_never_stands_for_another(rounds):
    """The stored bytes are unpickled once per process (immutable results, keyed by the bytes' digest):
    two looks at the same release share one result; a grown release is a new one."""
    current, teams = rounds
    round_profiles(current.id)  # scores and stores
    db.session.expire_all()
    stored = round_profiles(current.id).result
    db.session.expire_all()
    assert round_profiles(current.id).result is stored
    answer(teams["A"], 3, P1_1=1, P1_2=1)  # the release grows: scored and stored again
    db.session.expire_all()
    round_profiles(current.id)
    db.session.expire_all()
    grown = round_profiles(current.id).result
    assert grown is not stored and grown.teams[teams["A"].id].profile.size == stored.teams[teams["A"].id].profile.size + 3


def test_a_stored_scoring_that_no_longer_loads_is_scored_again(rounds):
    """A release that moves the classes a stored scoring was pickled with (spiegel.rounds.profiles →
    spiegel.results.profiles did) scores the round again and replaces the row, instead of a 500."""
    import pickle
    import sys
    import types

    from sqlalchemy import update

    from spiegel.results.profiles import school_results
    from spiegel.rounds.models import ScoredRound

    current, _teams = rounds
    expected = round_profiles(current.id).result
    gone = types.ModuleType("spiegel_gone")

    class Old:
        pass

    Old.__module__, Old.__qualname__, gone.Old = "spiegel_gone", "Old", Old
    sys.modules["spiegel_gone"] = gone
    try:
        unloadable = pickle.dumps(Old())
    finally:
        del sys.modules["spiegel_gone"]
    db.session.execute(update(ScoredRound).where(ScoredRound.round_id == current.id)
                       .values(result=unloadable, summary=unloadable))
    db.session.commit()
    db.session.expire_all()
    assert school_results(current.id).summary == expected.school
    assert round_profiles(current.id).result == expected
    stored = db.session.get(ScoredRound, current.id)
    assert pickle.loads(stored.result) == expected  # replaced by a scoring that loads
