"""The school's leaders together (issue 17): elements asked of leaders only, pooled over a round's teams,
with the minimum and the subtraction rule of role subgroups."""
import pytest

from spiegel.scoring import score_round

from .factory import element, group, module, respondent

MOD = module(group("L", element("L1", 2), element("L6", 2, roles={"leader"})))


def _team(teachers, *leader_values):
    team = [respondent("teacher", L1=(3, 3)) for _ in range(teachers)]
    return team + [respondent("leader", L1=(3, 3), L6=(value, value)) for value in leader_values]


def test_one_leader_per_team_counts_together():
    result = score_round([MOD], {"a": _team(3, 5), "b": _team(3, 4), "c": _team(3, 2)})
    assert all(not team.profile.scores["L6"].shown for team in result.teams.values())
    pooled = result.leaders["L6"]
    assert pooled.shown and pooled.n == 3
    assert pooled.mean == pytest.approx(11 / 3)
    assert set(result.leaders) == {"L6"}  # L1 is asked of everyone: a team shows it


def test_below_the_minimum_the_pool_is_hidden():
    result = score_round([MOD], {"a": _team(3, 5), "b": _team(3, 4), "c": _team(3)})
    pooled = result.leaders["L6"]
    assert not pooled.shown and pooled.mean is None and pooled.n is None and pooled.fewer_than == 3


def test_unreleased_or_empty_teams_add_nothing():
    result = score_round([MOD], {"a": _team(3, 5), "b": _team(3, 4), "c": []})
    assert not result.leaders["L6"].shown


def test_one_or_two_leaders_beside_a_team_that_shows_l6_are_not_shown():
    # Team a shows its own L6 (three leaders): pool − team a would be team b's single leader.
    shows = _team(0, 4, 4, 4)
    assert not score_round([MOD], {"a": shows, "b": _team(3, 1)}).leaders["L6"].shown
    assert not score_round([MOD], {"a": shows, "b": _team(3, 1, 1)}).leaders["L6"].shown
    three = score_round([MOD], {"a": shows, "b": _team(3, 1), "c": _team(3, 1), "d": _team(3, 1)}).leaders["L6"]
    assert three.shown and three.n == 6 and three.mean == 2.5


def test_a_round_without_leader_only_elements_has_no_pool():
    plain = module(group("P", element("P1", 2)))
    assert dict(score_round([plain], {"a": [respondent("leader", P1=(4, 4))] * 3}).leaders) == {}
