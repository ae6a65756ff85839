"""A team against the school's other teams in the same round, and against its own previous round.

- **School mean** per unit = the unweighted mean of the team scores shown for that unit, the team
  itself included: each team counts once, whatever its size, and a suppressed team (or unit) never
  enters it, so the school mean cannot be used to work back to a hidden team. A team sees the school
  mean and its rank only when at least two other teams show the unit (``SCHOOL_TEAMS``): with one
  other, twice the school mean minus its own score would be that team's exact score.
- **Rank**: 1 = highest team mean among those teams; equal means share the best rank ("1, 2, 2, 4").
  For bipolar poles the rank is a position, not a verdict.
- **Delta** = this round − previous round, per unit, only when both are shown: the difference of the
  two values as printed (one decimal), so "2.8, previous 2.5" always reads +0.3. ``school_gap`` alike. The previous round is
  scored with its own instrument version; units are matched by label (element and group ids are stable).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from math import fsum

from spiegel.scoring import shown
from spiegel.scoring.results import Comparison, Profile, SchoolSummary
from spiegel.scoring.stats import DECIMALS

# The team itself and at least two others.
SCHOOL_TEAMS = 3


def school_summary(profiles: Iterable[Profile]) -> SchoolSummary:
    values: dict[str, list[float]] = defaultdict(list)
    for profile in profiles:
        for label, score in profile.scores.items():
            if score.shown:
                values[label].append(score.mean)
    return SchoolSummary(
        means={label: round(fsum(v) / len(v), DECIMALS) for label, v in values.items()},
        teams={label: len(v) for label, v in values.items()},
        ranked={label: tuple(sorted(v, reverse=True)) for label, v in values.items()},
    )


def compare(profile: Profile, school: SchoolSummary | None, previous: Profile | None) -> dict[str, Comparison]:
    """A Comparison for every unit the team shows."""
    result = {}
    for label, score in profile.scores.items():
        if not score.shown:
            continue
        compared = school is not None and school.teams.get(label, 0) >= SCHOOL_TEAMS
        school_mean = school.means.get(label) if compared else None
        ranked = school.ranked.get(label, ()) if compared else ()
        before = previous.value(label) if previous is not None else None
        result[label] = Comparison(
            label=label,
            school_mean=school_mean,
            teams=school.teams.get(label, 0) if school else 0,
            rank=_rank(score.mean, ranked),
            school_gap=shown.difference(score.mean, school_mean),
            previous=before,
            delta=shown.difference(score.mean, before),
        )
    return result


def _rank(value: float, ranked: tuple[float, ...]) -> int | None:
    """Competition rank of value among the (descending) school values; None if not among them."""
    if value not in ranked:
        return None
    return 1 + sum(1 for other in ranked if other > value)

