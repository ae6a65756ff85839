"""Issue 18: pulse rounds — a team re-measures only its focus elements and the sustainability indicators
(at most 15 items), with the same codes, release rule and anonymity minimum as a full round; the trend
and the next mirror show each focus element across the full rounds and the pulses."""
from datetime import timedelta

import pytest
from flask_babel import force_locale

from spiegel.instrument import load_instrument
from spiegel.plans import services
from spiegel.reports.context import build_report
from spiegel.results.profiles import previous_round_teams, release_early, round_profiles, team_profile
from spiegel.rounds import comparison, pulse
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey.services import find_round_team, pages_for
from tests.conftest import fresh
from tests.plans.test_views import post, url

SUSTAINABILITY = load_instrument().module("sustainability")
OUTCOMES = [e.id for g in SUSTAINABILITY.groups if g.kind == "outcome" for e in g.elements]


def element(element_id):
    return next(e for e in SUSTAINABILITY.elements() if e.id == element_id)


def test_a_pulse_asks_the_focus_elements_whole_and_the_indicators_within_fifteen_items():
    modules = load_instrument().current()
    chosen = pulse.pulse_elements(modules, ["S1", "I3", "D2", "nonsense"])
    assert chosen[:2] == ["S1", "I3"]  # the focus first, whole; an indicator chosen as focus is no focus
    assert chosen[2:] == OUTCOMES  # 2 + 3 items, then all seven indicators: 12 items
    # the longest focus elements: 4 + 4 + 3 items leave room for four indicators only
    longest = pulse.pulse_elements(modules, ["R5", "L5", "S4"])
    items = sum(len(element(e).items) for e in longest)
    assert longest == ["R5", "L5", "S4", *OUTCOMES[:4]] and items == pulse.MAX_ITEMS == 15
    with pytest.raises(pulse.PulseError):
        pulse.pulse_elements(modules, ["D1"])


@pytest.fixture
def plan(scored_team):
    plan = services.create_plan(scored_team, generate=True, language="en")
    services.set_focus(plan, ["S1", "I3"])
    return plan


def _pulse(plan, hours_ago=12):
    return pulse.create_pulse(plan.round_team, plan.focus, "Pulse 1", now=utcnow() - timedelta(hours=hours_ago))


def _close(round_team):
    round_team.round.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


def _pages(app, code):
    """The respondent's pages of the round-team with this code, found as the respondent flow finds them
    (in an app context of their own, whose end returns the request connection)."""
    with app.app_context():
        team, _ = find_round_team(code)
        return pages_for(team.round, "teacher")


def test_a_pulse_is_a_short_round_of_the_same_team_with_its_own_code(app, plan, scored_team):
    created = _pulse(plan)
    round_ = created.round
    assert (round_.kind, round_.school_id, created.team_id) == ("pulse", scored_team.round.school_id, scored_team.team_id)
    assert len(round_.round_teams) == 1 and created.code != scored_team.code
    asked = [item.element_id for m in round_.instrument_modules() for item in m.items()]
    assert set(asked) == {"S1", "I3", *OUTCOMES} and len(asked) <= 15
    # the respondent's pages, found through the pulse's code: only those items, no phase question
    pages = _pages(app, created.code)
    assert {i.element_id for p in pages for i in p.items} == {"S1", "I3", *OUTCOMES}
    assert all(p.kind == "items" for p in pages)
    # the full round's pages are not the pulse's (no shared cache)
    assert len([i for p in _pages(app, scored_team.code) for i in p.items]) > 40


def test_below_the_minimum_a_pulse_shows_nothing_and_it_is_never_a_previous_round(plan, scored_team, answer_team):
    created = answer_team(_pulse(plan), n=2)
    _close(created)
    result = team_profile(created.id)
    assert not result.profile.shown and result.profile.size is None
    trend = comparison.trend([scored_team.round, created.round], scored_team.team, elements=["S1", "I3"])
    point = trend.points[-1]
    assert point.pulse and point.fewer_than == 3 and point.values == {}
    # a later full round compares with the full round (and its plan), not with the pulse
    following = Round(school_id=scored_team.round.school_id, name="Next", modules=scored_team.round.modules,
                      instrument_versions=scored_team.round.instrument_versions, innovation_name="x",
                      opens_at=utcnow(), closes_at=utcnow() + timedelta(days=9))
    db.session.add(RoundTeam(round=following, team_id=scored_team.team_id, code="NEXT0001"))
    db.session.commit()
    assert previous_round_teams(following, [scored_team.team_id])[scored_team.team_id][1].id == scored_team.round_id


def test_a_pulse_is_released_like_a_full_round(plan, scored_team, answer_team):
    created = answer_team(_pulse(plan), n=3)
    assert created.id not in round_profiles(created.round_id).released  # open and not released: nothing
    release_early(created)
    assert created.id in round_profiles(created.round_id).released and team_profile(created.id).profile.size == 3


def test_the_trend_shows_the_focus_points_across_full_rounds_and_pulses(plan, scored_team, answer_team):
    created = answer_team(_pulse(plan), n=3, value=lambda item: 5 if not item.reverse else 1)
    _close(created)
    rounds = [scored_team.round, created.round]
    trend = comparison.trend(rounds, scored_team.team, elements=pulse.focus_of(rounds, scored_team.team))
    assert [c.label for c in trend.elements] == ["I3", "S1"]  # questionnaire order
    full, pulsed = trend.points
    assert not full.pulse and pulsed.pulse
    assert full.values["S1"].mean == pytest.approx(team_profile(scored_team.id).profile.elements["S1"].score.mean)
    assert full.values["S1"].mean < 3 and pulsed.values["S1"].mean == 5.0
    # a pulse asked the whole group of indicators (D), not the whole structural group (S)
    assert "D" in pulsed.values and "S" not in pulsed.values and "S" in full.values
    # the school trend leaves a one-team pulse out
    assert [p.round_id for p in comparison.trend(rounds).points] == [scored_team.round_id]


def test_the_next_mirror_shows_the_focus_points_with_the_pulse(plan, scored_team, answer_team):
    created = answer_team(_pulse(plan, hours_ago=20), n=3, value=lambda item: 5 if not item.reverse else 1)
    _close(created)
    following = Round(school_id=scored_team.round.school_id, name="Next round", modules=scored_team.round.modules,
                      instrument_versions=scored_team.round.instrument_versions, innovation_name="x",
                      opens_at=utcnow(), closes_at=utcnow() + timedelta(days=9))
    next_team = RoundTeam(round=following, team_id=scored_team.team_id, code="NEXT0002")
    db.session.add(next_team)
    db.session.commit()
    answer_team(next_team, n=4)
    release_early(next_team)
    with force_locale("en"):
        report = build_report(next_team.id, "en", medium="web")
    names = [name for name, _, _ in report.focus_points]
    assert names == ["Round", "Pulse 1", "Next round"] and [p for _, _, p in report.focus_points] == [False, True, False]
    rows = {row.name: row.values for row in report.focus_trend}
    s1 = element("S1").name["en"]
    assert rows[s1][1] == "5.0" and rows[s1][0] == rows[s1][2] != "5.0"


@pytest.mark.parametrize("language, words", [("nl", "Pulsmeting"), ("en", "Pulse"), ("fr", "Pulsation")])
def test_the_facilitator_starts_a_pulse_from_the_plan(scored_team, facilitator, client, language, words):
    facilitator(scored_team, language)
    assert post(client, scored_team, "/create", {"mode": "proposal"}).status_code == 302
    page = client.get(url(scored_team))
    assert page.status_code == 200 and words in page.text
    response = post(client, scored_team, "/pulse", {})
    assert response.status_code == 302 and "/study-day" in response.headers["Location"]
    fresh()
    pulses = db.session.query(Round).filter_by(kind="pulse").all()
    assert len(pulses) == 1 and pulses[0].round_teams[0].team_id == scored_team.team_id
    assert client.get(response.headers["Location"]).status_code == 200
    assert pulses[0].name in client.get(url(scored_team)).text


@pytest.mark.parametrize("language, words", [("nl", "Focus"), ("en", "Focus"), ("fr", "Axe de travail")])
def test_the_leaders_trend_page_shows_the_pulse_and_the_focus_points(plan, scored_team, answer_team, make_user,
                                                                      login, client, language, words):
    created = answer_team(_pulse(plan), n=3)
    _close(created)
    login(client, make_user("school_leader", school=scored_team.round.school_id))
    client.get(f"/lang/{language}")
    page = client.get(f"/schools/{scored_team.round.school_id}/trend?team={scored_team.team_id}")
    assert page.status_code == 200
    s1 = element("S1").name[language]
    assert f"{words}: {s1}" in page.text and "Pulse 1" in page.text and 'class="tag"' in page.text


def test_a_pulse_never_gets_the_pages_of_a_full_round_of_the_same_modules(app, make_round_team, answer_team):
    """The respondent's pages are built once per process per round content: a pulse of a
    sustainability-only round asks the same module at the same version, but not the same items."""
    full_team = answer_team(make_round_team(status="closed", modules=["sustainability"]))
    plan = services.create_plan(full_team, generate=True, language="en")
    services.set_focus(plan, ["S1"])
    assert len([i for p in _pages(app, full_team.code) for i in p.items]) > 40
    created = _pulse(plan)
    assert {i.element_id for p in _pages(app, created.code) for i in p.items} == {"S1", *OUTCOMES}
