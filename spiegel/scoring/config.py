"""Scoring configuration: every threshold in one frozen dataclass.

The seeds give no weights or cut-offs (000:3954-3957), so every number here is a design choice, kept
configurable and printed in the report's method note. The defaults are the ones in MODEL.md §3
(HI = 3.5, LO = 2.5, midpoint 3.0, sd 1.2, 25 % camps, gap 1.0).

The Flask app builds this from ``app.config`` with :meth:`ScoringConfig.from_mapping`; the names of the
configuration keys are the field names in upper case (``MIN_GROUP_SIZE``, ``BAND_HIGH``, ...).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

# Anonymity floor from PRODUCT.md: never below 3, whatever the configuration says.
ANONYMITY_FLOOR = 3


@dataclass(frozen=True)
class ScoringConfig:
    """Thresholds for anonymity, bands, agreement and the profile patterns.

    Bands: a mean ``>= band_high`` is a strength, a mean ``< band_low`` a bottleneck, anything in
    between needs attention. A value exactly on ``band_high`` is therefore a strength and a value
    exactly on ``band_low`` needs attention.
    """

    # Anonymity: fewer respondents (or answers with a value) than this never show a number.
    min_group_size: int = 3
    # Bands (MODEL.md: HI = 3.5, LO = 2.5) and the scale midpoint some patterns use (3.0).
    band_high: float = 3.5
    band_low: float = 2.5
    midpoint: float = 3.0
    # Agreement: share of respondents within `agreement_window` points of the team median.
    agreement_window: float = 1.0
    # Low agreement (PP08): sd >= low_agreement_sd, or agreement share < low_agreement_share, or two
    # camps: at least `polar_share` of respondents <= polar_low and at least as many >= polar_high.
    low_agreement_sd: float = 1.2
    low_agreement_share: float = 0.5
    polar_low: float = 2.0
    polar_high: float = 4.0
    polar_share: float = 0.25
    # Perception gap between teachers and leaders/support that fires PP09 (absolute value).
    gap_threshold: float = 1.0
    # A "don't know" share this high on an element is a finding: the team does not know this.
    high_dont_know: float = 0.3

    def __post_init__(self) -> None:
        # Anonymity is not negotiable: a lower configured minimum is an error, not a silent clamp,
        # so a wrong setting is noticed where it is made. (create_app already raises it to 3.)
        if self.min_group_size < ANONYMITY_FLOOR:
            raise ValueError(f"min_group_size must be at least {ANONYMITY_FLOOR}, got {self.min_group_size}")
        if not 1 <= self.band_low < self.band_high <= 5:
            raise ValueError(f"bands need 1 <= band_low < band_high <= 5, got {self.band_low}, {self.band_high}")
        if not 1 <= self.polar_low < self.polar_high <= 5:
            raise ValueError("polar_low must be below polar_high, both on the 1-5 scale")
        for name in ("low_agreement_share", "polar_share", "high_dont_know"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} is a share between 0 and 1")
        for name in ("agreement_window", "low_agreement_sd", "gap_threshold"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")

    @classmethod
    def from_mapping(cls, config: Mapping[str, object]) -> ScoringConfig:
        """Build from a mapping such as Flask's ``app.config``: upper-case field names, missing keys
        keep their defaults. ``MIN_GROUP_SIZE`` below 3 raises ValueError."""
        values = {}
        for field in fields(cls):
            key = field.name.upper()
            if key in config and config[key] is not None:
                kind = int if field.type in ("int", int) else float
                values[field.name] = kind(config[key])
        return cls(**values)
