"""Smoke test on the real item bank: the rules read units that exist, and a seeded round scores."""
import random

from spiegel.instrument import load_instrument
from spiegel.instrument.model import ROLES
from spiegel.scoring import ResponseData, score_round
from spiegel.scoring.layout import build_layout, facet_label
from spiegel.scoring.network import LEADERSHIP_POLES, NETWORK_POLES

# Every unit label a pattern rule reads (patterns.py); a renamed element in the data would silently
# switch a pattern off, so this list is checked against the real instrument.
UNITS_READ = {
    "P", "S", "D", "I1", "I3", "I3output", "I3process", "P1", "P2", "P3", "S3", "S4", "R1", "R3b", "R4b", "R5b",
    "R6b", "R7b", "R8", "R10", "R11", "L1", "L5a", "L5b", "BV8",
} | {facet_label(e, p) for e, p, _ in NETWORK_POLES + LEADERSHIP_POLES}


def modules():
    return load_instrument().current()


def test_every_unit_the_patterns_read_exists_in_the_real_instrument():
    missing = UNITS_READ - build_layout(modules()).units.keys()
    assert not missing


def test_a_seeded_round_on_the_real_instrument_scores_every_element():
    rng = random.Random(7)
    items = [item for module in modules() for item in module.items()]

    def response():
        role = rng.choice(ROLES)
        answers = {i.id: rng.choice((1, 2, 3, 4, 5, None)) for i in items if i.asked_of(role) and rng.random() < .95}
        return ResponseData(role, answers, rng.choice(("INI", "IMP", "BOR", "DIF", None)))

    teams = {k: [response() for _ in range(12)] for k in range(3)}
    teams[3] = [response() for _ in range(2)]
    result = score_round(modules(), teams)
    profile = result.teams[0].profile
    elements = {e.id for m in modules() for e in m.elements()}
    assert set(profile.elements) == elements
    assert all(len(profile.elements[e].facets) == 2 for e in ("R2", "R3", "R4", "R5", "R6", "R7", "L5"))
    assert profile.elements["R3"].band is None and profile.elements["P1"].band is not None
    assert {r.element_id for r in result.teams[0].network} == {"R2", "R3", "R4", "R5", "R6", "R7", "L5"}
    assert not result.teams[3].profile.shown
    assert result.school.teams["P1"] == 3
