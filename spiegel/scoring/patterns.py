"""Profile patterns: named, documented rules read from the synthesis model (MODEL.md §3).

Each pattern is one small function over the team's shown values; its thresholds come from
:class:`~spiegel.scoring.config.ScoringConfig` (HI = band_high 3.5, LO = band_low 2.5, MID =
midpoint 3.0), its name, explanation, discussion prompt and seed references from ``patterns.yaml``.
The seeds give only the direction of each relation: every threshold and combination is a design
choice (MODEL.md §3).

General rules:

- A pattern uses only **shown** values. A condition that needs a suppressed or unasked value does not
  hold, so a pattern never fires on hidden data. Exception by logic: "min(a, b) < LO" holds as soon
  as one shown value is below LO.
- ``G(X)`` is the score of group X (P, S, L, D): the mean of each respondent's mean over the group's
  unipolar elements. ``R3b`` is pole b of R3, ``L5a`` facet a of L5.
- Each hit lists its triggers (the conditions that held, with the team's values), the values of the
  units involved, and the ``focus`` elements it asks the team to work on (used by the priority list).

The rules, each with the seed lines of its main claim (the full list, and the texts, are in
patterns.yaml; both are checked by ``seedref --check``):

PP01 Relations compensate (000:1677-1680, 000:3841-3843). mean(R1, R3b, R4b) >= HI and R6b >= LO
    (the network is broadened: "mits", 000:3851-3856) and R11 shown, and G(S) < LO (variant
    ``structural``: compensation, a strength) and/or G(P) < LO (variant ``individual``: the core group
    owns it, the others do not, 000:1971-1976 — a warning, kind risk; focus the low P1/P3).
    R11 < MID adds ``at_risk`` (focus R11; 000:1990-1993).
PP02 No compensation (000:1611-1614, 000:80-83). min(G(P), G(S)) < LO and mean(R1, R3b, R4b) < MID.
    Focus: R1 and the lowest S element.
PP03 Downside of networks (000:1990-1993, 000:3799-3803). Variant ``downside``: R11 < LO (focus R11).
    Variant ``narrow_closed``: R3b >= HI and (R6b < LO or (R7b < LO and R7a >= HI)): strong but narrow,
    or closed with information running through key figures (focus R6 and/or R7; 000:2190-2199).
PP04 Configuration over single factors (000:2027-2030, 000:2043-2050). Phase known and not INI, and
    max(R3b, R4b, R5b) >= HI and min(R3b, R4b, R5b) < LO (all three shown). Focus: the weak poles.
PP05 Leadership style vs phase (000:2440-2446, 000:4273-4275), read from the v2 L5 items (L5a: giving
    direction, making teachers familiar with the content). ``direction_wanted``: phase INI and
    L5a < LO (000:2845-2852). ``not_shared``: phase BOR/DIF and (L5b < LO or BV8 < LO).
    ``still_steering``: phase BOR/DIF and L5a >= HI and L5b < MID.
PP06 External not internalised (000:1596-1600, 000:2323-2330). min(S4, P3) < LO in phase BOR/DIF:
    dependence, with variant ``high_support`` when also S3 >= HI. The same lows in phase INI/IMP:
    variant ``plan_transfer``, advice to plan the transfer now (000:3497-3503).
PP07 No monitoring (000:1432-1446). I3 < LO. Variant ``output_only``: facet I3output >= MID and
    I3process < LO (000:1439-1444); it fires on its own when I3 as a whole is not low.
PP08 Low agreement (000:4577-4581, 001:876-882). On every unipolar element and every pole/facet of a
    bipolar or balance element: sd >= low_agreement_sd (1.2), or agreement < low_agreement_share
    (0.5), or polarised. These elements become discussion items, not actions.
PP09 Perception gap (000:4174-4176, 001:957-966). |teachers − leaders| >= gap_threshold (1.0) on an
    element or pole where both are shown; leaders alone, not support staff (a different group), with
    everyone else counted as the rest under the role rule of :mod:`.roles`.
PP10 Stop or rethink (decision; 000:1376-1377, 000:3728-3731). Only with a known phase past INI.
    ``no_fit``: I1 < LO while the team monitors (I3 >= MID): monitoring shows no fit (000:3728-3731);
    low understanding or agency is not misfit (000:1535-1543, PP14). ``no_priority``: L1 < LO and
    G(D) < LO; the text names reorganising leadership as the alternative (000:2496-2501).
PP11 Evidence note (002:1681-1697, 002:2263-2269). min(G(L), S1, S2) < LO. Kind ``evidence``: a note
    that leadership, time and means are the factors named most, and that frequency is not
    decisiveness; no focus.
PP12 Top and bottom (001:837-854, 001:1151-1159). ``bottom_up``: mean(P2, P3) >= HI and G(L) < LO
    (focus the lowest L element). ``top_down``: G(L) >= HI and mean(P2, P3) < LO (focus P2, P3;
    000:1588-1592).
PP13 Network profile against the phase (000:2036-2041, 000:3793-3797). For each row of
    :data:`~spiegel.scoring.network.NETWORK_POLES` whose phases include the team's phase: pole < LO
    (variant = the pole label; R2a in INI, 000:2058-2060; R7b only when also R7a >= HI). Variant
    ``external``: any known phase and mean(R8, R10) < LO: built during the initial process, they
    matter most later (000:3916-3920).
PP14 Resistance is missing conditions (000:1535-1543, 001:1270-1290). min(P2, P3) < LO; the variant
    names the weakest of ability (P1), motivation (mean of P2, P3) and opportunity (mean of S1-S3),
    ties in that order; focus its parts below HI.

Not implemented (MODEL.md has them as candidates): PP15 (a reporting practice, not a rule) and PP16
(optional module with external partners).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from spiegel.scoring import shown
from spiegel.scoring.layout import ELEMENT, FACET, facet_label
from spiegel.scoring.network import EARLY, LATE, NETWORK_POLES
from spiegel.scoring.pattern_context import (
    PHASE,
    Context,
    Found,
    at_least,
    below,
    element_of,
    in_phase,
    mean_of,
    min_below,
    present,
)
from spiegel.scoring.pattern_texts import load_patterns
from spiegel.scoring.results import PatternHit, Trigger
from spiegel.scoring.stats import low_agreement

STRENGTH = "strength"
RISK = "risk"
DIALOGUE = "dialogue"
DECISION = "decision"
EVIDENCE = "evidence"

RELATIONAL = ("R1", "R3b", "R4b")  # MODEL.md's relational bridge: structures, strong ties, depth


# -- the rules ---------------------------------------------------------------------------------


def pp01_compensation(ctx: Context) -> Found | None:
    hi, lo, mid = ctx.config.band_high, ctx.config.band_low, ctx.config.midpoint
    relational = at_least(ctx, RELATIONAL, hi)
    structural = below(ctx, ("S",), lo)
    individual = below(ctx, ("P",), lo)
    r11 = ctx.value("R11")
    # "mits" the network is broadened in time (000:3851-3856): not when breadth is low or unknown.
    broad = at_least(ctx, ("R6b",), lo)
    if relational is None or (structural is None and individual is None) or r11 is None or broad is None:
        return None
    triggers = [relational, broad, *present(structural, individual)]
    variants, focus = [], []
    kind = STRENGTH
    if structural:
        variants.append("structural")
    if individual:
        # A strong network with low understanding or ownership: the core group owns the innovation,
        # the others do not (000:1971-1976). A warning, not a strength.
        variants.append("individual")
        focus.extend(element for element in ("P1", "P3") if below(ctx, (element,), lo))
        kind = RISK
    if shown.at_least(r11, mid):
        triggers.append(Trigger(("R11",), "mean", r11, ">=", mid))
    else:
        triggers.append(Trigger(("R11",), "mean", r11, "<", mid))
        variants.append("at_risk")
        focus.append("R11")
    return Found(tuple(triggers), tuple(variants), _unique(focus), kind)


def pp02_no_compensation(ctx: Context) -> Found | None:
    gaps = min_below(ctx, ("P", "S"), ctx.config.band_low)
    relational = below(ctx, RELATIONAL, ctx.config.midpoint)
    if gaps is None or relational is None:
        return None
    focus = ["R1"]
    lowest = _lowest(ctx, ctx.group_elements("S"))
    if lowest is not None:
        focus.append(lowest)
    return Found((gaps, relational), (), tuple(focus))


def _lowest(ctx: Context, labels: list[str]) -> str | None:
    """The shown unit with the lowest value; ties go to questionnaire order."""
    shown = [label for label in labels if ctx.value(label) is not None]
    return min(shown, key=lambda label: (ctx.value(label), ctx.layout.units[label].order), default=None)


def pp03_downside(ctx: Context) -> Found | None:
    hi, lo = ctx.config.band_high, ctx.config.band_low
    triggers, variants, focus = [], [], []
    downside = below(ctx, ("R11",), lo)
    if downside:
        triggers.append(downside)
        variants.append("downside")
        focus.append("R11")
    strong = at_least(ctx, ("R3b",), hi)
    narrow = present(below(ctx, ("R6b",), lo), *closed_network(ctx))
    if strong and narrow:
        triggers.extend((strong, *narrow))
        variants.append("narrow_closed")
        focus.extend(_unique([element_of(ctx, t.units[0]) for t in narrow]))
    return Found(tuple(triggers), tuple(variants), tuple(focus)) if triggers else None


def closed_network(ctx: Context) -> tuple[Trigger, ...]:
    """"Closed and centrally steered": the open pole is low *and* information does run through a few
    key figures (R7a high). A low R7b alone may just mean little exchange at all."""
    open_low = below(ctx, ("R7b",), ctx.config.band_low)
    central = at_least(ctx, ("R7a",), ctx.config.band_high)
    return (open_low, central) if open_low and central else ()


def pp04_configuration(ctx: Context) -> Found | None:
    poles = ("R3b", "R4b", "R5b")
    values = [ctx.value(pole) for pole in poles]
    if ctx.phase is None or ctx.phase == "INI" or any(v is None for v in values):
        return None
    top, bottom = max(values), min(values)
    if shown.below(top, ctx.config.band_high) or shown.at_least(bottom, ctx.config.band_low):
        return None
    low = tuple(pole for pole, v in zip(poles, values) if shown.below(v, ctx.config.band_low))
    high = tuple(pole for pole, v in zip(poles, values) if shown.at_least(v, ctx.config.band_high))
    return Found(
        (Trigger((PHASE,), PHASE, ctx.phase, "not in", ("INI",)),
         Trigger(high, "max", top, ">=", ctx.config.band_high),
         Trigger(low, "min", bottom, "<", ctx.config.band_low)),
        (),
        tuple(element_of(ctx, pole) for pole in low),
    )


def pp05_leadership_phase(ctx: Context) -> Found | None:
    hi, lo, mid = ctx.config.band_high, ctx.config.band_low, ctx.config.midpoint
    triggers, variants, focus = [], [], []
    start = in_phase(ctx, frozenset({"INI"}))
    late = in_phase(ctx, LATE)
    steering_low = below(ctx, ("L5a",), lo)
    if start and steering_low:
        triggers.extend((start, steering_low))
        variants.append("direction_wanted")
        focus.append("L5")
    not_shared = present(below(ctx, ("L5b",), lo), below(ctx, ("BV8",), lo))
    if late and not_shared:
        triggers.extend((late, *not_shared))
        variants.append("not_shared")
        focus.extend(element_of(ctx, t.units[0]) for t in not_shared)
    steering_high = at_least(ctx, ("L5a",), hi)
    shared_low = below(ctx, ("L5b",), mid)
    if late and steering_high and shared_low:
        triggers.extend(t for t in (late, steering_high, shared_low) if t not in triggers)
        variants.append("still_steering")
        focus.append("L5")
    return Found(tuple(triggers), tuple(variants), _unique(focus)) if triggers else None


def pp06_dependence(ctx: Context) -> Found | None:
    lows = min_below(ctx, ("S4", "P3"), ctx.config.band_low)
    if lows is None:
        return None
    late = in_phase(ctx, LATE)
    if late:
        support = at_least(ctx, ("S3",), ctx.config.band_high)
        variants = ("high_support",) if support else ()
        return Found(present(late, lows, support), variants, lows.units)
    early = in_phase(ctx, EARLY)
    if early:
        return Found((early, lows), ("plan_transfer",), lows.units)
    return None


I3_OUTPUT = facet_label("I3", "output")
I3_PROCESS = facet_label("I3", "process")


def pp07_monitoring(ctx: Context) -> Found | None:
    low = below(ctx, ("I3",), ctx.config.band_low)
    output = at_least(ctx, (I3_OUTPUT,), ctx.config.midpoint)
    process = below(ctx, (I3_PROCESS,), ctx.config.band_low)
    triggers = list(present(low))
    variants = ()
    if output and process:
        triggers.extend((output, process))
        variants = ("output_only",)
    return Found(tuple(triggers), variants, ("I3",)) if triggers else None


def _agreement_units(ctx: Context) -> list[str]:
    """Units PP08 and PP09 look at: unipolar elements, and the poles/facets of bipolar and balance
    elements (a unipolar element's own facets are part of its score and not repeated)."""
    return [info.label for info in ctx.layout.units.values()
            if info.kind == ELEMENT or (info.kind == FACET and info.polarity != "unipolar")]


def pp08_low_agreement(ctx: Context) -> Found | None:
    config = ctx.config
    triggers: list[Trigger] = []
    focus: list[str] = []
    for label in _agreement_units(ctx):
        score = ctx.profile.scores.get(label)
        if score is None or not low_agreement(score, config):
            continue
        if shown.at_least(score.sd, config.low_agreement_sd):
            triggers.append(Trigger((label,), "sd", score.sd, ">=", config.low_agreement_sd))
        if shown.percent(score.agreement) < shown.percent(config.low_agreement_share):
            triggers.append(Trigger((label,), "agreement", score.agreement, "<", config.low_agreement_share))
        if score.polarised:
            triggers.append(Trigger((label,), "polarised", True, "is", True))
        focus.append(element_of(ctx, label))
    return Found(tuple(triggers), (), _unique(focus)) if triggers else None


def pp09_perception_gap(ctx: Context) -> Found | None:
    roles = ctx.leaders if ctx.leaders is not None else ctx.roles
    if not roles.shown:
        return None
    threshold = ctx.config.gap_threshold
    triggers = []
    for label in _agreement_units(ctx):
        gap = roles.gaps.get(label)
        if gap is not None and gap.gap is not None and shown.at_least(abs(gap.gap), threshold):
            triggers.append(Trigger((label,), "gap", gap.gap, "abs>=", threshold))
    focus = _unique([element_of(ctx, t.units[0]) for t in triggers])
    return Found(tuple(triggers), (), focus) if triggers else None


def pp10_rethink(ctx: Context) -> Found | None:
    lo, mid = ctx.config.band_low, ctx.config.midpoint
    if ctx.phase is None or ctx.phase == "INI":
        return None  # never on outcomes that cannot have come yet
    past_start = Trigger((PHASE,), PHASE, ctx.phase, "not in", ("INI",))
    triggers, variants = [past_start], []
    # No fit, as monitoring shows it (000:3728-3731): little benefit for pupils while the team does
    # follow output and process. Low understanding or agency is not misfit (000:1535-1543): PP14.
    no_fit = present(below(ctx, ("I1",), lo), at_least(ctx, ("I3",), mid))
    if len(no_fit) == 2:
        triggers.extend(no_fit)
        variants.append("no_fit")
    no_priority = present(below(ctx, ("L1",), lo), below(ctx, ("D",), lo))
    if len(no_priority) == 2:
        triggers.extend(no_priority)
        variants.append("no_priority")
    return Found(tuple(triggers), tuple(variants)) if variants else None


def pp11_leadership_time_means(ctx: Context) -> Found | None:
    lows = min_below(ctx, ("L", "S1", "S2"), ctx.config.band_low)
    return Found((lows,)) if lows else None


def pp12_top_and_bottom(ctx: Context) -> Found | None:
    hi, lo = ctx.config.band_high, ctx.config.band_low
    team_high, team_low = at_least(ctx, ("P2", "P3"), hi), below(ctx, ("P2", "P3"), lo)
    lead_high, lead_low = at_least(ctx, ("L",), hi), below(ctx, ("L",), lo)
    if team_high and lead_low:
        lowest = _lowest(ctx, ctx.group_elements("L"))
        return Found((team_high, lead_low), ("bottom_up",), (lowest,) if lowest else ())
    if lead_high and team_low:
        return Found((lead_high, team_low), ("top_down",), ("P2", "P3"))
    return None


# PP14: what looks like resistance, read with ability, motivation and opportunity (001:1270-1290).
AMO = (("ability", ("P1",)), ("motivation", ("P2", "P3")), ("opportunity", ("S1", "S2", "S3")))


def pp14_resistance(ctx: Context) -> Found | None:
    low = min_below(ctx, ("P2", "P3"), ctx.config.band_low)
    if low is None:
        return None
    values = []
    for name, units in AMO:
        # The mean of the shown parts (motivation always has one here: the low P2 or P3).
        parts = tuple(unit for unit in units if ctx.value(unit) is not None)
        if parts:
            values.append((name, parts, mean_of(ctx, parts)))
    name, units, value = min(values, key=lambda entry: entry[2])  # ties: ability, motivation, opportunity
    weakest = Trigger(units, "mean", value, "lowest", name)
    # Work on the parts of the weakest condition that are not already strengths.
    focus = tuple(unit for unit in units if shown.below(ctx.value(unit), ctx.config.band_high))
    return Found((low, weakest), (name,), focus)


def pp13_network_phase(ctx: Context) -> Found | None:
    lo = ctx.config.band_low
    triggers, variants, focus = [], [], []
    for element, pole, phases in NETWORK_POLES:
        label = facet_label(element, pole)
        if not in_phase(ctx, phases):
            continue
        low = closed_network(ctx) if label == "R7b" else present(below(ctx, (label,), lo))
        if low:
            triggers.extend(low)
            variants.append(label)
            focus.append(element)
    # External partnerships: built during the initial process, they matter most later (000:3916-3920).
    external = below(ctx, ("R8", "R10"), lo)
    if ctx.phase is not None and external:
        triggers.append(external)
        variants.append("external")
        focus.extend(("R8", "R10"))
    if not triggers:
        return None
    phase = Trigger((PHASE,), PHASE, ctx.phase, "is", ctx.phase)
    return Found((phase, *triggers), tuple(variants), _unique(focus))


def _unique(labels: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(labels))


# -- registry and engine -----------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    id: str
    rule: Callable[[Context], Found | None]
    kind: str
    phase_bound: bool  # reads the team's phase: its focus elements are "phase relevant"
    variants: tuple[str, ...] = ()


PATTERNS: tuple[Pattern, ...] = (
    Pattern("PP01", pp01_compensation, STRENGTH, False, ("structural", "individual", "at_risk")),
    Pattern("PP02", pp02_no_compensation, RISK, False),
    Pattern("PP03", pp03_downside, RISK, False, ("downside", "narrow_closed")),
    Pattern("PP04", pp04_configuration, RISK, False),
    Pattern("PP05", pp05_leadership_phase, RISK, True, ("direction_wanted", "not_shared", "still_steering")),
    Pattern("PP06", pp06_dependence, RISK, True, ("high_support", "plan_transfer")),
    Pattern("PP07", pp07_monitoring, RISK, False, ("output_only",)),
    Pattern("PP08", pp08_low_agreement, DIALOGUE, False),
    Pattern("PP09", pp09_perception_gap, DIALOGUE, False),
    Pattern("PP10", pp10_rethink, DECISION, False, ("no_fit", "no_priority")),
    Pattern("PP11", pp11_leadership_time_means, EVIDENCE, False),
    Pattern("PP12", pp12_top_and_bottom, RISK, False, ("bottom_up", "top_down")),
    Pattern("PP13", pp13_network_phase, RISK, True,
            tuple(facet_label(e, p) for e, p, _ in NETWORK_POLES) + ("external",)),
    Pattern("PP14", pp14_resistance, RISK, False, tuple(name for name, _ in AMO)),
)
PATTERNS_BY_ID: Mapping[str, Pattern] = {p.id: p for p in PATTERNS}


def find_patterns(ctx: Context) -> tuple[PatternHit, ...]:
    """Every pattern that fires for a shown team, in pattern order."""
    if not ctx.profile.shown:
        return ()
    texts = load_patterns()
    hits = []
    for pattern in PATTERNS:
        found = pattern.rule(ctx)
        if found is None:
            continue
        values = {unit: ctx.value(unit) for t in found.triggers for unit in t.units if unit != PHASE}
        hits.append(PatternHit(pattern.id, found.kind or pattern.kind, found.variants, found.triggers, values, found.focus,
                               texts[pattern.id]))
    return tuple(hits)
