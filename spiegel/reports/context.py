"""The team report's context: everything the mirror shows, as plain data in the reader's language.

Stage one of three (context → HTML → PDF, STYLE.md 7). Every number, the previous round and the open
answers come from the results service (:mod:`spiegel.results.profiles`), which also decides what the
anonymity minimum hides; this module only selects, orders and charts, with the formatting of
:mod:`spiegel.reports.formatting` and the sentences of :mod:`spiegel.reports.phrasing`. A suppressed team
(fewer respondents than the minimum group size) gets a context with no results at all:
:attr:`Report.suppressed` is true and every result field is empty.

Build it inside ``flask_babel.force_locale(lang)``: names and texts are resolved to that language here,
so templates print plain strings.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from spiegel.instrument.model import Element, Group, Module
from spiegel.plans import services as plans
from spiegel.reports.phrasing import Phrasing
from spiegel.reports.report import (
    ElementView,
    FacetView,
    FocusTrend,
    GapView,
    GroupSection,
    Highlight,
    ItemGroup,
    ItemView,
    MethodView,
    NetworkView,
    OpenQuestionView,
    PoleView,
    PriorityView,
    Report,
    RolesView,
)
from spiegel.results.profiles import (
    RoundProfiles,
    open_answers_shown,
    previous_round_of,
    round_profiles,
    scoring_config,
)
from spiegel.rounds import services as rounds
from spiegel.rounds.models import Round, RoundTeam
from spiegel.scoring import BOTTLENECK, STRENGTH, ElementResult, ScoringConfig, TeamResult, shown
from spiegel.shared import charts
from spiegel.shared.extensions import db
from spiegel.shared.i18n import localized

MAX_GAPS = 8  # the largest role differences charted (the intro says how many reach the threshold)
MAX_PRIORITIES = 5
MAX_TREND_POINTS = 6  # rounds and pulses in the focus points' trend: the latest ones


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
    result = profiles.teams[round_team.id]
    previous = previous_round_of(round_team)
    # The open answers only go with the team's results (the service hides them below the minimum).
    answers = open_answers_shown(round_team.id) if result.profile.shown else {}
    return ReportBuilder(round_team.round, round_team, result, profiles.modules, scoring_config(), lang, medium,
                         previous_round=previous[1].name if previous else None, open_answers=answers).build()


class ReportBuilder(Phrasing):
    def __init__(self, round_: Round, round_team: RoundTeam, result: TeamResult, modules: Sequence[Module],
                 config: ScoringConfig, lang: str | None, medium: str = "pdf", previous_round: str | None = None,
                 open_answers: Mapping[str, tuple[str, ...]] | None = None):
        super().__init__(result, modules, config, lang)
        self.round = round_
        self.round_team = round_team
        # In print the bar labels are HTML beside the SVG: far cheaper for WeasyPrint than SVG text.
        self.beside = charts.Beside() if medium == "pdf" else None
        self.previous_round = previous_round  # its name
        self.open_answers = open_answers or {}  # question id → answers shown (see open_answers_shown)

    # -- the report -----------------------------------------------------------------------------

    def build(self) -> Report:
        round_, team = self.round, self.round_team.team
        profile = self.result.profile
        window = _("%(start)s to %(end)s", start=format_date(round_.opens_at.date(), "long"),
                   end=format_date(round_.closes_at.date(), "long"))
        base = dict(
            lang=self.lang, round_team_id=self.round_team.id, round_id=round_.id, team=team.name,
            school=team.school.name, round_name=round_.name, innovation=round_.innovation_name,
            innovation_description=round_.innovation_description or "", window=window,
            previous_round=self.previous_round, method=self.method(),
        )
        if not profile.shown:
            return Report(**base, suppressed=True, fewer_than=profile.fewer_than or self.config.min_group_size,
                          respondents=None, phase_name=None, phase_detail="")
        phase = profile.phase
        sections = tuple(self.group_section(group) for module in self.modules for group in module.groups)
        plan, previous_plan = plans.plan_for_report(self.round_team.id), plans.previous_plan_for_report(self.round_team.id)
        priorities = tuple(self.priority_view(item) for item in self.result.priorities.actions[:MAX_PRIORITIES])
        focus = self.focus(plan, priorities)
        focus_ids = frozenset(f.element_id for f in focus)
        focus_points, focus_trend = self.focus_trend([f.element_id for f in focus])
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
            open_questions=self.open_questions(),
            prompts=self.prompts(),
            priorities=priorities, focus=focus, focus_ids=focus_ids, focus_points=focus_points,
            focus_trend=focus_trend,
            discussion=tuple(self.priority_view(item) for item in self.result.priorities.discussion),
            rethink=self.result.priorities.rethink,
            plan=plan, previous_plan=previous_plan, plans_available=True,
            decisions=plans.decision_labels(),
            items=self.item_groups(),
            legend=self.legend(),
        )

    def focus_trend(self, element_ids: Sequence[str]) -> tuple[tuple[tuple[str, str, bool], ...],
                                                              tuple[FocusTrend, ...]]:
        """The focus points across this team's rounds up to this one, with its pulses between them; nothing
        unless a pulse is among them (the comparison with the previous round shows the rest)."""
        team = self.round_team.team
        held = db.session.scalars(
            select(Round).join(RoundTeam, RoundTeam.round_id == Round.id)
            .where(RoundTeam.team_id == team.id, Round.opens_at <= self.round.opens_at)
            .order_by(Round.opens_at, Round.id)).all()
        if not any(r.kind == "pulse" for r in held):
            return (), ()
        # what the pulses measured (the previous plan's focus) first, then this round's focus points
        elements = list(dict.fromkeys([*rounds.focus_of(held, team), *element_ids]))
        trend = rounds.trend(held, team, elements=elements)
        points = [p for p in trend.points if p.present][-MAX_TREND_POINTS:]
        if not any(p.pulse for p in points) or not trend.elements:
            return (), ()
        columns = tuple((p.round_name, format_date(p.opens_at.date(), "medium"), p.pulse) for p in points)
        rows = []
        for column in trend.elements:
            texts = []
            for point in points:
                value = point.values.get(column.label)
                if point.fewer_than is not None or (value is not None and value.fewer_than is not None):
                    texts.append(_("fewer than %(n)s", n=self.config.min_group_size))
                elif value is None or value.mean is None:
                    texts.append("—")
                else:
                    texts.append(self.num(value.mean))
            rows.append(FocusTrend(localized(column.name), tuple(texts)))
        return columns, tuple(rows)

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

    def network(self) -> NetworkView:
        bipolar = [e for e in self.elements.values() if e.polarity == "bipolar"]
        poles = tuple(self.pole_view(e) for e in bipolar)
        chart = self.pole_chart(poles, _("Network characteristics")) if poles else None
        return NetworkView(self.phase_name(self.result.profile.phase.phase), poles, chart)

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
        rows = [charts.PairRow(v.name, g.teachers.mean, g.leaders.mean, v.large)
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
        """Every open question; its answers only when the results service shows them (enough answers)."""
        views = []
        for module in self.modules:
            for question in module.open_questions:
                answers = self.open_answers.get(question.id)
                views.append(OpenQuestionView(question.id, localized(question.text), answers or (), answers is not None))
        return tuple(views)

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
                          members=members if members is not None and size is not None and size > members else None,
                          module_ids=tuple(m.id for m in self.modules))

    # -- charts ---------------------------------------------------------------------------------

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

    def pole_chart(self, poles: Sequence[PoleView], title: str) -> Markup:
        rows = [charts.PoleRow(p.name, p.a_name, p.b_name, p.a.mean, p.b.mean, p.a.text, p.b.text, p.expected,
                               p.flagged) for p in poles]
        desc = "; ".join(_("%(name)s: %(a_name)s %(a)s, %(b_name)s %(b)s", name=p.name, a_name=p.a_name, a=p.a.text,
                           b_name=p.b_name, b=p.b.text) for p in poles)
        return charts.bipolar_bars(rows, title=title, desc=desc, beside=self.beside)

    def legend(self) -> Markup:
        return charts.key(self.legend_items(), title=_("Key to the charts"))
