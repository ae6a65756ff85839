"""Score one group of respondents (a team or a role subgroup) against the round's modules.

Rules:

- **Reverse-keyed items** count as 6 − answer. Distributions show the answers as given.
- **"Weet niet / n.v.t."** (None) is never a score: it is left out of every mean and counted
  separately (``dont_know`` on items, ``dont_know_share`` on every unit).
- **Only asked items count.** An answer to an item not asked of the respondent's role (e.g. left over
  from a changed instrument) is ignored, and so is an unknown item id.
- **Half rule.** A respondent gets a score on an element or facet only when at least half of its items
  asked of their role have a value (rounded up: 1 of 1 or 2, 2 of 3 or 4); on a group only when at
  least half of the group's unipolar elements asked of their role have a score. Otherwise the
  respondent simply does not count for that unit (``n`` shows how many do).
- **Element score** = mean of the respondent's values on its items; **group score** = mean of the
  respondent's element scores (unipolar elements only: bipolar and balance elements have no "higher is
  better" score); the team score of any unit = mean of the respondents' scores.
- **Anonymity.** A group with fewer respondents than the minimum yields a suppressed Profile: no
  scores, no distribution, no count. Inside a shown group, each unit with fewer scores than the
  minimum is suppressed on its own (e.g. an item only leaders answer in a team with two leaders), and
  an item that fewer than the minimum answered is left out of every aggregate of the group (see
  :func:`without_rare_items`).
- **Team phase** = the phase most respondents chose. A tie goes to the earliest of the tied phases,
  the phase the team has surely reached ("borging een voorwaarde is voor opschaling of diffusie",
  000:3725-3726), and all tied phases are reported. Fewer answers to the phase question than the
  minimum → no phase (one person's choice would otherwise show), and another phase is named (tied,
  second) only when at least the minimum chose it. Respondents may skip the question.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from spiegel.instrument.model import PHASES, Module
from spiegel.scoring.config import ScoringConfig
from spiegel.scoring.growth import grew_safely, steps_of
from spiegel.scoring.inputs import ResponseData
from spiegel.scoring.layout import GROUP, Layout, RolePlan, build_layout, facet_label
from spiegel.scoring.results import ElementResult, GroupResult, ItemResult, PhaseResult, Profile, Score
from spiegel.scoring.stats import DECIMALS, band, summarise, summarise_counts, suppressed

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Respondent:
    """One respondent after scoring: the building block every group aggregates."""

    role: str
    phase: str | None
    answers: Mapping[str, int | None]  # as given, restricted to the items asked of the role
    units: dict[str, float]  # unit label → this respondent's score
    tallies: dict[str, tuple[int, int]]  # unit label → (answers incl. weet niet, weet niet)
    step: int = 1  # the release step that brought the response in (spiegel.scoring.growth)


def score_respondent(plan: RolePlan, response: ResponseData) -> Respondent:
    """Apply reverse-keying and the half rule to one response (one pass over its answers)."""
    answers = response.answers
    if not answers.keys() <= plan.asked:
        # Answers to items not asked of this role (or not in this instrument) do not count.
        answers = {item_id: value for item_id, value in answers.items() if item_id in plan.asked}
    size = len(plan.units)
    sums, counts, unknowns = [0] * size, [0] * size, [0] * size
    items = plan.items
    for item_id, value in answers.items():
        reverse, feeds = items[item_id]
        if value is None:
            for index in feeds:
                unknowns[index] += 1
            continue
        if reverse:
            value = 6 - value
        for index in feeds:
            sums[index] += value
            counts[index] += 1
    units: dict[str, float] = {}
    tallies: dict[str, tuple[int, int]] = {}
    for label, need, total, valued, unknown in zip(plan.labels, plan.needs, sums, counts, unknowns):
        if valued >= need:
            # A mean of integers is already the nearest float: no rounding needed here.
            units[label] = total / valued
        if valued or unknown:
            tallies[label] = (valued + unknown, unknown)
    for group in plan.groups:
        got = [units[part] for part in group.parts if part in units]
        if got and len(got) >= group.needed:
            # A mean of means is rounded so that float noise cannot move it across a threshold.
            units[group.label] = round(sum(got) / len(got), DECIMALS)
        parts = [tallies[part] for part in group.parts if part in tallies]
        if parts:
            given, unknown = map(sum, zip(*parts))
            tallies[group.label] = (given, unknown)
    return Respondent(response.role, response.phase, answers, units, tallies, response.step)


def score_respondents(layout: Layout, responses: Iterable[ResponseData]) -> list[Respondent]:
    return [score_respondent(layout.plans[r.role], r) for r in responses]


def score_profile(modules: Sequence[Module], responses: Sequence[ResponseData],
                  config: ScoringConfig | None = None) -> Profile:
    """The profile of one group of respondents (e.g. a previous round's team, for deltas)."""
    layout = build_layout(modules)
    return aggregate(layout, score_respondents(layout, responses), config or ScoringConfig())


def score_profiles(modules: Sequence[Module], groups: Mapping[K, Sequence[ResponseData]],
                   config: ScoringConfig | None = None) -> dict[K, Profile]:
    """Profiles of several groups on the same modules (e.g. every team of a previous round)."""
    layout = build_layout(modules)
    config = config or ScoringConfig()
    return {key: aggregate(layout, score_respondents(layout, responses), config) for key, responses in groups.items()}


def suppressed_profile(config: ScoringConfig) -> Profile:
    return Profile(size=None, fewer_than=config.min_group_size, phase=PhaseResult(None))


def aggregate(layout: Layout, respondents: Sequence[Respondent], config: ScoringConfig) -> Profile:
    """Aggregate scored respondents into a Profile (suppressed below the minimum group size)."""
    if len(respondents) < config.min_group_size:
        return suppressed_profile(config)
    respondents = without_rare_items(layout, respondents, config)
    scores = unit_scores(layout, respondents, config)
    return Profile(
        size=len(respondents),
        fewer_than=None,
        phase=team_phase(respondents, config) if layout.has_phase else PhaseResult(None),
        items=_item_results(layout, respondents, config),
        elements=_element_results(layout, scores, config),
        groups=_group_results(layout, scores, config),
        scores=scores,
    )


def without_rare_items(layout: Layout, respondents: Sequence[Respondent], config: ScoringConfig) -> Sequence[Respondent]:
    """The respondents scored again without the items that fewer than the minimum of this group
    answered (a "don't know" counts as an answer). Such an item (e.g. one asked of leaders only, in a
    team with one leader) must not enter any mean, share or count of the group: through the element,
    group or "don't know" share it is part of, it would tell what those few answered."""
    answered = Counter(item_id for respondent in respondents for item_id in respondent.answers)
    rare = {item_id for item_id, count in answered.items() if count < config.min_group_size}
    if not rare:
        return respondents
    return [score_respondent(layout.plans[r.role], ResponseData(
        r.role, {item_id: value for item_id, value in r.answers.items() if item_id not in rare}, r.phase, r.step))
        if not rare.isdisjoint(r.answers) else r for r in respondents]


def unit_scores(layout: Layout, respondents: Sequence[Respondent], config: ScoringConfig) -> dict[str, Score]:
    """Every unit's Score for a group of respondents (each suppressed below the minimum, or where the
    unit's n grew by fewer than the minimum between two release steps: :mod:`.growth`)."""
    minimum = config.min_group_size
    all_units = [r.units for r in respondents]
    all_tallies = [r.tallies for r in respondents]
    steps = steps_of(r.step for r in respondents)
    scores = {}
    for label in layout.units:
        values = [units[label] for units in all_units if label in units]
        tallies = [tallies[label] for tallies in all_tallies if label in tallies]
        # The "weet niet" share shows once enough respondents answered the unit at all.
        share = None
        if len(tallies) >= minimum and _grew_safely(
                steps, (r.step for r in respondents if label in r.tallies), minimum):
            given, unknown = map(sum, zip(*tallies))
            share = unknown / given
        score = summarise(values, config, share)
        if score.shown and not _grew_safely(steps, (r.step for r in respondents if label in r.units), minimum):
            score = suppressed(config, share)
        scores[label] = score
    return scores


def _grew_safely(steps: list[int], member_steps: Iterable[int], minimum: int) -> bool:
    """A figure over these members (given by their release steps) may be shown: see :mod:`.growth`."""
    return grew_safely(steps, [member_steps], minimum, lambda n: n >= minimum)


def _item_results(layout: Layout, respondents: Sequence[Respondent], config: ScoringConfig) -> dict[str, ItemResult]:
    # One pass over all answers: per item, [weet niet, 1, 2, 3, 4, 5] as given.
    tallies: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    # Per item, the release steps of those who answered it (incl. weet niet) and of those with a value.
    answered: dict[str, list[int]] = defaultdict(list)
    valued: dict[str, list[int]] = defaultdict(list)
    for respondent in respondents:
        for item_id, value in respondent.answers.items():
            tallies[item_id][value or 0] += 1
            answered[item_id].append(respondent.step)
            if value is not None:
                valued[item_id].append(respondent.step)
    steps = steps_of(r.step for r in respondents)
    minimum = config.min_group_size
    results = {}
    for element in layout.elements():
        for item in element.items:
            tally = tallies.get(item.id, [0] * 6)
            counts = tuple(tally[1:])  # raw answers, as given
            unknown = tally[0]
            given = unknown + sum(counts)
            dk_shown = given >= minimum and _grew_safely(steps, answered[item.id], minimum)
            scored = counts[::-1] if item.reverse else counts  # reverse-keyed: 1 counts as 5, ...
            score = summarise_counts(scored, config, unknown / given if dk_shown else None)
            if score.shown and not _grew_safely(steps, valued[item.id], minimum):
                score = suppressed(config, score.dont_know_share)
            results[item.id] = ItemResult(
                item_id=item.id,
                element_id=element.id,
                reverse=item.reverse,
                score=score,
                distribution=counts if score.shown else None,
                dont_know=unknown if dk_shown else None,
            )
    return results


def _element_results(layout: Layout, scores: dict[str, Score], config: ScoringConfig) -> dict[str, ElementResult]:
    results = {}
    for element in layout.elements():
        facets = {facet.id: scores[facet_label(element.id, facet.id)] for facet in element.facets}
        score = scores[element.id] if element.polarity == "unipolar" else None
        position = None
        if element.polarity != "unipolar" and facets["a"].shown and facets["b"].shown:
            position = round(facets["b"].mean - facets["a"].mean, DECIMALS)
        results[element.id] = ElementResult(
            element_id=element.id,
            group_id=element.group_id,
            module_id=element.items[0].module_id,
            polarity=element.polarity,
            score=score,
            band=band(score.mean, config) if score is not None else None,
            facets=facets,
            position=position,
            item_ids=tuple(item.id for item in element.items),
        )
    return results


def _group_results(layout: Layout, scores: dict[str, Score], config: ScoringConfig) -> dict[str, GroupResult]:
    return {
        info.label: GroupResult(info.label, info.group_kind, info.module_id, scores[info.label],
                                band(scores[info.label].mean, config))
        for info in layout.units.values() if info.kind == GROUP
    }


def team_phase(respondents: Sequence[Respondent], config: ScoringConfig) -> PhaseResult:
    """The phase most respondents chose; ties go to the earliest phase (see module docstring)."""
    counts = Counter(r.phase for r in respondents if r.phase is not None)
    answered = sum(counts.values())
    if answered < config.min_group_size:
        return PhaseResult(None)
    ranking = sorted(counts, key=lambda phase: (-counts[phase], PHASES.index(phase)))
    top = counts[ranking[0]]
    # Another phase is named ("tied with", "also mentioned") only when at least the minimum chose it:
    # otherwise the sentence would tell what one or two people answered.
    minimum = config.min_group_size
    tied = tuple(phase for phase in ranking if counts[phase] == top) if top >= minimum else ()
    second = ranking[1] if len(ranking) > 1 and counts[ranking[1]] >= minimum else None
    return PhaseResult(
        phase=ranking[0],
        tied=tied if len(tied) > 1 else (),
        second=second,
        counts={phase: counts.get(phase, 0) for phase in PHASES},
        answered=answered,
    )
