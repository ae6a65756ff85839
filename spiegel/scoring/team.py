"""Score a team, or every team of a round, from plain responses: the package's entry points."""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from spiegel.instrument.model import Module
from spiegel.scoring.compare import compare, school_summary
from spiegel.scoring.config import ScoringConfig
from spiegel.scoring.inputs import ResponseData
from spiegel.scoring.layout import Layout, build_layout
from spiegel.scoring.leaders import school_leaders
from spiegel.scoring.network import read_poles
from spiegel.scoring.pattern_context import Context
from spiegel.scoring.patterns import find_patterns
from spiegel.scoring.priorities import prioritise
from spiegel.scoring.profile import Respondent, aggregate, score_respondents
from spiegel.scoring.results import EMPTY, Priorities, Profile, RoleComparison, RoundResult, SchoolSummary, TeamResult
from spiegel.scoring.roles import compare_roles

K = TypeVar("K", bound=Hashable)


def score_team(modules: Sequence[Module], responses: Sequence[ResponseData], config: ScoringConfig | None = None,
               *, school: SchoolSummary | None = None, previous: Profile | None = None) -> TeamResult:
    """One team on its own: profile, role gaps, network reading, patterns and priorities.

    Without ``school`` there is no comparison with other teams (use :func:`score_round` for that);
    ``previous`` is the team's profile in its previous round (:func:`score_profile`), for deltas.
    """
    config = config or ScoringConfig()
    layout = build_layout(modules)
    respondents = score_respondents(layout, responses)
    return _team_result(layout, respondents, aggregate(layout, respondents, config), config, school, previous)


def score_round(modules: Sequence[Module], teams: Mapping[K, Sequence[ResponseData]],
                config: ScoringConfig | None = None, *,
                previous: Mapping[K, Profile] | None = None) -> RoundResult[K]:
    """Every team of one round of one school, compared with each other and with their previous round.

    ``teams`` maps any key (e.g. the round-team id) to that team's submitted responses; ``previous``
    maps the same keys to previous-round profiles (missing keys: no previous round).
    """
    config = config or ScoringConfig()
    layout = build_layout(modules)
    respondents = {key: score_respondents(layout, responses) for key, responses in teams.items()}
    profiles = {key: aggregate(layout, scored, config) for key, scored in respondents.items()}
    school = school_summary(profiles.values())
    previous = previous or {}
    results = {
        key: _team_result(layout, respondents[key], profiles[key], config, school, previous.get(key))
        for key in teams
    }
    return RoundResult(results, school, school_leaders(layout, respondents, profiles, config))


def _team_result(layout: Layout, respondents: Sequence[Respondent], profile: Profile, config: ScoringConfig,
                 school: SchoolSummary | None, previous: Profile | None) -> TeamResult:
    if not profile.shown:
        hidden = RoleComparison(False, config.min_group_size, None, None, EMPTY)
        return TeamResult(profile, hidden, EMPTY, (), (), Priorities())
    roles = compare_roles(layout, respondents, profile, config)
    # PP09 compares teachers with leaders alone: support staff are a different group (issue 17).
    leaders = compare_roles(layout, respondents, profile, config, others=frozenset({"leader"}))
    comparisons = compare(profile, school, previous)
    ctx = Context(layout, profile, roles, config, leaders)
    hits = find_patterns(ctx)
    return TeamResult(
        profile=profile,
        roles=roles,
        comparisons=comparisons,
        network=read_poles(layout, profile, config),
        patterns=hits,
        priorities=prioritise(ctx, hits, comparisons),
    )
