"""The one rounding rule for every number a reader sees, and every verdict taken on such a number.

A score is shown with one decimal, a share as a whole percentage, both rounded half up (2.45 → 2.5,
never Python's half-to-even 2.4 or a float's accident). Everything said about a number — its band and
colour, a "low" flag, "a difference of 1.0 or more", the change since the last round — is decided on
the number as printed, so a label can never contradict the figure next to it: "2.5 · bottleneck"
under the legend "bottleneck (below 2.5)" cannot happen. A change or a gap is the difference of the
printed values ("2.8, previous 2.5" reads "+0.3"), not the rounded difference of the raw ones.

Web mirror, PDF, comparison heat map, trend, exports and the plan's reasons all go through here (and
through :func:`spiegel.scoring.stats.band`, which applies the thresholds to :func:`score`).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_ONE_DECIMAL = Decimal("0.1")


def _decimal(value: float) -> Decimal:
    # repr gives the shortest text that reads back as the same float: 2.45 stays "2.45", so the
    # tie is seen as a tie (Decimal(2.45) would be 2.4500000000000001776…).
    return Decimal(repr(float(value)))


def score(value: float | None) -> float | None:
    """A score (mean, spread, pole, school mean) as shown: one decimal, half up (away from zero)."""
    if value is None:
        return None
    return float(_decimal(value).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def percent(share: float | None) -> int | None:
    """A share between 0 and 1 as a shown whole percentage, half up (0.285 → 29)."""
    if share is None:
        return None
    return int((_decimal(share) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def difference(first: float | None, second: float | None) -> float | None:
    """first − second as the reader computes it from the two printed numbers (a change since the last
    round, a gap between roles, a distance to the school mean)."""
    if first is None or second is None:
        return None
    return float(_decimal(score(first)) - _decimal(score(second)))


def below(value: float, threshold: float) -> bool:
    """The printed value is below the threshold (the band's, a flag's)."""
    return score(value) < threshold


def at_least(value: float, threshold: float) -> bool:
    return score(value) >= threshold
