"""Hand-computed profiles: means of respondents' means, reverse keying, "weet niet", the half rule,
spread and agreement, bands, bipolar poles, the team phase and anonymity at the group threshold."""
from math import sqrt

import pytest

from spiegel.scoring import ATTENTION, BOTTLENECK, STRENGTH, ResponseData, ScoringConfig, score_profile
from spiegel.scoring.stats import band

from .factory import SKIP, element, group, module, respondent

# P1 has three items, the third reverse-keyed; P2 two items; D1 one outcome item nobody answers.
SMALL = module(
    group("P", element("P1", 3, reverse=[3]), element("P2", 2)),
    group("D", element("D1", 1), kind="outcome"),
)
TEAM = [
    respondent(P1=(4, 5, 2), P2=(3, 3)),  # P1 = (4 + 5 + [6-2]) / 3 = 13/3; P2 = 3
    respondent(P1=(2, None, 4), P2=(SKIP, 5)),  # P1 = (2 + [6-4]) / 2 = 2 (2 of 3 valued); P2 = 5
    respondent(P1=(None, None, 1), P2=(1, 2)),  # P1: 1 of 3 valued < half → no score; P2 = 1.5
    respondent(P1=(3, 3, 3), P2=(4, None)),  # P1 = 3; P2 = 4
]


@pytest.fixture
def small():
    return score_profile([SMALL], TEAM)


def test_element_score_is_mean_of_respondent_means_with_reverse_items_and_half_rule(small):
    p1 = small.scores["P1"]
    assert p1.n == 3  # the third respondent has too few values
    assert p1.mean == pytest.approx(28 / 9)  # (13/3 + 2 + 3) / 3
    assert p1.sd == pytest.approx(sqrt(111) / 9)  # deviations 11/9, -10/9, -1/9; divisor n - 1
    assert p1.agreement == pytest.approx(2 / 3)  # median 3: 2 and 3 within one point, 13/3 not
    assert p1.polarised is True  # 1 of 3 <= 2 and 1 of 3 >= 4: both at least 25 %
    assert p1.dont_know_share == pytest.approx(3 / 12)  # 3 "weet niet" among 12 answers


def test_one_value_of_two_is_enough_for_a_respondent(small):
    p2 = small.scores["P2"]
    assert p2.n == 4
    assert p2.mean == pytest.approx((3 + 5 + 1.5 + 4) / 4)
    assert p2.dont_know_share == pytest.approx(1 / 7)


def test_group_score_is_mean_of_respondents_group_means(small):
    # Respondents: (13/3 + 3)/2, (2 + 5)/2, P2 only = 1.5 (1 of 2 elements is half), (3 + 4)/2.
    assert small.groups["P"].score.mean == pytest.approx((11 / 3 + 3.5 + 1.5 + 3.5) / 4)
    assert small.groups["P"].score.n == 4
    assert small.groups["P"].band == ATTENTION


def test_item_distribution_counts_raw_answers_and_score_is_reversed(small):
    item = small.items["P1.3"]
    assert item.reverse
    assert item.distribution == (1, 1, 1, 1, 0)  # answers 2, 4, 1, 3 as given
    assert item.score.mean == pytest.approx((4 + 2 + 5 + 3) / 4)
    assert item.dont_know == 0


def test_item_with_too_few_values_shows_only_its_weet_niet_count(small):
    item = small.items["P1.2"]  # values 5 and 3, two "weet niet"
    assert not item.score.shown
    assert item.score.n is None and item.score.mean is None and item.distribution is None
    assert item.score.fewer_than == 3
    assert item.dont_know == 2
    assert item.score.dont_know_share == pytest.approx(0.5)


def test_unanswered_unit_is_suppressed_without_any_number(small):
    d1 = small.scores["D1"]
    assert not d1.shown
    assert (d1.n, d1.mean, d1.sd, d1.agreement, d1.polarised, d1.dont_know_share) == (None,) * 6
    assert small.elements["D1"].band is None
    assert small.items["D1.1"].dont_know is None


def test_all_weet_niet_element_is_suppressed_but_reports_its_share():
    mod = module(group("L", element("L6", 2), element("L1", 2)))
    team = [respondent(L6=(None, None), L1=(4, 4)) for _ in range(3)]
    profile = score_profile([mod], team)
    l6 = profile.scores["L6"]
    assert not l6.shown and l6.n is None
    assert l6.dont_know_share == 1.0
    assert profile.items["L6.1"].dont_know == 3
    assert profile.items["L6.1"].distribution is None
    # The group score rests on L1 alone: 1 of 2 elements is half.
    assert profile.groups["L"].score.mean == 4.0


def test_answers_to_items_not_asked_of_the_role_are_ignored():
    mod = module(group("L", element("L6", 2, item_roles={2: {"leader"}})))
    team = [respondent("teacher", L6=(2, 5)) for _ in range(3)]  # L6.2 is for leaders only
    profile = score_profile([mod], team)
    assert profile.scores["L6"].mean == 2.0
    assert not profile.items["L6.2"].score.shown
    assert profile.items["L6.2"].dont_know is None


def test_half_rule_counts_only_items_asked_of_the_role():
    # Teachers are asked 2 of the 3 items, so one value of those two is enough for them.
    mod = module(group("S", element("S1", 3, item_roles={3: {"leader"}})))
    team = [respondent("teacher", S1=(4, SKIP)) for _ in range(3)]
    assert score_profile([mod], team).scores["S1"].mean == 4.0


@pytest.mark.parametrize("value, expected", [
    # decided on the value as shown (one decimal, half up): 3.45 reads "3.5", so it is a strength
    (3.5, STRENGTH), (3.45, STRENGTH), (3.449999, ATTENTION), (2.5, ATTENTION), (2.45, ATTENTION),
    (2.449999, BOTTLENECK), (5.0, STRENGTH), (1.0, BOTTLENECK), (None, None),
])
def test_bands_at_their_thresholds(value, expected):
    assert band(value, ScoringConfig()) == expected


def test_bands_follow_configured_thresholds():
    config = ScoringConfig(band_high=4.0, band_low=3.0)
    assert band(3.5, config) == ATTENTION
    assert band(2.9, config) == BOTTLENECK
    assert band(4.0, config) == STRENGTH


def test_mean_exactly_on_threshold_gets_that_band_despite_float_noise():
    # Respondent means 10/3 and 11/3 (three items) and 3.5: the mean is 3.5 exactly, a strength.
    mod = module(group("P", element("P1", 3)))
    team = [respondent(P1=(3, 3, 4)), respondent(P1=(4, 4, 3)), respondent(P1=(3, 4, 4)), respondent(P1=(3, 3, 4))]
    profile = score_profile([mod], team)
    assert profile.scores["P1"].mean == 3.5
    assert profile.elements["P1"].band == STRENGTH


def test_bipolar_element_has_poles_and_position_but_no_score_band_or_group_share():
    mod = module(group("R", element("R1", 2), element("R3", facets={"a": 2, "b": 2})))
    team = [respondent(R1=(4, 4), R3=(2, 2, 4, 5)), respondent(R1=(2, 2), R3=(1, 3, 5, 5)),
            respondent(R1=(3, 3), R3=(2, 2, 3, 3))]
    profile = score_profile([mod], team)
    r3 = profile.elements["R3"]
    assert r3.score is None and r3.band is None
    assert "R3" not in profile.scores
    assert r3.facets["a"].mean == pytest.approx(2.0)  # (2 + 2 + 2) / 3
    assert r3.facets["b"].mean == pytest.approx((4.5 + 5 + 3) / 3)
    assert r3.position == pytest.approx(r3.facets["b"].mean - 2.0)
    assert profile.scores["R3b"] is r3.facets["b"]
    # The group score is R1's alone: bipolar poles are not "higher is better".
    assert profile.groups["R"].score.mean == pytest.approx(3.0)


def test_unipolar_facets_are_scored_next_to_the_element():
    mod = module(group("I", element("I3", facets={"output": 2, "process": 2})))
    team = [respondent(I3=(4, 4, 1, 2)) for _ in range(3)]
    profile = score_profile([mod], team)
    assert profile.scores["I3"].mean == pytest.approx(11 / 4)
    assert profile.scores["I3output"].mean == 4.0
    assert profile.scores["I3process"].mean == 1.5
    assert profile.elements["I3"].position is None


def test_spread_agreement_and_camps_on_a_split_team():
    mod = module(group("P", element("P1", 1)))
    team = [respondent(P1=(v,)) for v in (1, 1, 5, 5)]
    score = score_profile([mod], team).scores["P1"]
    assert score.mean == 3.0
    assert score.sd == pytest.approx(sqrt(16 / 3))  # four deviations of 2, divisor 3
    assert score.agreement == 0.0  # median 3, nobody within one point
    assert score.polarised is True


def test_unanimous_team_has_full_agreement_and_no_spread():
    mod = module(group("P", element("P1", 1)))
    score = score_profile([mod], [respondent(P1=(4,)) for _ in range(3)]).scores["P1"]
    assert (score.sd, score.agreement, score.polarised) == (0.0, 1.0, False)


# -- anonymity at the threshold -----------------------------------------------------------------

def test_three_respondents_are_shown():
    profile = score_profile([SMALL], [respondent(P1=(4, 4, 4), P2=(4, 4))] * 3)
    assert profile.shown and profile.size == 3
    # (4 + 4 + [6 - 4]) / 3: the third item is reverse-keyed.
    assert profile.scores["P1"].n == 3 and profile.scores["P1"].mean == pytest.approx(10 / 3)


def test_two_respondents_are_suppressed_entirely():
    profile = score_profile([SMALL], [respondent(P1=(4, 4, 4), P2=(4, 4))] * 2)
    assert not profile.shown
    assert profile.size is None and profile.fewer_than == 3
    assert not profile.items and not profile.elements and not profile.groups and not profile.scores
    assert profile.value("P1") is None
    assert profile.phase.phase is None and profile.phase.counts is None


def test_a_higher_configured_minimum_suppresses_more():
    config = ScoringConfig(min_group_size=5)
    assert not score_profile([SMALL], TEAM, config).shown
    assert score_profile([SMALL], TEAM + [respondent(P1=(3, 3, 3))], config).scores["P1"].fewer_than == 5


def test_a_minimum_below_three_is_refused():
    with pytest.raises(ValueError):
        ScoringConfig(min_group_size=2)
    with pytest.raises(ValueError):
        ScoringConfig.from_mapping({"MIN_GROUP_SIZE": 1})


def test_config_from_app_style_mapping():
    config = ScoringConfig.from_mapping({"MIN_GROUP_SIZE": 4, "BAND_HIGH": "3.8", "SECRET_KEY": "x",
                                         "GAP_THRESHOLD": None})
    assert config.min_group_size == 4 and config.band_high == 3.8
    assert config.gap_threshold == ScoringConfig().gap_threshold


@pytest.mark.parametrize("bad", [{"band_low": 3.6}, {"polar_share": 1.5}, {"agreement_window": 0}])
def test_inconsistent_thresholds_are_refused(bad):
    with pytest.raises(ValueError):
        ScoringConfig(**bad)


def test_leader_only_element_in_a_team_with_two_leaders_is_suppressed():
    mod = module(group("L", element("L1", 2), element("L6", 2, roles={"leader"})))
    team = [respondent("teacher", L1=(3, 3)) for _ in range(5)]
    team += [respondent("leader", L1=(4, 4), L6=(5, 5)), respondent("leader", L1=(2, 2), L6=(1, 1))]
    profile = score_profile([mod], team)
    assert profile.shown and profile.scores["L1"].n == 7
    assert not profile.scores["L6"].shown
    assert profile.items["L6.1"].distribution is None and profile.items["L6.1"].dont_know is None


# -- input validation ---------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"role": "pupil", "answers": {}},
    {"role": "teacher", "answers": {"P1.1": 6}},
    {"role": "teacher", "answers": {"P1.1": 0}},
    {"role": "teacher", "answers": {}, "phase": "LATER"},
])
def test_bad_response_data_is_refused(kwargs):
    with pytest.raises(ValueError):
        ResponseData(**kwargs)


# -- team phase ---------------------------------------------------------------------------------

def _phases(*codes):
    return score_profile([SMALL], [respondent(phase=code, P1=(3, 3, 3)) for code in codes]).phase


def test_phase_is_the_most_chosen():
    result = _phases("BOR", "IMP", "BOR", None, "DIF", "BOR", "IMP", "IMP", "IMP")
    assert result.phase == "IMP"
    assert result.tied == ()
    assert result.second == "BOR"
    assert result.answered == 8
    assert result.counts == {"INI": 0, "IMP": 4, "BOR": 3, "DIF": 1}


def test_another_phase_is_named_only_when_at_least_the_minimum_chose_it():
    """Issue 15, attack 3: "also mentioned: DIF" would say what one person answered."""
    result = _phases("BOR", "IMP", "BOR", None, "DIF")
    assert result.phase == "BOR"
    assert result.second is None  # IMP and DIF once each
    assert _phases("IMP", "IMP", "IMP", "BOR", "BOR").second is None  # two people
    assert _phases("IMP", "IMP", "IMP", "BOR", "BOR", "BOR", "IMP").second == "BOR"


def test_phase_tie_goes_to_the_earliest_and_is_reported():
    result = _phases("DIF", "IMP", "DIF", "IMP", "DIF", "IMP")
    assert result.phase == "IMP"
    assert result.tied == ("IMP", "DIF")
    assert result.second == "DIF"
    # A tie of two people each is not named: each phase would be two people's answer.
    two_each = _phases("DIF", "IMP", "DIF", "IMP")
    assert two_each.phase == "IMP" and two_each.tied == () and two_each.second is None


def test_phase_needs_the_minimum_number_of_answers():
    result = _phases("BOR", "BOR", None, None)
    assert result.phase is None and result.counts is None and result.answered is None


def test_modules_without_phase_question_give_no_phase():
    mod = module(group("BV", element("BV1", 2), kind="pillars"), module_id="policy", phase=False)
    profile = score_profile([mod], [respondent(phase="BOR", BV1=(3, 3)) for _ in range(3)])
    assert profile.phase.phase is None


def test_a_facet_label_that_collides_with_an_element_id_is_refused():
    mod = module(group("R", element("R3", facets={"a": 1, "b": 1}), element("R3b", 2)))
    with pytest.raises(ValueError, match="R3b"):
        score_profile([mod], [])
