"""The team report's context: everything the mirror shows, as plain data in the reader's language.

Stage one of three (context → HTML → PDF, STYLE.md 7). Every number comes from the scoring result
(:func:`spiegel.results.profiles.round_profiles`); this module only selects, orders, formats and
phrases. A suppressed team (fewer respondents than the minimum group size) gets a context with no
results at all: :attr:`Report.suppressed` is true and every result field is empty.

Build it inside ``flask_babel.force_locale(lang)``: names and texts are resolved to that language here,
so templates print plain strings.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from spiegel.instrument.model import Element, Group, Module
from spiegel.results import numbers
from spiegel.results.profiles import (
    RoundProfiles,
    previous_round_teams,
    released_open_answers,
    round_profiles,
    scoring_config,
)
from spiegel.rounds.models import Round, RoundTeam
from spiegel.scoring import (
    ATTENTION,
    BOTTLENECK,
    STRENGTH,
    Comparison,
    ElementResult,
    PatternHit,
    PriorityItem,
    Score,
    ScoringConfig,
    TeamResult,
    shown,
    stats,
)
from spiegel.shared import charts
from spiegel.shared.extensions import db
from spiegel.shared.i18n import localized

BAND_LABELS = {STRENGTH: _l("strength"), ATTENTION: _l("needs attention"), BOTTLENECK: _l("bottleneck")}
PATTERN_KINDS = {"strength": _l("Strength"), "risk": _l("Risk"), "dialogue": _l("Conversation first"),
                 "decision": _l("Decision"), "evidence": _l("Evidence note")}
GENERIC_PROMPTS = (
    _l("What in this mirror do you recognise, and what surprises you?"),
    _l("Which strength can we build on in the coming months?"),
    _l("What would we like to see different in the next round?"),
)
MAX_GAPS = 8  # the largest role differences charted (the intro says how many reach the threshold)
MAX_PRIORITIES = 5
MAX_HIGHLIGHTS = 8  # strengths and bottlenecks listed by name; the rest counted ("and 4 more")
MAX_DISCUSSION_PROMPTS = 3
MAX_SPECIFIC_PROMPTS = 3  # prompts from patterns and differences of opinion: the one-look page holds one page
MAX_ONE_LOOK_STRENGTHS = 6  # strengths named in the one-look page's line; the list in the detail has more


# -- plain data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreView:
    """A score as the report shows it: the number and its texts, or only "fewer than N"."""

    shown: bool
    mean: float | None
    text: str
    band: str | None = None
    band_label: str = ""
    n: int | None = None
    sd: float | None = None
    sd_text: str = ""
    agreement_text: str = ""
    dont_know_text: str = ""
    low_agreement: bool = False


@dataclass(frozen=True)
class CompareView:
    school_mean: float | None = None
    school_text: str = ""
    teams: int = 0
    previous: float | None = None
    previous_text: str = ""
    delta_text: str = ""


@dataclass(frozen=True)
class FacetView:
    label: str
    name: str
    score: ScoreView


@dataclass(frozen=True)
class ElementView:
    id: str
    name: str
    definition: str
    polarity: str
    weak_evidence: bool
    score: ScoreView | None  # None for bipolar and balance elements (read by pole)
    facets: tuple[FacetView, ...]
    compare: CompareView
    details: str = ""  # spread, agreement, "don't know", facets, comparison, as one line


@dataclass(frozen=True)
class GroupSection:
    id: str
    kind: str
    name: str
    score: ScoreView
    compare: CompareView
    elements: tuple[ElementView, ...]  # unipolar ones, charted
    poles: tuple[ElementView, ...]  # bipolar/balance ones of this group
    chart: Markup
    pole_chart: Markup | None = None


@dataclass(frozen=True)
class PoleView:
    id: str
    name: str
    a_name: str
    b_name: str
    a: ScoreView
    b: ScoreView
    expected: tuple[str, ...]
    expected_names: tuple[str, ...]
    flagged: tuple[str, ...]
    flagged_names: tuple[str, ...]


@dataclass(frozen=True)
class NetworkView:
    phase_name: str | None
    poles: tuple[PoleView, ...]
    chart: Markup | None


@dataclass(frozen=True)
class PatternView:
    id: str
    kind: str
    kind_label: str
    name: str
    explanation: str
    variants: tuple[str, ...]
    values: tuple[tuple[str, str], ...]  # (unit name, value text)
    refs: tuple[str, ...]
    prompt: str


@dataclass(frozen=True)
class GapView:
    label: str
    name: str
    teachers: str
    leaders: str
    gap_text: str
    large: bool


@dataclass(frozen=True)
class RolesView:
    shown: bool
    fewer_than: int | None
    teachers: int | None
    leaders: int | None
    gaps: tuple[GapView, ...]
    large_count: int
    chart: Markup | None


@dataclass(frozen=True)
class Highlight:
    id: str
    name: str
    score: ScoreView
    group: str
    note: str = ""  # e.g. "low for your phase" for a pole (poles have no band)


@dataclass(frozen=True)
class NoteView:
    """The team's own explanation of one of its results, typed in the team conversation."""

    element_id: str
    name: str
    text: str


@dataclass(frozen=True)
class OpenQuestionView:
    id: str
    question: str
    answers: tuple[str, ...]  # empty when not shown
    shown: bool


@dataclass(frozen=True)
class Prompt:
    text: str
    source: str = ""  # the pattern or element it comes from


@dataclass(frozen=True)
class PriorityView:
    rank: int
    element_id: str
    name: str
    value_text: str
    band_label: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ItemView:
    id: str
    text: str
    reverse: bool
    score: ScoreView
    distribution: tuple[int, ...] | None
    dont_know: int | None
    spark: str  # the distribution as block characters (see charts.sparkline)


@dataclass(frozen=True)
class ItemGroup:
    name: str
    elements: tuple[tuple[str, str, tuple[ItemView, ...]], ...]  # (element id, name, items)


@dataclass(frozen=True)
class MethodView:
    min_group_size: int
    band_high: str
    band_low: str
    low_agreement_sd: str
    agreement_window: str
    gap_threshold: str
    weak_evidence: tuple[str, ...]
    modules: tuple[tuple[str, int], ...]  # (name, version)
    access: str = "team"  # how respondents got in: one open team code, or single-use personal slips
    school_compared: bool = True  # at least two other teams show results, so the school mean is shown
    members: int | None = None  # declared team size, when the team has more responses than that


@dataclass(frozen=True)
class Report:
    """One team's mirror. ``suppressed``: fewer respondents than the minimum; only the cover facts
    (never the number of respondents) and the method note are filled."""

    lang: str
    round_team_id: int
    round_id: int
    team: str
    school: str
    round_name: str
    innovation: str
    innovation_description: str
    window: str
    suppressed: bool
    fewer_than: int | None
    respondents: int | None
    phase_name: str | None
    phase_detail: str
    previous_round: str | None
    method: MethodView
    overview_chart: Markup | None = None
    overview: tuple[ElementView, ...] = ()
    sections: tuple[GroupSection, ...] = ()
    network: NetworkView | None = None
    patterns: tuple[PatternView, ...] = ()
    roles: RolesView | None = None
    strengths: tuple[Highlight, ...] = ()
    bottlenecks: tuple[Highlight, ...] = ()
    attention: tuple[Highlight, ...] = ()  # needs attention: between the bottlenecks and the strengths
    notes: tuple[NoteView, ...] = ()  # the team's follow-up list: its explanations, in its own words
    previous_notes: tuple[NoteView, ...] = ()  # the same team's explanations in its previous round
    open_questions: tuple[OpenQuestionView, ...] = ()
    prompts: tuple[Prompt, ...] = ()
    priorities: tuple[PriorityView, ...] = ()
    discussion: tuple[PriorityView, ...] = ()
    rethink: bool = False
    plan: object | None = None
    previous_plan: object | None = None
    plans_available: bool = False
    decisions: tuple[str, ...] = ()  # a sprint review's choices, for the printed plan's review room
    # The team's focus points (the plan's, else the proposal's first choices), with their reasons: marked
    # wherever the element appears, so the one-look page, the detail, the network page and the plan agree.
    focus: tuple[PriorityView, ...] = ()
    focus_ids: frozenset[str] = frozenset()
    with_items: bool = False  # the item appendix (a separate download, not part of the mirror by default)
    items: tuple[ItemGroup, ...] = ()
    legend: Markup | None = None
    one_look_strengths: ClassVar[int] = MAX_ONE_LOOK_STRENGTHS

    def listed(self, highlights: Sequence[Highlight], limit: int = MAX_HIGHLIGHTS) -> tuple[tuple[Highlight, ...], int]:
        """The first ``limit`` of a strengths or bottlenecks list, and every focus point among the rest
        (a focus point is visible wherever it belongs); with how many are left out."""
        shown = tuple(h for index, h in enumerate(highlights) if index < limit or h.id in self.focus_ids)
        return shown, len(highlights) - len(shown)


# -- building -------------------------------------------------------------------------------------


def build_report(round_team_id: int, lang: str | None = None, medium: str = "pdf") -> Report:
    """The report of one round team (scores the whole round for the school comparison). Raises
    LookupError for an unknown round team. Call inside ``force_locale(lang)``. ``medium``: "pdf" or
    "web" (only the chart markup differs, see :class:`spiegel.shared.charts.Beside`)."""
    round_team = db.session.get(RoundTeam, round_team_id)
    if round_team is None:
        raise LookupError(f"no round team {round_team_id}")
    profiles = round_profiles(round_team.round_id)
    return build_from_profiles(round_team, profiles, lang, medium)


def build_from_profiles(round_team: RoundTeam, profiles: RoundProfiles, lang: str | None = None,
                        medium: str = "pdf") -> Report:
    """The report of one team from its already scored round (the batch scores a round once)."""
    round_ = round_team.round
    result = profiles.teams[round_team.id]
    config = scoring_config()
    return ReportBuilder(round_, round_team, result, profiles.modules, config, lang, medium).build()


class ReportBuilder:
    def __init__(self, round_: Round, round_team: RoundTeam, result: TeamResult, modules: Sequence[Module],
                 config: ScoringConfig, lang: str | None, medium: str = "pdf"):
        self.round = round_
        # In print the bar labels are HTML beside the SVG: far cheaper for WeasyPrint than SVG text.
        self.beside = charts.Beside() if medium == "pdf" else None
        self.round_team = round_team
        self.result = result
        self.modules = tuple(modules)
        self.config = config
        self.lang = lang or str(get_locale() or "nl")
        self.elements: dict[str, Element] = {}
        self.groups: dict[str, Group] = {}
        for module in self.modules:
            for group in module.groups:
                self.groups[group.id] = group
                for element in group.elements:
                    self.elements[element.id] = element

    # -- formatting ---------------------------------------------------------------------------

    # Every number goes through the one rounding rule (spiegel.results.numbers, spiegel.scoring.shown):
    # the bands, flags and changes next to it were decided on the same printed value.

    def num(self, value: float | None) -> str:
        return numbers.score(value, self.lang)

    def signed(self, value: float | None) -> str:
        """A change or gap: scoring computed it as the difference of the printed values."""
        return numbers.change(value, self.lang)

    def percent(self, share: float | None) -> str:
        return numbers.percent(share, self.lang)

    def fewer_than(self, n: int | None = None) -> str:
        return _("fewer than %(n)s", n=n or self.config.min_group_size)

    def score_view(self, score: Score | None, band: str | None = None) -> ScoreView:
        if score is None or not score.shown or score.mean is None:
            return ScoreView(False, None, self.fewer_than(score.fewer_than if score else None))
        low_agreement = stats.low_agreement(score, self.config)
        return ScoreView(
            True, score.mean, self.num(score.mean), band, str(BAND_LABELS[band]) if band else "", score.n,
            score.sd, self.num(score.sd) if score.sd is not None else "", self.percent(score.agreement),
            self.percent(score.dont_know_share), low_agreement)

    def compare_view(self, label: str) -> CompareView:
        comparison: Comparison | None = self.result.comparisons.get(label)
        if comparison is None:
            return CompareView()
        return CompareView(
            comparison.school_mean, self.num(comparison.school_mean) if comparison.school_mean is not None else "",
            comparison.teams, comparison.previous,
            self.num(comparison.previous) if comparison.previous is not None else "", self.signed(comparison.delta))

    def element_name(self, element_id: str) -> str:
        element = self.elements.get(element_id)
        return localized(element.name) if element else element_id

    def unit_name(self, label: str) -> str:
        """An element, a facet ("R3b" → "Connections: strong") or a group, by its scoring label."""
        if label in self.elements:
            return self.element_name(label)
        if label in self.groups:
            return localized(self.groups[label].name)
        for element_id in sorted(self.elements, key=len, reverse=True):
            if label.startswith(element_id):
                facet_id = label[len(element_id):]
                element = self.elements[element_id]
                for facet in element.facets:
                    if facet.id == facet_id:
                        return _("%(element)s: %(facet)s", element=localized(element.name),
                                 facet=localized(facet.name))
        if label == "phase":
            return _("phase")
        return label

    def phase_name(self, phase: str | None) -> str | None:
        if phase is None:
            return None
        for module in self.modules:
            if module.phase is not None:
                for option in module.phase.options:
                    if option.id == phase:
                        return localized(option.label)
        return phase

    # -- the report -----------------------------------------------------------------------------

    def build(self) -> Report:
        round_, team = self.round, self.round_team.team
        profile = self.result.profile
        window = _("%(start)s to %(end)s", start=format_date(round_.opens_at.date(), "long"),
                   end=format_date(round_.closes_at.date(), "long"))
        previous = previous_round_teams(round_, [team.id]).get(team.id)
        base = dict(
            lang=self.lang, round_team_id=self.round_team.id, round_id=round_.id, team=team.name,
            school=team.school.name, round_name=round_.name, innovation=round_.innovation_name,
            innovation_description=round_.innovation_description or "", window=window,
            previous_round=previous[1].name if previous else None, method=self.method(),
        )
        if not profile.shown:
            return Report(**base, suppressed=True, fewer_than=profile.fewer_than or self.config.min_group_size,
                          respondents=None, phase_name=None, phase_detail="")
        phase = profile.phase
        sections = tuple(self.group_section(group) for module in self.modules for group in module.groups)
        plan, previous_plan, plans_available = load_plans(self.round_team.id)
        decisions = decision_labels() if plans_available else ()
        priorities = tuple(self.priority_view(item) for item in self.result.priorities.actions[:MAX_PRIORITIES])
        focus = self.focus(plan, priorities)
        focus_ids = frozenset(f.element_id for f in focus)
        overview = tuple(self.element_view(self.groups[gid]) for gid in self.groups
                         if self.groups[gid].kind in ("condition", "outcome"))
        return Report(
            **base, suppressed=False, fewer_than=None, respondents=profile.size,
            phase_name=self.phase_name(phase.phase), phase_detail=self.phase_detail(),
            overview=overview,
            overview_chart=self.overview_chart(),
            sections=sections,
            network=self.network(),
            patterns=tuple(self.pattern_view(hit) for hit in self.result.patterns),
            roles=self.roles(),
            strengths=self.highlights(STRENGTH),
            bottlenecks=self.highlights(BOTTLENECK) + self.focus_poles(focus),
            attention=self.highlights(ATTENTION),
            notes=self.notes(self.round_team.id),
            previous_notes=self.notes(previous[0]) if previous else (),
            open_questions=self.open_questions(),
            prompts=self.prompts(),
            priorities=priorities, focus=focus, focus_ids=focus_ids,
            discussion=tuple(self.priority_view(item) for item in self.result.priorities.discussion),
            rethink=self.result.priorities.rethink,
            plan=plan, previous_plan=previous_plan, plans_available=plans_available, decisions=decisions,
            items=self.item_groups(),
            legend=self.legend(),
        )

    def notes(self, round_team_id: int) -> tuple[NoteView, ...]:
        return tuple(NoteView(n.element_id, localized(n.name), n.text) for n in load_notes(round_team_id))

    def focus(self, plan, priorities: Sequence[PriorityView]) -> tuple[PriorityView, ...]:
        """The plan's focus points in its order, else the first two priorities and a third bottleneck
        (the proposal's rule, spiegel.plans.proposal.choose_focus)."""
        by_id = {p.element_id: p for p in priorities}
        all_items = {item.element_id: item for item in self.result.priorities.actions}
        if plan is not None and getattr(plan, "focus", None):
            chosen = []
            for point in plan.focus:
                view = by_id.get(point.element_id)
                if view is None and point.element_id in all_items:
                    view = self.priority_view(all_items[point.element_id])
                if view is None:
                    view = PriorityView(0, point.element_id, self.element_name(point.element_id), "", "", ())
                chosen.append(view)
            return tuple(chosen)
        chosen = list(priorities[:2])
        if len(priorities) > 2 and self.result.priorities.actions[2].band == BOTTLENECK:
            chosen.append(priorities[2])
        return tuple(chosen)

    def focus_poles(self, focus: Sequence[PriorityView]) -> tuple[Highlight, ...]:
        """Focus points read on a pole: not banded, so listed with the bottlenecks with the reason."""
        found = []
        for view in focus:
            element = self.elements.get(view.element_id)
            if element is None or element.polarity == "unipolar":
                continue
            item = next((i for i in self.result.priorities.actions if i.element_id == view.element_id), None)
            score = self.score_view(self.result.profile.scores.get(item.unit)) if item else self.score_view(None)
            found.append(Highlight(view.element_id, view.name, score, localized(self.groups[element.group_id].name),
                                   _("low for your phase")))
        return tuple(found)

    def phase_detail(self) -> str:
        phase = self.result.profile.phase
        if phase.phase is None:
            return _("Fewer than %(n)s colleagues answered the phase question.", n=self.config.min_group_size)
        if phase.tied:
            names = ", ".join(self.phase_name(p) or p for p in phase.tied)
            return _("Opinions are split between: %(phases)s. The report reads the earliest one.", phases=names)
        if phase.second and phase.counts and phase.counts.get(phase.second):
            return _("Also mentioned: %(phase)s. Phases overlap in practice.", phase=self.phase_name(phase.second))
        return ""

    # -- sections -------------------------------------------------------------------------------

    def element_view(self, node: Element | Group) -> ElementView:
        profile = self.result.profile
        if isinstance(node, Group):
            result = profile.groups.get(node.id)
            score = self.score_view(result.score, result.band) if result else self.score_view(None)
            compare = self.compare_view(node.id)
            return ElementView(node.id, localized(node.name), "", "group", False, score, (), compare,
                               self.details(score, (), compare))
        result: ElementResult | None = profile.elements.get(node.id)
        facets = []
        for facet in node.facets:
            label = f"{node.id}{facet.id}"
            facets.append(FacetView(label, localized(facet.name), self.score_view(profile.scores.get(label))))
        score = None
        if node.polarity == "unipolar":
            score = self.score_view(result.score if result else None, result.band if result else None)
        compare = self.compare_view(node.id)
        return ElementView(node.id, localized(node.name), localized(node.definition), node.polarity,
                           node.evidence == "case", score, tuple(facets), compare,
                           self.details(score, facets, compare))

    def details(self, score: ScoreView | None, facets: Sequence[FacetView], compare: CompareView) -> str:
        parts = []
        if score is not None and score.shown:
            if score.sd_text:
                parts.append(_("spread %(sd)s", sd=score.sd_text))
            if score.agreement_text:
                parts.append(_("%(share)s within one point", share=score.agreement_text))
            if score.dont_know_text:
                parts.append(_("“don't know” %(share)s", share=score.dont_know_text))
        for facet in facets:
            parts.append(_("%(facet)s %(score)s", facet=facet.name, score=facet.score.text))
        if compare.school_text and compare.teams > 1:
            parts.append(_("school %(value)s", value=compare.school_text))
        if compare.previous_text:
            parts.append(_("previous round %(value)s (%(delta)s)", value=compare.previous_text,
                           delta=compare.delta_text))
        return " · ".join(parts)

    def bar_row(self, view: ElementView, strong: bool = False) -> charts.BarRow:
        score = view.score
        markers = []
        if view.compare.school_mean is not None and view.compare.teams > 1:
            markers.append(charts.Marker("school", view.compare.school_mean))
        if view.compare.previous is not None:
            markers.append(charts.Marker("previous", view.compare.previous))
        label = view.name + (" *" if view.weak_evidence else "")
        if score is None or not score.shown:
            return charts.BarRow(label, None, score.text if score else "", strong=strong)
        return charts.BarRow(label, score.mean, score.text, score.band, score.sd, tuple(markers), strong)

    def chart_desc(self, views: Sequence[ElementView]) -> str:
        parts = []
        for view in views:
            if view.score is None:
                continue
            text = f"{view.name}: {view.score.text}"
            if view.score.band_label:
                text += f" ({view.score.band_label})"
            if view.compare.school_text and view.compare.teams > 1:
                text += " · " + _("school %(value)s", value=view.compare.school_text)
            if view.compare.previous_text:
                text += " · " + _("previous round %(value)s", value=view.compare.previous_text)
            parts.append(text)
        return "; ".join(parts)

    def bars(self, views: Sequence[ElementView], title: str, strong_first: bool = False) -> Markup:
        rows = [self.bar_row(view, strong=strong_first and i == 0) for i, view in enumerate(views)]
        return charts.scale_bars(rows, title=title, desc=self.chart_desc(views), scale=self.scale(),
                                 beside=self.beside)

    def scale(self) -> charts.Scale:
        return charts.Scale(band_low=self.config.band_low, band_high=self.config.band_high)

    def overview_chart(self) -> Markup:
        """Every group's score in one chart, the pillars of policy-making capacity as one row: the
        one-look page holds the whole story on one page; each pillar has its bar in its own section."""
        views = [self.element_view(g) for g in self.groups.values() if g.kind in ("condition", "outcome", "pillars")]
        return self.bars(views, _("The mirror at a glance"))

    def group_section(self, group: Group) -> GroupSection:
        head = self.element_view(group)
        elements = tuple(self.element_view(e) for e in group.elements if e.polarity == "unipolar")
        poles = tuple(self.element_view(e) for e in group.elements if e.polarity != "unipolar")
        chart = self.bars((head, *elements), localized(group.name), strong_first=True)
        pole_chart = None
        balance = [e for e in group.elements if e.polarity == "balance"]
        if balance:
            pole_chart = self.pole_chart([self.pole_view(e) for e in balance], localized(group.name))
        return GroupSection(group.id, group.kind, localized(group.name), head.score, head.compare, elements, poles,
                            chart, pole_chart)

    def pole_view(self, element: Element) -> PoleView:
        profile = self.result.profile
        reading = next((r for r in self.result.network if r.element_id == element.id), None)
        names = {facet.id: localized(facet.name) for facet in element.facets}
        expected = reading.expected if reading else ()
        flagged = reading.flagged if reading else ()
        return PoleView(
            element.id, localized(element.name), names.get("a", "a"), names.get("b", "b"),
            self.score_view(profile.scores.get(f"{element.id}a")), self.score_view(profile.scores.get(f"{element.id}b")),
            expected, tuple(names.get(p, p) for p in expected), flagged, tuple(names.get(p, p) for p in flagged))

    def pole_chart(self, poles: Sequence[PoleView], title: str) -> Markup:
        rows = [charts.PoleRow(p.name, p.a_name, p.b_name, p.a.mean, p.b.mean, p.a.text, p.b.text, p.expected,
                               p.flagged) for p in poles]
        desc = "; ".join(_("%(name)s: %(a_name)s %(a)s, %(b_name)s %(b)s", name=p.name, a_name=p.a_name, a=p.a.text,
                           b_name=p.b_name, b=p.b.text) for p in poles)
        return charts.bipolar_bars(rows, title=title, desc=desc, beside=self.beside)

    def network(self) -> NetworkView:
        bipolar = [e for e in self.elements.values() if e.polarity == "bipolar"]
        poles = tuple(self.pole_view(e) for e in bipolar)
        chart = self.pole_chart(poles, _("Network characteristics")) if poles else None
        return NetworkView(self.phase_name(self.result.profile.phase.phase), poles, chart)

    def pattern_view(self, hit: PatternHit) -> PatternView:
        info = hit.info
        variants = tuple(localized(info.variants[v].text) for v in hit.variants if v in info.variants)
        values = tuple((self.unit_name(label), self.num(value)) for label, value in hit.values.items())
        refs = tuple(dict.fromkeys((*info.refs, *(r for v in hit.variants if v in info.variants
                                                  for r in info.variants[v].refs))))
        return PatternView(hit.pattern_id, hit.kind, str(PATTERN_KINDS.get(hit.kind, hit.kind)), localized(info.name),
                           localized(info.explanation), variants, values, refs, localized(info.prompt))

    def roles(self) -> RolesView:
        roles = self.result.roles
        if not roles.shown:
            return RolesView(False, roles.fewer_than or self.config.min_group_size, None, None, (), 0, None)
        gaps = [g for g in roles.gaps.values() if g.gap is not None and g.teachers.shown and g.leaders.shown
                and g.label not in self.groups]
        gaps.sort(key=lambda g: (-abs(g.gap), g.label))
        large = sum(1 for g in gaps if shown.at_least(abs(g.gap), self.config.gap_threshold))
        gaps = gaps[:MAX_GAPS]
        views = tuple(GapView(g.label, self.unit_name(g.label), self.num(g.teachers.mean), self.num(g.leaders.mean),
                              self.signed(g.gap), shown.at_least(abs(g.gap), self.config.gap_threshold))
                      for g in gaps)
        rows = [charts.PairRow(v.name, g.teachers.mean, g.leaders.mean, v.teachers, v.leaders, v.large)
                for v, g in zip(views, gaps)]
        chart = None
        if rows:
            desc = "; ".join(_("%(name)s: teachers %(teachers)s, leaders and support staff %(leaders)s",
                               name=v.name, teachers=v.teachers, leaders=v.leaders) for v in views)
            chart = charts.dumbbell(rows, first_name=_("teachers"), second_name=_("leaders and support staff"),
                                    title=_("Largest differences between roles"), desc=desc, scale=self.scale(),
                                    beside=self.beside)
        return RolesView(True, None, roles.teachers, roles.leaders, views, large, chart)

    def highlights(self, band: str) -> tuple[Highlight, ...]:
        found = []
        for element_id, result in self.result.profile.elements.items():
            if result.band == band and result.score is not None and result.score.shown:
                element = self.elements[element_id]
                found.append(Highlight(element_id, localized(element.name), self.score_view(result.score, band),
                                       localized(self.groups[element.group_id].name)))
        reverse = band == STRENGTH
        found.sort(key=lambda h: (-(h.score.mean or 0) if reverse else (h.score.mean or 0), h.id))
        return tuple(found)

    def open_questions(self) -> tuple[OpenQuestionView, ...]:
        answers = released_open_answers(self.round_team.id)
        views = []
        for module in self.modules:
            for question in module.open_questions:
                given = answers.get(question.id, [])
                shown = len(given) >= self.config.min_group_size
                # Alphabetical, so the order says nothing about who answered when.
                ordered = tuple(sorted(given, key=str.casefold)) if shown else ()
                views.append(OpenQuestionView(question.id, localized(question.text), ordered, shown))
        return tuple(views)

    def prompts(self) -> tuple[Prompt, ...]:
        specific = []
        seen = set()
        for hit in self.result.patterns:
            text = localized(hit.info.prompt)
            if text and text not in seen:
                seen.add(text)
                specific.append(Prompt(text, localized(hit.info.name)))
        specific.extend(self.unknown_prompts())
        for item in self.result.priorities.discussion[:MAX_DISCUSSION_PROMPTS]:
            specific.append(Prompt(_("Opinions differ on “%(name)s”. What does each of you see that others may not?",
                                     name=self.unit_name(item.unit)), self.element_name(item.element_id)))
        prompts = [Prompt(str(text)) for text in GENERIC_PROMPTS[:1]] + specific[:MAX_SPECIFIC_PROMPTS]
        if self.result.priorities.rethink:
            prompts.append(Prompt(_("Is continuing this innovation still the right choice, or should we adapt or "
                                    "stop it?")))
        prompts.extend(Prompt(str(text)) for text in GENERIC_PROMPTS[1:])
        return tuple(prompts)

    def unknown_prompts(self) -> list[Prompt]:
        """Elements (or poles) where many answered "don't know": a finding to talk about, not only a
        footnote. The share exists only when at least the minimum answered (scoring.profile)."""
        found = []
        for label, info in self.result.profile.scores.items():
            element = self.elements.get(label) or self.elements.get(label[:-1])
            if element is None or (label not in self.elements and element.polarity == "unipolar"):
                continue  # groups, and a unipolar element's own facets (part of its score)
            share = info.dont_know_share
            if share is not None and shown.percent(share) >= shown.percent(self.config.high_dont_know):
                found.append(Prompt(_("%(share)s of the answers on “%(name)s” were “don't know”: the team does not "
                                      "know this. Who could know, and how do we find out?",
                                      share=self.percent(share), name=self.unit_name(label)),
                                    self.element_name(element.id)))
        return found

    def priority_view(self, item: PriorityItem) -> PriorityView:
        reasons = []
        for reason in item.reasons:
            if reason.code == "pattern":
                hit = next((h for h in self.result.patterns if h.pattern_id == reason.value), None)
                if hit is not None:
                    reasons.append(_("Part of the pattern “%(pattern)s”.", pattern=localized(hit.info.name)))
            elif reason.code == "phase":
                reasons.append(_("Matters in your phase (%(phase)s).", phase=self.phase_name(str(reason.value))))
            elif reason.code == "school_gap" and isinstance(reason.value, float) and shown.score(reason.value) != 0:
                if reason.value < 0:
                    reasons.append(_("%(gap)s below the school mean.", gap=self.num(-reason.value)))
                else:
                    reasons.append(_("%(gap)s above the school mean.", gap=self.num(reason.value)))
            elif reason.code in ("spread", "agreement", "polarised"):
                text = _("Colleagues see this very differently: talk about it first.")
                if text not in reasons:
                    reasons.append(text)
            elif reason.code == "perception_gap" and isinstance(reason.value, float):
                reasons.append(_("Teachers and leaders see this differently (%(gap)s).", gap=self.signed(reason.value)))
        band = str(BAND_LABELS.get(item.band, ""))
        return PriorityView(item.rank, item.element_id, self.unit_name(item.unit), self.num(item.value), band,
                            tuple(reasons))

    def item_groups(self) -> tuple[ItemGroup, ...]:
        profile = self.result.profile
        groups = []
        for module in self.modules:
            for group in module.groups:
                elements = []
                for element in group.elements:
                    items = []
                    for item in element.items:
                        result = profile.items.get(item.id)
                        score = self.score_view(result.score if result else None)
                        distribution = result.distribution if result and score.shown else None
                        spark = ""
                        if distribution is not None and sum(distribution):
                            spark = charts.sparkline(distribution)
                        items.append(ItemView(item.id, localized(item.text), item.reverse, score, distribution,
                                              result.dont_know if result and score.shown else None, spark))
                    elements.append((element.id, localized(element.name), tuple(items)))
                groups.append(ItemGroup(localized(group.name), tuple(elements)))
        return tuple(groups)

    def method(self) -> MethodView:
        config = self.config
        weak = tuple(f"{e.id} {localized(e.name)}" for e in self.elements.values() if e.evidence == "case")
        compared = any(c.school_mean is not None for c in self.result.comparisons.values())
        size, members = self.result.profile.size, self.round_team.team.members
        return MethodView(config.min_group_size, self.num(config.band_high), self.num(config.band_low),
                          self.num(config.low_agreement_sd), self.num(config.agreement_window),
                          self.num(config.gap_threshold), weak,
                          tuple((localized(m.name), m.version) for m in self.modules),
                          access=self.round_team.round.access, school_compared=compared or not self.result.profile.shown,
                          members=members if members is not None and size is not None and size > members else None)

    def legend(self) -> Markup:
        items = [(STRENGTH, _("strength (%(value)s or more)", value=self.num(self.config.band_high))),
                 (ATTENTION, str(BAND_LABELS[ATTENTION])),
                 (BOTTLENECK, _("bottleneck (below %(value)s)", value=self.num(self.config.band_low))),
                 ("spread", _("spread (± 1 standard deviation)")),
                 ("school", _("school mean")), ("previous", _("previous round"))]
        return charts.key(items, title=_("Key to the charts"))


# -- the plan (another feature; optional until it exists) ----------------------------------------


def load_plans(round_team_id: int) -> tuple[object | None, object | None, bool]:
    """(current plan, previous round's plan, whether the plans feature is installed)."""
    try:
        from spiegel.plans import services as plans
    except ImportError:
        return None, None, False
    current = getattr(plans, "plan_for_report", None)
    previous = getattr(plans, "previous_plan_for_report", None)
    if current is None:
        return None, None, False
    return current(round_team_id), previous(round_team_id) if previous else None, True


def load_notes(round_team_id: int) -> tuple:
    """The team's explanations of its results (spiegel.plans.services.notes_for_report)."""
    try:
        from spiegel.plans import services as plans
    except ImportError:
        return ()
    return plans.notes_for_report(round_team_id)


def decision_labels() -> tuple[str, ...]:
    """The sprint review's decisions in the current language (continue, adapt, deepen, broaden, stop)."""
    from spiegel.plans import services as plans
    return tuple(plans.decision_label(key) for key in plans.DECISION_LABELS)
