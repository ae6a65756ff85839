"""Role subgroups (teachers vs leaders/support) and their perception gaps.

Why the extra care: the team score is shown too, so team − teachers − leaders would reveal the
respondents in neither subgroup ("other"), and a subgroup score next to the team score reveals the
rest of the team. Hence the rule, applied to the whole comparison and then to every unit:

- both subgroups have at least the minimum respondents (or scores, per unit), and
- the respondents left over (role "other"; per unit: team n − teachers n − leaders n) are either none
  or at least the minimum.

Where the rule fails, both subgroup scores of that unit are suppressed and there is no gap. The rule
is also replayed over the release steps (:mod:`.growth`): three new responses can be two teachers and
one leader, and the leaders' score before and after would give the new leader's answers.
``gap`` = teachers − leaders (MODEL.md ``gap(x) = mean_T − mean_L``): positive means teachers see
it more positively.
"""
from __future__ import annotations

from collections.abc import Sequence

from spiegel.scoring import shown
from spiegel.scoring.config import ScoringConfig
from spiegel.scoring.growth import grew_safely, steps_of
from spiegel.scoring.inputs import LEADERS, SUBGROUP_ROLES, TEACHERS
from spiegel.scoring.layout import Layout
from spiegel.scoring.profile import Respondent, unit_scores
from spiegel.scoring.results import EMPTY, Profile, RoleComparison, RoleGap, Score
from spiegel.scoring.stats import suppressed


def compare_roles(layout: Layout, respondents: Sequence[Respondent], team: Profile,
                  config: ScoringConfig, others: frozenset[str] = SUBGROUP_ROLES[LEADERS]) -> RoleComparison:
    """Teachers vs leaders/support (or vs ``others``, e.g. leaders alone) for every unit the team
    shows. Whoever is in neither group counts as the rest, under the same rule."""
    teachers = [r for r in respondents if r.role in SUBGROUP_ROLES[TEACHERS]]
    leaders = [r for r in respondents if r.role in others]
    rest = [r for r in respondents if r.role not in SUBGROUP_ROLES[TEACHERS] and r.role not in others]
    groups = (teachers, leaders, rest)
    steps = steps_of(r.step for r in respondents)
    if (not team.shown or not _safe(len(teachers), len(leaders), len(rest), config)
            or not _grew_safely(steps, groups, None, config)):
        return RoleComparison(False, config.min_group_size, None, None, EMPTY)
    by_teachers = unit_scores(layout, teachers, config)
    by_leaders = unit_scores(layout, leaders, config)
    gaps = {
        label: _gap(label, score, by_teachers[label], by_leaders[label], config,
                    _grew_safely(steps, groups, label, config))
        for label, score in team.scores.items()
    }
    return RoleComparison(True, None, len(teachers), len(leaders), gaps)


def _safe(teachers: int, leaders: int, rest: int, config: ScoringConfig) -> bool:
    minimum = config.min_group_size
    return teachers >= minimum and leaders >= minimum and (rest == 0 or rest >= minimum)


def _grew_safely(steps: list[int], groups: Sequence[Sequence[Respondent]], label: str | None,
                 config: ScoringConfig) -> bool:
    """The rule above holds at the last release step, replayed over the steps (:mod:`.growth`) on the
    sizes of the groups (teachers, leaders, rest): as wholes (``label`` None) or on one unit."""
    members = [(r.step for r in group if label is None or label in r.units) for group in groups]
    return grew_safely(steps, members, config.min_group_size,
                       lambda teachers, leaders, rest: _safe(teachers, leaders, rest, config))


def _gap(label: str, team: Score, teachers: Score, leaders: Score, config: ScoringConfig,
         grew_safely: bool) -> RoleGap:
    if not (team.shown and teachers.shown and leaders.shown and grew_safely
            and _safe(teachers.n, leaders.n, team.n - teachers.n - leaders.n, config)):
        hidden = suppressed(config)
        return RoleGap(label, hidden, hidden, None)
    # The difference of the two printed means: the gap a reader computes, and the one compared with
    # the gap threshold (spiegel.scoring.shown).
    return RoleGap(label, teachers, leaders, shown.difference(teachers.mean, leaders.mean))
