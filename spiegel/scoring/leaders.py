"""The school's leaders together: elements asked of leaders only (L6), pooled over the round's teams.

A team's L6 is almost never shown: few teams have the minimum of leaders. Pooled over the school's
teams (issue 17) it can be. The anonymity rules are those of role subgroups (:mod:`.roles`): the pool
is shown only with at least the minimum of leaders with a score, and the leaders of teams whose own
L6 is not shown are none or at least the minimum, so the pool minus the teams that show the unit
cannot single out a team's one or two leaders. Both sizes are also replayed over the release steps
(:mod:`.growth`), so the pool before and after a team's new leader came in cannot single them out.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from spiegel.scoring.config import ScoringConfig
from spiegel.scoring.growth import grew_safely, steps_of
from spiegel.scoring.layout import Layout
from spiegel.scoring.profile import Respondent, unit_scores
from spiegel.scoring.results import Profile, Score
from spiegel.scoring.stats import suppressed

K = TypeVar("K", bound=Hashable)
LEADER_ROLES = frozenset({"leader"})


def leaders_only(layout: Layout) -> list[str]:
    """Labels of the unipolar elements asked of leaders alone, in questionnaire order."""
    return [element.id for element in layout.elements()
            if element.roles == LEADER_ROLES and element.polarity == "unipolar"]


def school_leaders(layout: Layout, respondents: Mapping[K, Sequence[Respondent]], profiles: Mapping[K, Profile],
                   config: ScoringConfig) -> dict[str, Score]:
    """Unit label → the Score of every leader of the round's teams together (suppressed where the rule
    above fails). Empty when the round has no element asked of leaders only."""
    labels = leaders_only(layout)
    if not labels:
        return {}
    leaders = [r for team in respondents.values() for r in team if r.role in LEADER_ROLES]
    pooled = unit_scores(layout, leaders, config)  # replays the pool's own n over the steps
    minimum = config.min_group_size
    steps = steps_of(r.step for r in leaders)
    result = {}
    for label in labels:
        score = pooled[label]
        if score.shown:
            visible = sum(profile.scores[label].n for profile in profiles.values()
                          if label in profile.scores and profile.scores[label].shown)
            rest = score.n - visible
            if 0 < rest < minimum or not _rest_grew_safely(steps, respondents, profiles, label, minimum):
                score = suppressed(config)
        result[label] = score
    return result


def _rest_grew_safely(steps: list[int], respondents: Mapping[K, Sequence[Respondent]],
                      profiles: Mapping[K, Profile], label: str, minimum: int) -> bool:
    """The leaders of the teams that do not show the unit (the rest above), replayed over the release
    steps: none or at least the minimum, grown by none or at least the minimum."""
    hidden = (r.step for key, team in respondents.items()
              if not (label in profiles[key].scores and profiles[key].scores[label].shown)
              for r in team if r.role in LEADER_ROLES and label in r.units)
    return grew_safely(steps, [hidden], minimum, lambda rest: not 0 < rest < minimum)
