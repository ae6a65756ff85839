"""The priority list: order, tie-breaking, reasons, discussion items.

Teams answer 4 everywhere unless set (all strengths, no pattern), so only what a test sets becomes a
candidate."""
import pytest

from spiegel.scoring import BOTTLENECK, Reason, ResponseData, score_round, score_team

from .factory import model_modules, uniform_team

MODULES = model_modules()


def team(values, phase="IMP", n=3):
    return uniform_team(MODULES, values, phase=phase, n=n, default=4)


def ranked(values, phase="IMP"):
    return [item.element_id for item in score_team(MODULES, team(values, phase)).priorities.actions]


def test_strengths_and_outcomes_are_not_candidates():
    assert ranked({}) == []
    assert ranked({"D1": 1, "D2": 1}) == []


def test_bottlenecks_come_before_attention_whatever_the_questionnaire_order():
    assert ranked({"P1": 3, "S1": 2}) == ["S1", "P1"]


def test_equal_values_fall_back_to_questionnaire_order():
    assert ranked({"S2": 2, "I2": 2, "BV1": 2}) == ["I2", "S2", "BV1"]


def test_lower_value_first_within_a_band():
    assert ranked({"I1": 2, "I2": 1.5}) == ["I2", "I1"]


def test_gap_to_the_school_breaks_a_tie_in_value():
    teams = {"X": team({"I2": 2, "R1": 2}), "Y": team({"I2": 2, "R1": 4}), "Z": team({"I2": 2, "R1": 3})}
    result = score_round(MODULES, teams)
    actions = result.teams["X"].priorities.actions
    # School means: I2 2.0 (gap 0), R1 3.0 (gap -1): R1 is further below its school.
    assert [a.element_id for a in actions] == ["R1", "I2"]
    assert actions[0].school_gap == -1.0 and actions[1].school_gap == 0.0


def test_pattern_involvement_beats_a_lower_value():
    # PP06 (embedding phase) names S4 = 2; S1 = 1.5 is lower but named by no pattern.
    assert ranked({"S4": 2, "S1": 1.5}, phase="BOR") == ["S4", "S1"]


def test_more_patterns_beat_phase_relevance():
    # R11 = 2 is named by PP01 (compensation at risk) and PP03 (downside): two patterns.
    # S4 = 1.5 is named by PP06 only, a phase-bound pattern; S1-S3 by none (PP11 names nothing).
    values = {"S1": 2, "S2": 2, "S3": 2, "R11": 2, "S4": 1.5}
    items = score_team(MODULES, team(values, "BOR")).priorities.actions
    assert [i.element_id for i in items] == ["R11", "S4", "S1", "S2", "S3"]
    assert items[0].patterns == ("PP01", "PP03") and not items[0].phase_relevant


def test_phase_relevance_beats_a_lower_value_when_pattern_counts_are_equal():
    # I3 = 1.5 is named by PP07 (not phase-bound); S4 = 2 by PP06 (phase-bound).
    items = score_team(MODULES, team({"I3": 1.5, "S4": 2}, "BOR")).priorities.actions
    assert [i.element_id for i in items] == ["S4", "I3"]
    assert items[0].phase_relevant and not items[1].phase_relevant


def test_bipolar_element_is_placed_by_the_pole_the_phase_needs():
    # R3b and R5b at 3 so that PP04 (configuration) stays quiet.
    (item,) = score_team(MODULES, team({"R4b": 2, "R3b": 3, "R5b": 3}, "BOR")).priorities.actions
    assert (item.element_id, item.unit, item.value, item.band) == ("R4", "R4b", 2.0, BOTTLENECK)
    assert item.patterns == ("PP13",) and item.phase_relevant
    assert Reason("phase", "BOR", pattern="PP13") in item.reasons


def test_reasons_are_codes_with_values():
    teams = {"X": team({"S1": 2}), "Y": team({"S1": 3}), "Z": team({"S1": 4})}
    (item,) = score_round(MODULES, teams).teams["X"].priorities.actions
    assert item.rank == 1
    assert item.reasons == (
        Reason("band", "bottleneck", "S1"),
        Reason("school_gap", -1.0, "S1"),
        Reason("score", 2.0, "S1"),
    )


def test_low_agreement_elements_become_discussion_items_not_actions():
    base = team({"S1": 2}, n=4)
    split = [ResponseData(r.role, {**r.answers, "P1.1": v, "P1.2": v}, r.phase) for r, v in zip(base, (1, 1, 5, 5))]
    priorities = score_team(MODULES, split).priorities
    assert [a.element_id for a in priorities.actions] == ["S1"]
    (talk,) = priorities.discussion
    assert (talk.element_id, talk.rank, talk.patterns) == ("P1", 1, ("PP08",))
    assert talk.reasons[-3:] == (
        Reason("spread", pytest.approx((16 / 3) ** 0.5), "P1", "PP08"),  # four deviations of 2
        Reason("agreement", 0.0, "P1", "PP08"),  # median 3: nobody within one point
        Reason("polarised", True, "P1", "PP08"),
    )


def test_perception_gap_boosts_but_does_not_add_candidates():
    teachers = uniform_team(MODULES, {"P1": 3, "P2": 3}, default=4)
    leaders = uniform_team(MODULES, {"P1": 3, "P2": 2}, role="leader", default=4)
    # P1 (3.0) and P2 (2.5 overall) are attention; the P2 gap of 1 lifts it; S1's gap alone would not.
    result = score_team(MODULES, teachers + leaders)
    assert [a.element_id for a in result.priorities.actions] == ["P2", "P1"]
    assert result.priorities.actions[0].patterns == ("PP09",)
    assert result.priorities.actions[0].reasons[-1] == Reason("perception_gap", 1.0, "P2", "PP09")


def test_rethink_flag_when_pp10_fires():
    assert score_team(MODULES, team({"L1": 2, "D1": 2, "D2": 2})).priorities.rethink
    assert not score_team(MODULES, team({"L1": 2})).priorities.rethink


def test_suppressed_team_has_an_empty_list():
    priorities = score_team(MODULES, team({"S1": 1}, n=2)).priorities
    assert priorities.actions == () and priorities.discussion == () and not priorities.rethink
