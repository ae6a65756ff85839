"""Scoring: a team's answers against the synthesis model, as plain data in and dataclasses out.

No Flask, database or Babel here (STYLE.md 6): callers pass the round's instrument modules and
:class:`ResponseData` rows and get frozen dataclasses back; the web layer phrases them.

Entry points
    :func:`score_round` — every team of a round: profiles, school comparison, previous-round deltas,
    role gaps, network reading, patterns, priorities. :func:`score_team` — one team alone.
    :func:`score_profile` / :func:`score_profiles` — profiles only (e.g. a previous round's teams).

Where each rule is documented
    - half rule, reverse keying, "weet niet", anonymity, team phase and its tie rule: :mod:`.profile`
    - mean, SD, agreement measure, polarisation, rounding: :mod:`.stats`
    - bands and every threshold with its default: :mod:`.config`
    - role subgroups and perception gaps (and why "other" can block them): :mod:`.roles`
    - school mean, rank, delta: :mod:`.compare`
    - bipolar poles against the phase: :mod:`.network`
    - every profile pattern's rule: :mod:`.patterns`; texts and seed references: ``patterns.yaml``
    - priority list and its tie-breaking: :mod:`.priorities`

Scores are transparent descriptions, not a validated index: the seeds give no weights or cut-offs
(000:3954-3957), so every threshold is a configurable design choice.
"""
from spiegel.scoring.config import ScoringConfig
from spiegel.scoring.inputs import ResponseData
from spiegel.scoring.pattern_texts import load_patterns
from spiegel.scoring.patterns import PATTERNS
from spiegel.scoring.profile import score_profile, score_profiles
from spiegel.scoring.results import (
    ATTENTION,
    BOTTLENECK,
    STRENGTH,
    Comparison,
    ElementResult,
    GroupResult,
    ItemResult,
    PatternHit,
    PatternInfo,
    PhaseResult,
    PoleReading,
    Priorities,
    PriorityItem,
    Profile,
    Reason,
    RoleComparison,
    RoleGap,
    RoundResult,
    SchoolSummary,
    Score,
    TeamResult,
    Trigger,
)
from spiegel.scoring.team import score_round, score_team

__all__ = [
    "ATTENTION", "BOTTLENECK", "STRENGTH", "PATTERNS",
    "Comparison", "ElementResult", "GroupResult", "ItemResult", "PatternHit", "PatternInfo", "PhaseResult",
    "PoleReading", "Priorities", "PriorityItem", "Profile", "Reason", "ResponseData", "RoleComparison",
    "RoleGap", "RoundResult", "SchoolSummary", "Score", "ScoringConfig", "TeamResult", "Trigger",
    "load_patterns", "score_profile", "score_profiles", "score_round", "score_team",
]
