"""What scoring returns: frozen dataclasses of plain values (numbers, strings, tuples, mappings).

Anonymity is part of the data, not of the templates: a suppressed :class:`Score` or :class:`Profile`
carries no number at all, only ``fewer_than`` (the minimum group size), so a template that prints
whatever it gets still prints nothing below the minimum.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Generic, TypeVar

K = TypeVar("K")

STRENGTH = "strength"
ATTENTION = "attention"
BOTTLENECK = "bottleneck"
BANDS = (BOTTLENECK, ATTENTION, STRENGTH)

EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Score:
    """One aggregate over respondents: the mean of the respondents' own means.

    Either shown (``fewer_than`` is None; ``n`` >= the minimum) or suppressed (``fewer_than`` is the
    minimum; ``n``, ``mean``, ``sd``, ``agreement`` and ``polarised`` are all None).

    - ``n``: respondents with a score (the half rule, see :mod:`spiegel.scoring.profile`).
    - ``sd``: sample standard deviation of the respondents' scores (n - 1).
    - ``agreement``: share of respondents within the agreement window (1 point) of the median.
    - ``polarised``: two camps, see :class:`~spiegel.scoring.config.ScoringConfig`.
    - ``dont_know_share``: share of "weet niet" among all answers on the unit's items; None when
      fewer than the minimum respondents answered those items at all.
    """

    n: int | None
    mean: float | None
    sd: float | None
    agreement: float | None
    polarised: bool | None
    dont_know_share: float | None
    fewer_than: int | None = None

    @property
    def shown(self) -> bool:
        return self.fewer_than is None


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item. ``distribution`` counts the raw answers 1..5 as respondents gave them (before
    reverse-keying), shown with the score; ``dont_know`` counts "weet niet" answers, shown when at
    least the minimum number of respondents answered the item."""

    item_id: str
    element_id: str
    reverse: bool
    score: Score
    distribution: tuple[int, int, int, int, int] | None
    dont_know: int | None


@dataclass(frozen=True, slots=True)
class ElementResult:
    """A sub-element, outcome indicator or pillar.

    Unipolar: ``score`` and ``band``. Bipolar (R2-R7) and balance (L5): no ``score`` and no ``band``
    ("higher is better" does not hold); ``facets`` holds the pole sub-scores a and b and ``position``
    is b − a (−4..4; negative leans to pole a, positive to pole b), None unless both are shown.
    """

    element_id: str
    group_id: str
    module_id: str
    polarity: str
    score: Score | None
    band: str | None
    facets: Mapping[str, Score]
    position: float | None
    item_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GroupResult:
    """A condition group, the outcome indicators or the pillars: the mean of each respondent's mean
    over the group's unipolar elements."""

    group_id: str
    kind: str
    module_id: str
    score: Score
    band: str | None


@dataclass(frozen=True, slots=True)
class PhaseResult:
    """The team's phase: the phase most respondents chose.

    ``phase`` is None when fewer than the minimum answered the phase question (one person's choice
    would otherwise show). On a tie the earliest phase (INI < IMP < BOR < DIF) wins and ``tied`` lists
    all tied phases; ``second`` is the runner-up (MODEL.md §1.7: "dominant phase plus an optional
    second"). ``counts`` is shown only with the phase.
    """

    phase: str | None
    tied: tuple[str, ...] = ()
    second: str | None = None
    counts: Mapping[str, int] | None = None
    answered: int | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """A group of respondents (a team or a role subgroup) scored against the round's modules.

    ``scores`` holds every unit by label (element id, facet label like ``R3b``, group id): the same
    Score objects as in ``elements``/``groups``. A suppressed profile (fewer respondents than the
    minimum) has ``size`` None, ``fewer_than`` set and empty mappings.
    """

    size: int | None
    fewer_than: int | None
    phase: PhaseResult
    items: Mapping[str, ItemResult] = field(default_factory=lambda: EMPTY)
    elements: Mapping[str, ElementResult] = field(default_factory=lambda: EMPTY)
    groups: Mapping[str, GroupResult] = field(default_factory=lambda: EMPTY)
    scores: Mapping[str, Score] = field(default_factory=lambda: EMPTY)

    @property
    def shown(self) -> bool:
        return self.fewer_than is None

    def value(self, label: str) -> float | None:
        """The mean of a unit when it is shown, else None (unknown unit, suppressed, not asked)."""
        score = self.scores.get(label)
        return score.mean if score is not None else None


@dataclass(frozen=True, slots=True)
class RoleGap:
    """One unit seen by teachers and by leaders/support; ``gap`` = teachers − leaders."""

    label: str
    teachers: Score
    leaders: Score
    gap: float | None


@dataclass(frozen=True, slots=True)
class RoleComparison:
    """Teachers vs leaders/support. ``shown`` only when both subgroups reach the minimum and the
    respondents in neither subgroup ("other") are none or at least the minimum (otherwise team minus
    subgroups would reveal them). Sizes are None when not shown."""

    shown: bool
    fewer_than: int | None
    teachers: int | None
    leaders: int | None
    gaps: Mapping[str, RoleGap]


@dataclass(frozen=True, slots=True)
class Comparison:
    """One unit of a team against the school's other teams in the round and its previous round.

    ``school_mean`` is the unweighted mean of the team scores shown for this unit (each team counts
    once; suppressed teams never enter it, so it cannot reveal them); ``teams`` is how many.
    ``rank`` is 1 for the highest mean; equal means share the best rank (1, 2, 2, 4).
    ``delta`` = this round − previous round, when both are shown.
    """

    label: str
    school_mean: float | None
    teams: int
    rank: int | None
    school_gap: float | None
    previous: float | None
    delta: float | None


@dataclass(frozen=True, slots=True)
class SchoolSummary:
    """Per unit: the mean over the teams shown for it, and how many teams that is."""

    means: Mapping[str, float]
    teams: Mapping[str, int]
    ranked: Mapping[str, tuple[float, ...]]  # every shown team mean, highest first


@dataclass(frozen=True, slots=True)
class PoleReading:
    """A bipolar or balance element read against the team's phase (MODEL.md §1.6, PP13).

    ``expected``: the poles the team's phase calls for; ``flagged``: those below the low band."""

    element_id: str
    a: float | None
    b: float | None
    position: float | None
    phase: str | None
    expected: tuple[str, ...]
    flagged: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Trigger:
    """One condition that held when a pattern fired, e.g. mean(R1, R3b, R4b) >= 3.5.

    ``measure`` is "mean", "min", "sd", "agreement", "polarised", "gap" or "phase"; ``value`` is the
    team's value (for several units: the mean, or the min for "min"); ``op`` is one of "<", ">=",
    "in", "not in", "abs>=", "is", or "lowest" (PP14: the weakest of ability, motivation and
    opportunity, named in ``threshold``).
    """

    units: tuple[str, ...]
    measure: str
    value: float | bool | str
    op: str
    threshold: float | bool | str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VariantInfo:
    """A variant's extra sentence ({"nl", "en", "fr"}) and its own seed references."""

    text: Mapping[str, str]
    refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PatternInfo:
    """A pattern's texts (each {"nl", "en", "fr"}) and seed references ("SSS:A-B"), from patterns.yaml."""

    id: str
    refs: tuple[str, ...]
    name: Mapping[str, str]
    explanation: Mapping[str, str]
    prompt: Mapping[str, str]
    variants: Mapping[str, VariantInfo] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True)
class PatternHit:
    """A fired profile pattern. Texts and seed references: ``info`` (from patterns.yaml).

    ``values`` are the unit values that triggered it; ``focus`` the elements the pattern asks the team
    to work on (they feed the priority list).
    """

    pattern_id: str
    kind: str
    variants: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    values: Mapping[str, float]
    focus: tuple[str, ...]
    info: PatternInfo


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an element is on the priority list, as a code and a value the web layer phrases.

    Codes: "band" (value: the band), "pattern" (the pattern id), "phase" (the team's phase; ``pattern``:
    the phase-bound pattern), "school_gap" (team − school mean), "score" (the value of ``unit``);
    from PP08 "spread" (sd), "agreement" (share within one point of the median), "polarised" (True);
    from PP09 "perception_gap" (teachers − leaders).
    """

    code: str
    value: float | str | None
    unit: str | None = None
    pattern: str | None = None


@dataclass(frozen=True, slots=True)
class PriorityItem:
    rank: int
    element_id: str
    unit: str  # the unit whose value placed it: the element, or a facet such as "R3b"
    value: float
    band: str
    patterns: tuple[str, ...]
    phase_relevant: bool
    school_gap: float | None
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Priorities:
    """``actions``: ranked candidates for the improvement plan. ``discussion``: low-agreement elements
    (PP08) to talk about first. ``rethink``: PP10 fired; offer "stop or rethink" as a decision."""

    actions: tuple[PriorityItem, ...] = ()
    discussion: tuple[PriorityItem, ...] = ()
    rethink: bool = False


@dataclass(frozen=True, slots=True)
class TeamResult:
    """Everything about one team in one round. For a suppressed team only ``profile`` (suppressed)
    is set; everything else is empty."""

    profile: Profile
    roles: RoleComparison
    comparisons: Mapping[str, Comparison]
    network: tuple[PoleReading, ...]
    patterns: tuple[PatternHit, ...]
    priorities: Priorities


@dataclass(frozen=True, slots=True)
class RoundResult(Generic[K]):
    """All teams of one round of one school, keyed as the caller keyed them."""

    teams: Mapping[K, TeamResult]
    school: SchoolSummary
    # The school's leaders together on the elements asked of leaders only (L6): see scoring.leaders.
    leaders: Mapping[str, Score] = field(default_factory=lambda: EMPTY)
