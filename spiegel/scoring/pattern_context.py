"""What the pattern rules (:mod:`spiegel.scoring.patterns`) read and return: the evaluation context
of one team, what a rule found, and the small conditions the rules are written with."""
from __future__ import annotations

from dataclasses import dataclass
from math import fsum

from spiegel.instrument.model import PHASES
from spiegel.scoring import shown
from spiegel.scoring.config import ScoringConfig
from spiegel.scoring.layout import ELEMENT, Layout
from spiegel.scoring.results import Profile, RoleComparison, Trigger
from spiegel.scoring.stats import DECIMALS

PHASE = "phase"


@dataclass(frozen=True)
class Context:
    """What the rules read: the team's shown values, its phase, the role gaps, the thresholds."""

    layout: Layout
    profile: Profile
    roles: RoleComparison
    config: ScoringConfig
    # Teachers against leaders alone (support staff are another group), for PP09; None: not computed.
    leaders: RoleComparison | None = None

    @property
    def phase(self) -> str | None:
        return self.profile.phase.phase

    def value(self, label: str) -> float | None:
        return self.profile.value(label)

    def group_elements(self, group_id: str) -> list[str]:
        return [info.label for info in self.layout.units.values()
                if info.kind == ELEMENT and info.group_id == group_id]


@dataclass(frozen=True)
class Found:
    """What a rule returns when it fires; the engine adds the values and the texts."""

    triggers: tuple[Trigger, ...]
    variants: tuple[str, ...] = ()
    focus: tuple[str, ...] = ()
    kind: str | None = None  # when a variant changes what the pattern is (PP01's individual case)


def mean_of(ctx: Context, units: tuple[str, ...]) -> float | None:
    """The mean of several shown unit values; None if any is not shown."""
    values = [ctx.value(unit) for unit in units]
    if any(v is None for v in values):
        return None
    return round(fsum(values) / len(values), DECIMALS)


def below(ctx: Context, units: tuple[str, ...], threshold: float) -> Trigger | None:
    """mean(units) < threshold (one unit: its value), or None."""
    value = mean_of(ctx, units)
    return Trigger(units, "mean", value, "<", threshold) if value is not None and shown.below(value, threshold) \
        else None


def at_least(ctx: Context, units: tuple[str, ...], threshold: float) -> Trigger | None:
    """mean(units) >= threshold, or None."""
    value = mean_of(ctx, units)
    return Trigger(units, "mean", value, ">=", threshold) \
        if value is not None and shown.at_least(value, threshold) else None


def min_below(ctx: Context, units: tuple[str, ...], threshold: float) -> Trigger | None:
    """min(units) < threshold: holds when any shown unit is below; the trigger names those units."""
    low = [(unit, ctx.value(unit)) for unit in units
           if ctx.value(unit) is not None and shown.below(ctx.value(unit), threshold)]
    if not low:
        return None
    return Trigger(tuple(unit for unit, _ in low), "min", min(value for _, value in low), "<", threshold)


def in_phase(ctx: Context, phases: frozenset[str]) -> Trigger | None:
    if ctx.phase is None or ctx.phase not in phases:
        return None
    return Trigger((PHASE,), PHASE, ctx.phase, "in", tuple(sorted(phases, key=PHASES.index)))


def element_of(ctx: Context, label: str) -> str:
    """The element a unit label belongs to (``R3b`` → ``R3``)."""
    info = ctx.layout.units[label]
    return info.element_id or label


def present(*triggers: Trigger | None) -> tuple[Trigger, ...]:
    return tuple(t for t in triggers if t is not None)
