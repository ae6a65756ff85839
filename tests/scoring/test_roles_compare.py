"""Role subgroups and perception gaps; comparison with the school's teams and the previous round."""
import pytest

from spiegel.scoring import score_profile, score_round, score_team

from .factory import element, group, module, respondent

MOD = module(group("P", element("P1", 2), element("P2", 2)))


def _people(role, count, **by_element):
    return [respondent(role, **by_element) for _ in range(count)]


def test_gap_is_teachers_minus_leaders_and_support():
    team = _people("teacher", 3, P1=(4, 4), P2=(3, 3))
    team += _people("leader", 2, P1=(2, 2), P2=(3, 3)) + _people("support", 1, P1=(3, 3), P2=(3, 3))
    roles = score_team([MOD], team).roles
    assert roles.shown and (roles.teachers, roles.leaders) == (3, 3)
    gap = roles.gaps["P1"]
    assert gap.teachers.mean == 4.0
    assert gap.leaders.mean == pytest.approx(7 / 3)
    assert gap.gap == 1.7  # the difference of the printed means, 4.0 − 2.3
    assert roles.gaps["P2"].gap == 0.0
    assert roles.gaps["P"].gap == 0.8  # group level too: 3.5 − 2.7 (2.667 shown)


def test_subgroup_below_minimum_hides_the_whole_comparison():
    team = _people("teacher", 5, P1=(4, 4)) + _people("leader", 2, P1=(2, 2))
    roles = score_team([MOD], team).roles
    assert not roles.shown
    assert roles.fewer_than == 3 and roles.teachers is None and roles.leaders is None
    assert not roles.gaps


def test_one_or_two_others_would_be_revealed_by_subtraction_so_nothing_is_shown():
    base = _people("teacher", 3, P1=(4, 4)) + _people("leader", 3, P1=(2, 2))
    assert not score_team([MOD], base + _people("other", 1, P1=(5, 5))).roles.shown
    assert not score_team([MOD], base + _people("other", 2, P1=(5, 5))).roles.shown
    assert score_team([MOD], base + _people("other", 3, P1=(5, 5))).roles.shown


def test_unit_with_too_few_leader_scores_is_hidden_for_both_subgroups():
    team = _people("teacher", 3, P1=(4, 4), P2=(4, 4))
    team += _people("leader", 2, P1=(2, 2), P2=(2, 2)) + _people("leader", 1, P1=(2, 2), P2=(None, None))
    roles = score_team([MOD], team).roles
    assert roles.shown
    assert roles.gaps["P1"].gap == 2.0
    hidden = roles.gaps["P2"]
    assert hidden.gap is None
    assert hidden.teachers.mean is None and hidden.leaders.mean is None and hidden.leaders.n is None


def test_unit_where_the_rest_would_be_revealed_is_hidden():
    # Three "others" overall, but only one of them answered P2: team P2 − teachers − leaders = that one.
    team = _people("teacher", 3, P1=(4, 4), P2=(4, 4)) + _people("leader", 3, P1=(2, 2), P2=(2, 2))
    team += _people("other", 1, P1=(5, 5), P2=(5, 5)) + _people("other", 2, P1=(5, 5))
    roles = score_team([MOD], team).roles
    assert roles.shown
    assert roles.gaps["P1"].gap == 2.0
    assert roles.gaps["P2"].gap is None


# -- school comparison and previous round -------------------------------------------------------

def _team(p1, size=3):
    return _people("teacher", size, P1=(p1, p1), P2=(3, 3))


@pytest.fixture
def school():
    teams = {"A": _team(4), "B": _team(3), "C": _team(3), "D": _team(2), "E": _team(5, size=2),
             # F is shown, but only two of its three members give P1 a value: its P1 stays hidden.
             "F": _team(5, size=2) + _people("teacher", 1, P1=(None, None), P2=(3, 3))}
    previous = {"A": score_profile([MOD], _people("teacher", 4, P1=(3, 4))),
                "B": score_profile([MOD], _people("teacher", 2, P1=(1, 1)))}
    return score_round([MOD], teams, previous=previous)


def test_school_mean_counts_each_shown_team_once_and_never_a_suppressed_one(school):
    assert school.school.means["P1"] == 3.0  # (4 + 3 + 3 + 2) / 4; teams E and F stay out
    assert school.school.teams["P1"] == 4
    assert school.teams["F"].profile.shown and "P1" not in school.teams["F"].comparisons
    assert school.school.teams["P2"] == 5
    assert school.teams["D"].comparisons["P1"].school_gap == -1.0
    assert school.teams["D"].comparisons["P1"].teams == 4


def test_rank_shares_the_best_rank_on_ties(school):
    ranks = {key: school.teams[key].comparisons["P1"].rank for key in "ABCD"}
    assert ranks == {"A": 1, "B": 2, "C": 2, "D": 4}


def test_suppressed_team_gets_no_comparison_at_all(school):
    hidden = school.teams["E"]
    assert not hidden.profile.shown
    assert not hidden.comparisons and not hidden.patterns and not hidden.priorities.actions
    assert not hidden.roles.shown


def test_delta_with_previous_round_only_when_both_are_shown(school):
    a = school.teams["A"].comparisons["P1"]
    assert (a.previous, a.delta) == (3.5, 0.5)
    b = school.teams["B"].comparisons["P1"]  # B's previous round had two respondents
    assert (b.previous, b.delta) == (None, None)
    assert school.teams["C"].comparisons["P1"].delta is None


def test_single_team_without_school_has_no_school_numbers():
    comparison = score_team([MOD], _team(4)).comparisons["P1"]
    assert comparison.school_mean is None and comparison.rank is None and comparison.teams == 0
