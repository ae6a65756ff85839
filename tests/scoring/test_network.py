"""Bipolar poles and the leadership balance read against the team's phase, never banded."""
from spiegel.scoring import score_team
from spiegel.scoring.network import expected_poles

from .factory import model_modules, uniform_team

MODULES = model_modules()


def readings(values, phase):
    result = score_team(MODULES, uniform_team(MODULES, values, phase=phase))
    return {reading.element_id: reading for reading in result.network}


def test_every_bipolar_and_balance_element_is_read():
    assert list(readings({}, "IMP")) == ["R2", "R3", "R4", "R5", "R6", "R7", "L5"]


def test_position_is_pole_b_minus_pole_a():
    r4 = readings({"R4a": 4, "R4b": 1.5}, "IMP")["R4"]
    assert (r4.a, r4.b, r4.position) == (4.0, 1.5, -2.5)


def test_phase_decides_which_pole_is_expected_and_flagged():
    r4 = readings({"R4a": 4, "R4b": 2}, "BOR")["R4"]
    assert (r4.phase, r4.expected, r4.flagged) == ("BOR", ("b",), ("b",))
    # The same low deep exchange at the start is not flagged: it comes "in tweede instantie".
    r4 = readings({"R4a": 4, "R4b": 2}, "INI")["R4"]
    assert (r4.expected, r4.flagged) == (("a",), ())


def test_leadership_steering_early_shared_later():
    assert expected_poles("L5", "INI") == ("a",)
    assert expected_poles("L5", "IMP") == ()
    assert expected_poles("L5", "DIF") == ("b",)
    assert readings({"L5a": 2}, "INI")["L5"].flagged == ("a",)


def test_no_phase_no_expectation():
    r2 = readings({"R2b": 1}, None)["R2"]
    assert r2.phase is None and r2.expected == () and r2.flagged == ()
