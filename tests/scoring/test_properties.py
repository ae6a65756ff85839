"""Invariants over random teams: bounded scores, order independence, and anonymity that never leaks."""
import dataclasses
from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.instrument.model import PHASES, ROLES
from spiegel.scoring import ResponseData, Score, ScoringConfig, score_round, score_team
from spiegel.scoring.stats import summarise, summarise_counts

from .factory import SKIP, model_modules

MODULES = model_modules()
ITEMS = [item for module in MODULES for item in module.items()]
ANSWER = st.sampled_from([1, 2, 3, 4, 5, None, SKIP, SKIP])


@st.composite
def responses(draw):
    role = draw(st.sampled_from(ROLES))
    asked = [item for item in ITEMS if item.asked_of(role)]
    # A respondent either answers broadly or mostly skips, so both the half rule and full teams occur.
    values = draw(st.lists(ANSWER, min_size=len(asked), max_size=len(asked)))
    answers = {item.id: value for item, value in zip(asked, values) if value is not SKIP}
    return ResponseData(role, answers, draw(st.sampled_from((*PHASES, None))))


teams = st.lists(responses(), min_size=0, max_size=9)
configs = st.builds(ScoringConfig, min_group_size=st.integers(3, 5))


def walk(value, path="result"):
    """Every (path, object) in a result tree: dataclasses, mappings, tuples."""
    yield path, value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from walk(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from walk(item, f"{path}[{key!r}]")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")


def numbers(result):
    return [(path, v) for path, v in walk(result) if isinstance(v, (int, float)) and not isinstance(v, bool)]


@settings(max_examples=150, deadline=None)
@given(teams, configs)
def test_scores_stay_on_the_scale(team, config):
    result = score_team(MODULES, team, config)
    for path, score in walk(result):
        if isinstance(score, Score) and score.shown:
            assert 1 <= score.mean <= 5, path
            assert score.sd >= 0 and 0 <= score.agreement <= 1, path
        if isinstance(score, Score) and score.dont_know_share is not None:
            assert 0 <= score.dont_know_share <= 1, path
    for element in result.profile.elements.values():
        assert element.position is None or -4 <= element.position <= 4
    for gap in result.roles.gaps.values():
        assert gap.gap is None or -4 <= gap.gap <= 4


@settings(max_examples=100, deadline=None)
@given(teams, st.randoms(use_true_random=False))
def test_permuting_respondents_changes_nothing(team, rng):
    shuffled = list(team)
    rng.shuffle(shuffled)
    assert score_team(MODULES, shuffled) == score_team(MODULES, team)


@settings(max_examples=150, deadline=None)
@given(teams, configs)
def test_suppression_never_leaks_a_number_below_the_minimum(team, config):
    minimum = config.min_group_size
    result = score_team(MODULES, team, config)
    if len(team) < minimum:
        # A suppressed team: the only number anywhere is "fewer than <minimum>".
        assert {v for _, v in numbers(result)} <= {minimum}
        assert result.profile.fewer_than == minimum
        return
    assert result.profile.size == len(team)
    for path, value in walk(result):
        if isinstance(value, Score):
            if value.shown:
                assert value.n >= minimum, path
            else:
                assert value.fewer_than == minimum, path
                assert (value.n, value.mean, value.sd, value.agreement, value.polarised) == (None,) * 5, path
    for item in result.profile.items.values():
        if item.distribution is not None:
            assert item.score.shown and sum(item.distribution) == item.score.n
        else:
            assert not item.score.shown
    if result.roles.shown:
        assert result.roles.teachers >= minimum and result.roles.leaders >= minimum
        assert len(team) - result.roles.teachers - result.roles.leaders in {0, *range(minimum, len(team) + 1)}
        for label, gap in result.roles.gaps.items():
            if gap.gap is not None:
                team_n = result.profile.scores[label].n
                rest = team_n - gap.teachers.n - gap.leaders.n
                assert rest == 0 or rest >= minimum, label
    phase = result.profile.phase
    assert phase.phase is None or phase.answered >= minimum


@settings(max_examples=60, deadline=None)
@given(st.lists(teams, min_size=1, max_size=3), st.lists(responses(), min_size=1, max_size=2))
def test_a_suppressed_team_never_changes_the_other_teams_results(others, small):
    base = dict(enumerate(others))
    with_small = {**base, "small": small}
    before, after = score_round(MODULES, base), score_round(MODULES, with_small)
    assert not after.teams["small"].profile.shown
    for key in base:
        assert after.teams[key] == before.teams[key]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 5), max_size=30), configs)
def test_item_statistics_from_counts_equal_those_from_the_answers(values, config):
    counts = [values.count(k) for k in range(1, 6)]
    assert summarise_counts(counts, config, 0.25) == summarise([float(v) for v in values], config, 0.25)
