"""The priority list: which sub-elements first in the improvement plan, and why.

MODEL.md "Priority list" (a design choice): bottlenecks first, then attention; boost elements named in
fired patterns and phase-relevant poles; low-agreement (PP08) elements become discussion items.

**Candidates**: every sub-element or pillar (not the outcome indicators D, which get no actions) with
band bottleneck or attention, plus every element a fired pattern asks to work on (its ``focus``),
except that dialogue patterns (PP08, PP09) add no candidates of their own. A bipolar or balance
element has no band of its own: it is placed by the lowest pole value that made a pattern name it
(e.g. R4b for PP13).

**Discussion items**: candidates PP08 names (low agreement) leave the action list and form the
discussion list, ordered the same way: a conversation is needed before an action.

**Order** (each step breaks the ties of the previous one; the last one never ties):

1. band of the placing value: bottleneck, attention, strength;
2. number of fired patterns naming the element (more first);
3. phase relevance: named by a pattern that reads the phase (PP05, PP06, PP13) first;
4. the placing value (lower first);
5. gap to the school mean (further below first; no school comparison counts as 0);
6. questionnaire order (module, group, element).

Every item carries its reasons as codes with values (:class:`~spiegel.scoring.results.Reason`), so the
web layer phrases them in any language.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from spiegel.scoring import shown
from spiegel.scoring.layout import ELEMENT, FACET
from spiegel.scoring.pattern_context import PHASE, Context, element_of
from spiegel.scoring.patterns import DIALOGUE, PATTERNS_BY_ID
from spiegel.scoring.results import BANDS, Comparison, PatternHit, Priorities, PriorityItem, Reason
from spiegel.scoring.stats import band

LOW_AGREEMENT = "PP08"
PERCEPTION_GAP = "PP09"
RETHINK = "PP10"


@dataclass(frozen=True)
class _Candidate:
    element_id: str
    unit: str  # the unit whose value places the element
    value: float


def prioritise(ctx: Context, hits: Sequence[PatternHit], comparisons: Mapping[str, Comparison]) -> Priorities:
    """Rank the candidates (see module docstring)."""
    if not ctx.profile.shown:
        return Priorities()
    candidates = _candidates(ctx, hits)
    discuss = {e for hit in hits if hit.pattern_id == LOW_AGREEMENT for e in hit.focus}
    items = [_item(ctx, c, hits, comparisons) for c in candidates]
    items.sort(key=lambda item: _sort_key(item, ctx))
    actions = [item for item in items if item.element_id not in discuss]
    discussion = [item for item in items if item.element_id in discuss]
    return Priorities(
        actions=tuple(_ranked(actions)),
        discussion=tuple(_ranked(discussion)),
        rethink=any(hit.pattern_id == RETHINK for hit in hits),
    )


def _candidates(ctx: Context, hits: Sequence[PatternHit]) -> list[_Candidate]:
    found: dict[str, _Candidate] = {}
    for label, info in ctx.layout.units.items():
        value = ctx.value(label)
        if info.kind == ELEMENT and info.group_kind != "outcome" and value is not None \
                and shown.below(value, ctx.config.band_high):
            found[label] = _Candidate(label, label, value)
    for hit in hits:
        if hit.kind == DIALOGUE and hit.pattern_id != LOW_AGREEMENT:
            continue  # a perception gap boosts a candidate but does not make one
        for element_id in hit.focus:
            if element_id not in found:
                candidate = _focus_candidate(ctx, element_id, hits)
                if candidate is not None:
                    found[element_id] = candidate
    return list(found.values())


def _focus_candidate(ctx: Context, element_id: str, hits: Sequence[PatternHit]) -> _Candidate | None:
    """A candidate for an element a pattern names: unipolar by its own value, bipolar/balance by the
    lowest pole value among the triggers of the patterns that named it."""
    info = ctx.layout.units.get(element_id)
    if info is not None:
        value = ctx.value(element_id)
        if info.group_kind == "outcome" or value is None:
            return None
        return _Candidate(element_id, element_id, value)
    poles = {unit for hit in hits if element_id in hit.focus for t in hit.triggers for unit in t.units
             if unit != PHASE and ctx.layout.units[unit].element_id == element_id
             and ctx.layout.units[unit].kind == FACET and ctx.value(unit) is not None}
    if not poles:
        return None
    unit = min(sorted(poles), key=ctx.value)
    return _Candidate(element_id, unit, ctx.value(unit))


def _item(ctx: Context, candidate: _Candidate, hits: Sequence[PatternHit],
          comparisons: Mapping[str, Comparison]) -> PriorityItem:
    naming = [hit for hit in hits if candidate.element_id in hit.focus]
    patterns = tuple(dict.fromkeys(hit.pattern_id for hit in naming))
    phase_patterns = [p for p in patterns if PATTERNS_BY_ID[p].phase_bound]
    comparison = comparisons.get(candidate.unit)
    school_gap = comparison.school_gap if comparison is not None else None
    level = band(candidate.value, ctx.config)
    reasons = [Reason("band", level, candidate.unit)]
    reasons += [Reason("pattern", p, pattern=p) for p in patterns]
    if phase_patterns:
        reasons.append(Reason("phase", ctx.profile.phase.phase, pattern=phase_patterns[0]))
    if school_gap is not None:
        reasons.append(Reason("school_gap", school_gap, candidate.unit))
    reasons.append(Reason("score", candidate.value, candidate.unit))
    reasons += _dialogue_reasons(ctx, candidate, naming)
    return PriorityItem(
        rank=0,
        element_id=candidate.element_id,
        unit=candidate.unit,
        value=candidate.value,
        band=level,
        patterns=patterns,
        phase_relevant=bool(phase_patterns),
        school_gap=school_gap,
        reasons=tuple(reasons),
    )


# PP08/PP09 trigger measures → reason codes.
DIALOGUE_REASONS = {"sd": "spread", "agreement": "agreement", "polarised": "polarised", "gap": "perception_gap"}


def _dialogue_reasons(ctx: Context, candidate: _Candidate, hits: Sequence[PatternHit]) -> list[Reason]:
    """The spread, agreement, camps or role gap that made PP08/PP09 name this element."""
    reasons = []
    for hit in hits:
        if hit.pattern_id not in (LOW_AGREEMENT, PERCEPTION_GAP):
            continue
        for trigger in hit.triggers:
            unit = trigger.units[0]
            if element_of(ctx, unit) == candidate.element_id:
                reasons.append(Reason(DIALOGUE_REASONS[trigger.measure], trigger.value, unit, hit.pattern_id))
    return reasons


def _sort_key(item: PriorityItem, ctx: Context) -> tuple:
    return (
        BANDS.index(item.band),
        -len(item.patterns),
        not item.phase_relevant,
        item.value,
        item.school_gap if item.school_gap is not None else 0.0,
        ctx.layout.units[item.unit].order,
    )


def _ranked(items: list[PriorityItem]) -> list[PriorityItem]:
    return [replace(item, rank=rank) for rank, item in enumerate(items, start=1)]
