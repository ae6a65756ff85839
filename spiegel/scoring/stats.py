"""Descriptive statistics for one unit over a group of respondents, and the bands.

Rules (all documented in the report's method note):

- **Mean**: of the respondents' own scores ("mean of respondents' means"), so a respondent who
  answered more items does not weigh more.
- **Rounding**: means and SDs are kept to 9 decimals (only floating-point noise goes). What a reader
  sees is rounded once more, to one decimal half up, and every threshold is applied to that shown
  value (:mod:`spiegel.scoring.shown`).
- **Spread**: the sample standard deviation (divisor n - 1).
- **Agreement**: the share of respondents whose score lies within ``agreement_window`` (default 1
  point) of the group's median. Chosen over rwg because it needs no assumed null distribution and
  reads as a sentence: "8 of 10 colleagues are within one point of the middle".
- **Polarised**: at least ``polar_share`` (25 %) of respondents score ``<= polar_low`` (2) and at least
  as many score ``>= polar_high`` (4): two camps (MODEL.md's ``polar(x)``, on respondent scores).
- **Suppression**: fewer than ``min_group_size`` scores → a Score without numbers.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from math import fsum, sqrt
from operator import mul

from spiegel.scoring import shown
from spiegel.scoring.config import ScoringConfig
from spiegel.scoring.inputs import SCALE
from spiegel.scoring.results import ATTENTION, BOTTLENECK, STRENGTH, Score

DECIMALS = 9
# Comparisons with a window or camp boundary allow for rounding noise of this size.
TOLERANCE = 1e-9


def sample_sd(sorted_values: Sequence[float], total: float) -> float:
    """Sample standard deviation (n - 1) from the sum of squares; 0.0 for a single value.

    The sums are exact (fsum), so with scores between 1 and 5 the cancellation error is far below the
    9 decimals kept; all-equal values are caught first so that they give exactly 0.
    """
    n = len(sorted_values)
    if n < 2 or sorted_values[0] == sorted_values[-1]:
        return 0.0
    variance = (fsum(map(mul, sorted_values, sorted_values)) - total * total / n) / (n - 1)
    return round(sqrt(max(variance, 0.0)), DECIMALS)


def median(sorted_values: Sequence[float]) -> float:
    n = len(sorted_values)
    middle = n // 2
    if n % 2:
        return sorted_values[middle]
    return (sorted_values[middle - 1] + sorted_values[middle]) / 2


def agreement(sorted_values: Sequence[float], window: float) -> float:
    """Share of values within ``window`` of the median (inclusive)."""
    centre = median(sorted_values)
    # The small tolerance counts a value exactly one point away (after float noise) as within.
    inside = (bisect_right(sorted_values, centre + window + TOLERANCE)
              - bisect_left(sorted_values, centre - window - TOLERANCE))
    return inside / len(sorted_values)


def polarised(sorted_values: Sequence[float], config: ScoringConfig) -> bool:
    n = len(sorted_values)
    low = bisect_right(sorted_values, config.polar_low + TOLERANCE)
    high = n - bisect_left(sorted_values, config.polar_high - TOLERANCE)
    return low >= config.polar_share * n and high >= config.polar_share * n


def suppressed(config: ScoringConfig, dont_know_share: float | None = None) -> Score:
    """A score below the minimum: no number except, when allowed, the "weet niet" share."""
    return Score(None, None, None, None, None, dont_know_share, config.min_group_size)


def summarise(values: Sequence[float], config: ScoringConfig, dont_know_share: float | None) -> Score:
    """The Score of a unit from the respondents' scores; suppressed below the minimum."""
    if len(values) < config.min_group_size:
        return suppressed(config, dont_know_share)
    total = fsum(values)
    ordered = sorted(values)
    return Score(
        n=len(values),
        mean=round(total / len(values), DECIMALS),
        sd=sample_sd(ordered, total),
        agreement=agreement(ordered, config.agreement_window),
        polarised=polarised(ordered, config),
        dont_know_share=dont_know_share,
    )


def summarise_counts(counts: Sequence[int], config: ScoringConfig, dont_know_share: float | None) -> Score:
    """The same Score as :func:`summarise`, from the counts of the answers 1..5 (an item's
    distribution): constant work per item instead of sorting every answer."""
    n = sum(counts)
    if n < config.min_group_size:
        return suppressed(config, dont_know_share)
    pairs = [(value, count) for value, count in zip(SCALE, counts) if count]
    total = sum(value * count for value, count in pairs)
    squares = sum(value * value * count for value, count in pairs)
    sd = 0.0
    if len(pairs) > 1:
        sd = round(sqrt(max((squares - total * total / n) / (n - 1), 0.0)), DECIMALS)
    centre = _counted_median(pairs, n)
    window = config.agreement_window + TOLERANCE
    inside = sum(count for value, count in pairs if abs(value - centre) <= window)
    low = sum(count for value, count in pairs if value <= config.polar_low + TOLERANCE)
    high = sum(count for value, count in pairs if value >= config.polar_high - TOLERANCE)
    return Score(
        n=n,
        mean=round(total / n, DECIMALS),
        sd=sd,
        agreement=inside / n,
        polarised=low >= config.polar_share * n and high >= config.polar_share * n,
        dont_know_share=dont_know_share,
    )


def _counted_median(pairs: list[tuple[int, int]], n: int) -> float:
    """The median of the values the (value, count) pairs stand for, ascending."""
    positions = (n // 2,) if n % 2 else (n // 2 - 1, n // 2)
    found = []
    seen = 0
    for value, count in pairs:
        seen += count
        while len(found) < len(positions) and positions[len(found)] < seen:
            found.append(value)
    return found[0] if len(found) == 1 else (found[0] + found[1]) / 2


def band(value: float | None, config: ScoringConfig) -> str | None:
    """strength (>= band_high), bottleneck (< band_low) or attention, decided on the value as shown
    (one decimal, half up: :mod:`spiegel.scoring.shown`); None for no value."""
    if value is None:
        return None
    if shown.at_least(value, config.band_high):
        return STRENGTH
    if shown.below(value, config.band_low):
        return BOTTLENECK
    return ATTENTION


def low_agreement(score: Score, config: ScoringConfig) -> bool:
    """PP08's test on one shown score."""
    if not score.shown:
        return False
    return (shown.at_least(score.sd, config.low_agreement_sd)
            or shown.percent(score.agreement) < shown.percent(config.low_agreement_share) or bool(score.polarised))
