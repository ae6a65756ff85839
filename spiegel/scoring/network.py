"""Bipolar network characteristics (R2-R7) and the leadership balance (L5) read against the phase.

Both poles of a network characteristic have a role, "Al deze samenwerkingsvormen zijn belangrijk"
(000:2353-2355), and which one matters depends on the phase (000:2036-2041, 000:3793-3797). So they
are never banded: each pole is its own sub-score (a = first-named pole, b = second, MODEL.md §1.6) and
the phase says which poles to look at. The tables below are MODEL.md's PP13 table and PP05's
steering-early / shared-later reading of L5; the seed reference for each row is in patterns.yaml.
"""
from __future__ import annotations

from spiegel.scoring import shown
from spiegel.scoring.config import ScoringConfig
from spiegel.scoring.layout import Layout, facet_label
from spiegel.scoring.results import PoleReading, Profile

EARLY = frozenset({"INI", "IMP"})
LATE = frozenset({"BOR", "DIF"})

# (element, pole, phases in which that pole should be present) — MODEL.md §3 PP13.
NETWORK_POLES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("R2", "a", frozenset({"INI"})),  # formal structures create chances to interact early (000:2058-2060)
    ("R2", "b", LATE),  # informal exchange makes the innovation stick (000:2061-2068)
    ("R3", "b", LATE),  # strong ties to embed and spread (000:2086-2088)
    ("R3", "a", frozenset({"DIF"})),  # weak ties carry ideas further (000:2091-2095)
    ("R4", "a", frozenset({"INI"})),  # practical, light exchange at the start (000:2114-2117)
    ("R4", "b", LATE),  # deep exchange "in tweede instantie" (000:2117-2125)
    ("R6", "b", EARLY),  # far-reaching ties while the content is new (000:2180-2182)
    ("R7", "b", frozenset({"DIF"})),  # open, decentralised steering to spread (000:2194-2199)
)
# Steering at the start, shared later (MODEL.md PP05; 000:2440-2446, 000:3808-3813).
LEADERSHIP_POLES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("L5", "a", frozenset({"INI"})),
    ("L5", "b", LATE),
)


def expected_poles(element_id: str, phase: str | None) -> tuple[str, ...]:
    """The poles of an element the phase calls for (none when the phase is unknown)."""
    if phase is None:
        return ()
    return tuple(pole for element, pole, phases in NETWORK_POLES + LEADERSHIP_POLES
                 if element == element_id and phase in phases)


def read_poles(layout: Layout, profile: Profile, config: ScoringConfig) -> tuple[PoleReading, ...]:
    """One reading per bipolar or balance element the team shows."""
    if not profile.shown:
        return ()
    phase = profile.phase.phase
    readings = []
    for element in layout.elements():
        if element.polarity == "unipolar":
            continue
        a = profile.value(facet_label(element.id, "a"))
        b = profile.value(facet_label(element.id, "b"))
        values = {"a": a, "b": b}
        expected = expected_poles(element.id, phase)
        flagged = tuple(pole for pole in expected if values[pole] is not None and shown.below(values[pole], config.band_low))
        readings.append(PoleReading(element.id, a, b, profile.elements[element.id].position, phase, expected,
                                    flagged))
    return tuple(readings)
