"""One test per pattern that fires it and one that just misses it, on a miniature instrument.

Teams are identical respondents (``uniform_team``), so every unit's value is exactly what the test
sets; everything not set is answered 3, which fires no pattern (checked first).
"""
import pytest

from spiegel.scoring import ResponseData, score_team
from spiegel.scoring.patterns import PATTERNS_BY_ID
from spiegel.scoring.results import Trigger
from spiegel.scoring.stats import low_agreement

from .factory import model_modules, uniform_team

MODULES = model_modules()


def hits(values=None, *, phase="IMP", team=None):
    team = team if team is not None else uniform_team(MODULES, values or {}, phase=phase)
    return {hit.pattern_id: hit for hit in score_team(MODULES, team).patterns}


def test_a_neutral_team_fires_nothing():
    assert hits({}) == {}
    for phase in ("INI", "IMP", "BOR", "DIF", None):
        assert hits({}, phase=phase) == {}


# -- PP01 compensation ---------------------------------------------------------------------------

LOW_P = {"P1": 2, "P2": 2, "P3": 2}


def test_pp01_individual_case_is_a_warning_that_the_core_group_owns_it():
    hit = hits({**LOW_P, "R1": 3.5, "R3b": 3.5, "R4b": 3.5})["PP01"]
    assert hit.kind == "risk" and hit.variants == ("individual",)
    assert Trigger(("R1", "R3b", "R4b"), "mean", 3.5, ">=", 3.5) in hit.triggers
    assert Trigger(("P",), "mean", 2.0, "<", 2.5) in hit.triggers
    assert Trigger(("R6b",), "mean", 3.0, ">=", 2.5) in hit.triggers
    assert Trigger(("R11",), "mean", 3.0, ">=", 3.0) in hit.triggers
    assert hit.values == {"R1": 3.5, "R3b": 3.5, "R4b": 3.5, "R6b": 3.0, "P": 2.0, "R11": 3.0}
    assert hit.focus == ("P1", "P3")


def test_pp01_structural_case_is_compensation():
    hit = hits({"S1": 2, "S2": 2, "S3": 2, "S4": 2, "R1": 4, "R3b": 4, "R4b": 4})["PP01"]
    assert hit.kind == "strength" and hit.variants == ("structural",)
    assert Trigger(("S",), "mean", 2.0, "<", 2.5) in hit.triggers


def test_pp01_misses_when_the_network_is_not_broadened():
    # "mits verbreding" (000:3851-3856): R6b just below the low threshold, or not known.
    values = {"S1": 2, "S2": 2, "S3": 2, "S4": 2, "R1": 4, "R3b": 4, "R4b": 4}
    assert "PP01" not in hits({**values, "R6b": 2})
    assert "PP01" in hits({**values, "R6b": 2.5})


def test_pp01_misses_when_the_gap_is_exactly_at_the_low_threshold():
    assert "PP01" not in hits({"P1": 2.5, "P2": 2.5, "P3": 2.5, "R1": 4, "R3b": 4, "R4b": 4})


def test_pp01_misses_when_relations_are_just_below_high():
    assert "PP01" not in hits({**LOW_P, "R1": 3.5, "R3b": 3.5, "R4b": 3})


def test_pp01_compensation_at_risk_when_network_downsides_show():
    hit = hits({**LOW_P, "R1": 4, "R3b": 4, "R4b": 4, "R11": 2.5})["PP01"]
    assert hit.variants == ("individual", "at_risk")
    assert hit.focus == ("P1", "P3", "R11")


# -- PP02 no compensation ------------------------------------------------------------------------

LOW_S = {"S1": 2, "S2": 2, "S3": 1.5, "S4": 2}


def test_pp02_fires_on_gaps_with_weak_relations_and_names_r1_and_the_lowest_s():
    hit = hits({**LOW_S, "R1": 2.5, "R3b": 3, "R4b": 3})["PP02"]
    assert Trigger(("S",), "min", 1.875, "<", 2.5) in hit.triggers
    relational = next(t for t in hit.triggers if t.units == ("R1", "R3b", "R4b"))
    assert relational.value == pytest.approx(8.5 / 3) and relational.op == "<"
    assert hit.focus == ("R1", "S3")


def test_pp02_misses_when_relations_are_exactly_at_the_midpoint():
    assert "PP02" not in hits({**LOW_S, "R1": 3, "R3b": 3, "R4b": 3})


# -- PP03 downside of networks ---------------------------------------------------------------------

def test_pp03_fires_on_low_r11():
    hit = hits({"R11": 2})["PP03"]
    assert hit.variants == ("downside",) and hit.focus == ("R11",)


def test_pp03_fires_on_strong_but_narrow_or_closed_networks():
    hit = hits({"R3b": 3.5, "R6b": 2, "R7b": 2, "R7a": 3.5})["PP03"]
    assert hit.variants == ("narrow_closed",)
    assert hit.focus == ("R6", "R7")
    assert hit.values == {"R3b": 3.5, "R6b": 2.0, "R7b": 2.0, "R7a": 3.5}


def test_pp03_closed_only_when_information_runs_through_key_figures():
    assert "PP03" not in hits({"R3b": 4, "R7b": 2, "R7a": 3})
    assert hits({"R3b": 4, "R7b": 2, "R7a": 3.5})["PP03"].focus == ("R7",)


def test_pp03_misses_at_the_thresholds():
    assert "PP03" not in hits({"R11": 2.5})
    assert "PP03" not in hits({"R3b": 3.5, "R6b": 2.5, "R7b": 2.5})
    assert "PP03" not in hits({"R3b": 3, "R6b": 1})


# -- PP04 configuration --------------------------------------------------------------------------

def test_pp04_fires_when_one_network_feature_is_strong_and_another_weak_after_the_start():
    hit = hits({"R3b": 4, "R4b": 2, "R5b": 3}, phase="IMP")["PP04"]
    assert hit.focus == ("R4",)
    assert Trigger(("R3b",), "max", 4.0, ">=", 3.5) in hit.triggers


def test_pp04_misses_in_the_initiation_phase():
    assert "PP04" not in hits({"R3b": 4, "R4b": 2, "R5b": 3}, phase="INI")
    assert "PP04" not in hits({"R3b": 4, "R4b": 2.5, "R5b": 3}, phase="IMP")


# -- PP05 leadership vs phase ----------------------------------------------------------------------

def test_pp05_direction_wanted_at_the_start():
    hit = hits({"L5a": 2}, phase="INI")["PP05"]
    assert hit.variants == ("direction_wanted",) and hit.focus == ("L5",)


def test_pp05_misses_when_steering_is_at_the_threshold_or_the_phase_is_later():
    assert "PP05" not in hits({"L5a": 2.5}, phase="INI")
    assert "PP05" not in hits({"L5a": 2}, phase="IMP")


def test_pp05_not_shared_in_later_phases():
    assert hits({"L5b": 2}, phase="BOR")["PP05"].variants == ("not_shared",)
    hit = hits({"BV8": 2}, phase="DIF")["PP05"]
    assert hit.variants == ("not_shared",) and hit.focus == ("BV8",)


def test_pp05_still_steering_in_later_phases():
    hit = hits({"L5a": 3.5, "L5b": 2.5}, phase="BOR")["PP05"]
    assert hit.variants == ("still_steering",)


def test_pp05_misses_when_shared_leadership_reaches_the_midpoint():
    assert "PP05" not in hits({"L5a": 4, "L5b": 3}, phase="DIF")
    assert "PP05" not in hits({"L5b": 2}, phase="IMP")


# -- PP06 dependence ---------------------------------------------------------------------------------

def test_pp06_fires_on_low_transfer_in_embedding():
    hit = hits({"S4": 2}, phase="BOR")["PP06"]
    assert hit.variants == () and hit.focus == ("S4",)
    assert hits({"P3": 2, "S3": 3.5}, phase="DIF")["PP06"].variants == ("high_support",)


def test_pp06_is_advice_to_plan_the_transfer_earlier():
    assert hits({"S4": 2}, phase="IMP")["PP06"].variants == ("plan_transfer",)


def test_pp06_misses_at_the_threshold_and_without_a_phase():
    assert "PP06" not in hits({"S4": 2.5, "P3": 2.5}, phase="BOR")
    assert "PP06" not in hits({"S4": 2}, phase=None)


# -- PP07 monitoring ---------------------------------------------------------------------------------

def test_pp07_fires_on_low_monitoring():
    hit = hits({"I3": 2})["PP07"]
    assert hit.variants == () and hit.focus == ("I3",)


def test_pp07_output_only_variant():
    hit = hits({"I3output": 3, "I3process": 2})["PP07"]  # I3 itself is 2.5: not low
    assert hit.variants == ("output_only",)
    assert hit.values == {"I3output": 3.0, "I3process": 2.0}


def test_pp07_misses_at_the_thresholds():
    assert "PP07" not in hits({"I3": 2.5})
    assert "PP07" not in hits({"I3output": 3, "I3process": 2.5})


def test_pp07_main_rule_without_the_variant_when_output_is_below_the_midpoint():
    hit = hits({"I3output": 2.5, "I3process": 2})["PP07"]  # I3 = 2.25
    assert hit.variants == ()


# -- PP08 low agreement ------------------------------------------------------------------------------

def _split_team(values):
    team = uniform_team(MODULES, {}, n=len(values))
    return [ResponseData(r.role, {**r.answers, "P1.1": v, "P1.2": v}, r.phase) for r, v in zip(team, values)]


def test_pp08_fires_on_a_split_team():
    hit = hits(team=_split_team([1, 1, 5, 5]))["PP08"]
    assert hit.kind == "dialogue" and hit.focus == ("P1",)
    measures = {t.measure for t in hit.triggers}
    assert measures == {"sd", "agreement", "polarised"}


def test_pp08_misses_on_modest_spread():
    # sd 0.71, everybody within one point of the median, 20 % in each camp.
    assert "PP08" not in hits(team=_split_team([2, 3, 3, 3, 4]))


@pytest.mark.parametrize("sd, agreement, polarised, expected", [
    (1.2, 1.0, False, True), (1.14, 0.5, False, False), (1.15, 0.5, False, True), (0.5, 0.495, False, False),
    (0.5, 0.49, False, True), (0.5, 1.0, True, True),
])
def test_low_agreement_thresholds(sd, agreement, polarised, expected):
    from spiegel.scoring import Score, ScoringConfig
    assert low_agreement(Score(5, 3.0, sd, agreement, polarised, 0.0), ScoringConfig()) is expected


# -- PP09 perception gap -----------------------------------------------------------------------------

def _roles_team(teachers_p1, leaders_p1):
    teachers = uniform_team(MODULES, {"P1": teachers_p1}, role="teacher")
    leaders = uniform_team(MODULES, {"P1": leaders_p1}, role="leader")
    return teachers + leaders


def test_pp09_fires_on_a_gap_of_one_point_either_way():
    hit = hits(team=_roles_team(4, 3))["PP09"]
    assert hit.triggers == (Trigger(("P1",), "gap", 1.0, "abs>=", 1.0),)
    assert hit.focus == ("P1",)
    assert hits(team=_roles_team(2, 3))["PP09"].triggers[0].value == -1.0


def test_pp09_misses_on_a_smaller_gap():
    assert "PP09" not in hits(team=_roles_team(4, 3.5))


def test_pp09_compares_teachers_with_leaders_not_with_support_staff():
    teachers = uniform_team(MODULES, {"P1": 4}, role="teacher")
    support = uniform_team(MODULES, {"P1": 2}, role="support")
    assert "PP09" not in hits(team=teachers + support)
    leaders = uniform_team(MODULES, {"P1": 3}, role="leader")
    hit = hits(team=teachers + support + leaders)["PP09"]
    assert hit.triggers == (Trigger(("P1",), "gap", 1.0, "abs>=", 1.0),)


# -- PP10 stop or rethink ----------------------------------------------------------------------------

def test_pp10_no_fit_rests_on_monitoring_after_the_start():
    hit = hits({"I1": 2, "I3": 3}, phase="IMP")["PP10"]
    assert hit.variants == ("no_fit",) and hit.kind == "decision"
    assert Trigger(("I3",), "mean", 3.0, ">=", 3.0) in hit.triggers


def test_pp10_does_not_read_low_understanding_or_agency_as_misfit():
    # v1 fired on I1 and mean(P1, P2) low; now only a monitored lack of benefit counts.
    assert "PP10" not in hits({"I1": 2, "P1": 2, "P2": 2, "I3": 2.5}, phase="IMP")


def test_pp10_no_priority():
    assert hits({"L1": 2, "D1": 2, "D2": 2}, phase="BOR")["PP10"].variants == ("no_priority",)


def test_pp10_never_at_the_start_nor_without_a_phase():
    assert "PP10" not in hits({"I1": 2, "I3": 4}, phase="INI")
    assert "PP10" not in hits({"L1": 2, "D1": 2, "D2": 2}, phase="INI")
    assert "PP10" not in hits({"L1": 2, "D1": 2, "D2": 2}, phase=None)


def test_pp10_misses_at_the_threshold():
    assert "PP10" not in hits({"I1": 2.5, "I3": 4}, phase="IMP")
    assert "PP10" not in hits({"I1": 2, "I3": 2.5}, phase="IMP")
    assert "PP10" not in hits({"L1": 2, "D1": 2, "D2": 3}, phase="BOR")  # G(D) = 2.5


# -- PP11 evidence note, PP12 top and bottom, PP14 resistance ------------------------------------

def test_pp11_is_an_evidence_note_on_leadership_time_or_resources():
    hit = hits({"S2": 2})["PP11"]
    assert hit.kind == "evidence" and hit.focus == ()
    assert hit.triggers == (Trigger(("S2",), "min", 2.0, "<", 2.5),)
    assert "frequen" in hit.info.explanation["en"]
    assert hits({"L1": 2, "L5a": 2, "L5b": 2, "L6": 2})["PP11"].triggers[0].units == ("L",)


def test_pp11_misses_at_the_threshold():
    assert "PP11" not in hits({"S1": 2.5, "S2": 2.5, "L1": 2.5})


def test_pp12_bottom_up_without_leadership():
    hit = hits({"P2": 4, "P3": 3.5, "L1": 2})["PP12"]
    assert hit.variants == ("bottom_up",) and hit.focus == ("L1",)


def test_pp12_top_down_without_the_team():
    hit = hits({"L1": 4, "P2": 2, "P3": 2.5})["PP12"]
    assert hit.variants == ("top_down",) and hit.focus == ("P2", "P3")


def test_pp12_misses_just_inside_the_thresholds():
    assert "PP12" not in hits({"P2": 3.5, "P3": 3, "L1": 2})
    assert "PP12" not in hits({"L1": 4, "P2": 2.5, "P3": 2.5})


@pytest.mark.parametrize("values, weakest, focus", [
    ({"P2": 2, "P1": 1.5}, "ability", ("P1",)),
    ({"P3": 2, "P2": 2}, "motivation", ("P2", "P3")),
    ({"P3": 2, "S1": 1, "S2": 1, "S3": 2}, "opportunity", ("S1", "S2", "S3")),
])
def test_pp14_names_the_weakest_of_ability_motivation_opportunity(values, weakest, focus):
    hit = hits(values)["PP14"]
    assert hit.variants == (weakest,) and hit.focus == focus


def test_pp14_misses_at_the_threshold():
    assert "PP14" not in hits({"P2": 2.5, "P3": 2.5, "P1": 1})


# -- PP13 network profile against the phase -------------------------------------------------------

@pytest.mark.parametrize("pole, phase", [
    ("R2a", "INI"), ("R2b", "BOR"), ("R3b", "DIF"), ("R3a", "DIF"), ("R4a", "INI"), ("R4b", "BOR"),
    ("R6b", "INI"), ("R6b", "IMP"), ("R7b", "DIF"),
])
def test_pp13_fires_on_a_pole_the_phase_needs(pole, phase):
    central = {"R7a": 4} if pole == "R7b" else {}  # closed: information runs through key figures
    hit = hits({pole: 2, **central}, phase=phase)["PP13"]
    assert pole in hit.variants
    assert hit.focus == (pole[:2],)
    assert hit.triggers[0] == Trigger(("phase",), "phase", phase, "is", phase)


@pytest.mark.parametrize("pole, phase", [
    ("R2a", "IMP"), ("R2b", "IMP"), ("R3a", "BOR"), ("R4a", "IMP"), ("R4b", "INI"), ("R6b", "BOR"),
    ("R7b", "BOR"),
])
def test_pp13_ignores_a_weak_pole_the_phase_does_not_need(pole, phase):
    assert "PP13" not in hits({pole: 2}, phase=phase)


def test_pp13_misses_at_the_threshold_and_without_phase():
    assert "PP13" not in hits({"R2b": 2.5}, phase="BOR")
    assert "PP13" not in hits({"R2b": 2}, phase=None)


def test_pp13_closed_network_only_when_information_runs_through_key_figures():
    assert "PP13" not in hits({"R7b": 2, "R7a": 3}, phase="DIF")


def test_pp13_external_partnerships_from_the_initial_process_on():
    hit = hits({"R8": 2, "R10": 2.5}, phase="DIF")["PP13"]
    assert hit.variants == ("external",) and hit.focus == ("R8", "R10")
    assert hits({"R8": 2, "R10": 2}, phase="INI")["PP13"].variants == ("external",)
    assert "PP13" not in hits({"R8": 2.5, "R10": 2.5}, phase="DIF")
    assert "PP13" not in hits({"R8": 2, "R10": 2}, phase=None)


# -- general -------------------------------------------------------------------------------------------

def test_patterns_never_read_suppressed_values():
    # Only two respondents give R11 a value (1, very low); the others answer "weet niet".
    unsure = [ResponseData(r.role, {**r.answers, "R11.1": None, "R11.2": None}, r.phase)
              for r in uniform_team(MODULES, {}, n=3)]
    result = score_team(MODULES, unsure + uniform_team(MODULES, {"R11": 1}, n=2))
    assert not result.profile.scores["R11"].shown
    assert "PP03" not in {hit.pattern_id for hit in result.patterns}
    # With a third value the same low R11 is shown and fires PP03.
    result = score_team(MODULES, unsure + uniform_team(MODULES, {"R11": 1}, n=3))
    assert "PP03" in {hit.pattern_id for hit in result.patterns}


def test_a_suppressed_team_has_no_patterns():
    assert score_team(MODULES, uniform_team(MODULES, {"R11": 1}, n=2)).patterns == ()


def test_each_hit_carries_its_texts():
    hit = hits({"R11": 2})["PP03"]
    assert hit.info.id == "PP03" and hit.info.name["nl"]
    assert "downside" in hit.info.variants


def test_registry_kinds():
    assert PATTERNS_BY_ID["PP08"].kind == PATTERNS_BY_ID["PP09"].kind == "dialogue"
    assert {p.id for p in PATTERNS_BY_ID.values() if p.phase_bound} == {"PP05", "PP06", "PP13"}
    assert PATTERNS_BY_ID["PP11"].kind == "evidence"
